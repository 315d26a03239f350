import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ensureLabPki, labKubeconfig, startLab, type Clock, type LabPki, type RunningLab } from '../../src/lab/index.js';
import type { Platform } from '../../src/spec/index.js';

let sharedPki: Promise<LabPki> | undefined;

/** One lab CA per test process: making keys costs a second on a busy machine. */
export function testPki(): Promise<LabPki> {
  sharedPki ??= ensureLabPki(join(mkdtempSync(join(tmpdir(), 'mw-lab-pki-')), 'pki'), new Date());
  return sharedPki;
}

export interface TestLab {
  dir: string;
  kubeconfig: string;
  lab: RunningLab;
  stop(): Promise<void>;
}

/** A lab of `platform` in this process, on kernel-chosen 127.0.0.1 ports; `stop` removes its folder. */
export async function startTestLab(platform: Platform, opts: { bookmarkEveryMs?: number; retain?: number; clock?: Clock; latencyMs?: number; metrics?: { port?: number } } = {}): Promise<TestLab> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-lab-'));
  const pki = await testPki();
  const lab = await startLab({ platform, dataDir: join(dir, 'data'), ports: {}, pki, ...opts });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, labKubeconfig(lab.clusters, pki), { mode: 0o600 });
  let stopped = false;
  return {
    dir,
    kubeconfig,
    lab,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** kubectl on PATH, and the versioned binaries beside it (kubectl.1.30 … as the machine has them). */
function kubectlDir(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, 'kubectl'), constants.X_OK);
      return dirname(realpathSync(join(dir, 'kubectl')));
    } catch {
      // not here
    }
  }
  assert.fail('kubectl is not installed: these tests drive the real kubectl 1.30 (kubectl.1.30 beside kubectl) against the lab');
}

/** kubectl 1.30 (`kubectl.1.30`) or the newest kubectl.1.N beside kubectl. */
export function kubectlBinary(which: '1.30' | 'newest'): { path: string; version: string } {
  const dir = kubectlDir();
  if (which === '1.30') {
    const path = join(dir, 'kubectl.1.30');
    try {
      accessSync(path, constants.X_OK);
    } catch {
      assert.fail(`kubectl.1.30 is not beside ${join(dir, 'kubectl')}`);
    }
    return { path, version: '1.30' };
  }
  const versions = readdirSync(dir)
    .map((f) => /^kubectl\.1\.(\d+)$/.exec(f))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  if (!versions.length) return { path: join(dir, 'kubectl'), version: 'PATH' };
  return { path: join(dir, `kubectl.1.${versions[0]}`), version: `1.${versions[0]}` };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl with only the lab's kubeconfig and a cache folder of its own (no user config leaks in). */
export function kubectl(bin: string, kubeconfig: string, cacheDir: string, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      bin,
      ['--cache-dir', cacheDir, ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: kubeconfig, HOME: dirname(cacheDir) }, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Collapses kubectl's padding so a row can be compared by its cells. */
export function cells(line: string): string[] {
  return line.trim().split(/\s{2,}/);
}

/** The rows of kubectl's table output as arrays of cells (header first). */
export function rows(output: string): string[][] {
  return output.trim().split('\n').filter(Boolean).map(cells);
}

/** A long-running kubectl (`get -w`): its output so far, and a way to stop it. */
export function kubectlWatch(bin: string, kubeconfig: string, cacheDir: string, args: string[]): { output: () => string; stop: () => void } {
  let out = '';
  const child = spawn(bin, ['--cache-dir', cacheDir, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: kubeconfig, HOME: dirname(cacheDir) } });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { output: () => out, stop: () => void child.kill('SIGTERM') };
}

/** Waits until `ready()` is true, polling every 20 ms, failing after `ms`. */
export async function until(ready: () => boolean | Promise<boolean>, ms = 10_000, what: string | (() => string) = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, type KubectlResult } from '../helpers/lab.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const MAIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** The built binary, as a user runs it, from `dir`. */
export function meshwright(dir: string, args: string[], timeout = 120_000): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' }, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface AppliedLab {
  dir: string;
  /** The platform file, relative to dir. */
  platformFile: string;
  kubeconfig: string;
  k(args: string[]): Promise<KubectlResult>;
  close(): void;
}

/**
 * The reference lab after `meshwright apply`, in a temp folder, its platform file kept under
 * `platforms/` (so `status` without an argument must find it through the state folder).
 */
export function appliedReferenceLab(): AppliedLab {
  const dir = mkdtempSync(join(tmpdir(), 'mw-status-'));
  mkdirSync(join(dir, 'platforms'));
  const platformFile = 'platforms/cilium-lab.yaml';
  writeFileSync(join(dir, platformFile), readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8'));
  const r = meshwright(dir, ['apply', platformFile]);
  assert.equal(r.code, 0, `apply: ${r.stderr}`);
  const kubeconfig = join(dir, '.meshwright', 'lab', 'kubeconfig');
  const bin = kubectlBinary('newest').path;
  return {
    dir,
    platformFile,
    kubeconfig,
    k: (args) => kubectl(bin, kubeconfig, join(dir, 'kube-cache'), args),
    close: () => {
      meshwright(dir, ['lab', 'down'], 30_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Dates and day counts depend on when the test ran: the golden file holds them as same-width placeholders. */
export function withoutDates(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g, 'YYYY-MM-DDTHH:MM:SSZ')
    .replace(/\d{4}-\d{2}-\d{2}/g, 'YYYY-MM-DD')
    .replace(/\((\d+) days\)/g, (_m, n: string) => `(${'N'.repeat(n.length)} days)`)
    .replace(/(YYYY-MM-DD\s+)(\d+)/g, (_m, a: string, n: string) => `${a}${'N'.repeat(n.length)}`);
}

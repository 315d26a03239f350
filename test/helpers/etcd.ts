import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onTerm } from './on-term.js';

const INSTALL = 'apt-get install etcd-server etcd-client';

/** A binary on PATH, else in /usr/bin (Debian's etcd-server and etcd-client put them there). */
export function findBinary(name: string): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  assert.fail(`${name} is not installed; this test runs a real etcd on 127.0.0.1: ${INSTALL}`);
}

/** A port the kernel just handed out on 127.0.0.1 (closed again; etcd binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Only PATH reaches the tools: no proxy or ETCD_* variable from the developer's shell. */
export const TOOL_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', ETCDCTL_API: '3' };

export interface Etcd {
  process: ChildProcess;
  /** Everything etcd logged so far. */
  log: () => string;
  stop: () => Promise<void>;
}

export function startEtcd(bin: string, args: string[]): Etcd {
  const child = spawn(bin, args, { env: TOOL_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Stopped by a runner (SIGTERM) before `after` ran: etcd must not outlive the test.
  const unregister = onTerm(() => child.kill('SIGKILL'));
  const stop = async () => {
    unregister();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(5000, undefined, { ref: false }).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { process: child, log: () => log, stop };
}

export interface RunResult {
  code: number;
  output: string;
}

export function run(bin: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: TOOL_ENV, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Retries `check` until it holds, at most `attempts` times; fails with the last output if never. */
export async function waitFor(what: string, attempts: number, check: () => Promise<RunResult | boolean>, alive: () => boolean): Promise<void> {
  let last = '';
  for (let i = 0; i < attempts; i++) {
    if (!alive()) assert.fail(`${what}: the process exited`);
    const r = await check();
    if (r === true || (typeof r === 'object' && r.code === 0)) return;
    if (typeof r === 'object') last = r.output;
    await sleep(200);
  }
  assert.fail(`${what}: not after ${attempts} attempts; last output:\n${last}`);
}

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Platform } from '../../spec/index.js';
import { labKubeconfig } from '../kubeconfig.js';
import { ensureLabPki, type LabPki } from '../pki.js';
import type { RunningLab } from '../runtime.js';
import { writePrivate } from './files.js';
import { labPaths, type LabPaths } from './layout.js';
import { alive, clearState, isLabProcess, readPorts, readState, writePorts, writeState, type LabState } from './state.js';

export class LabError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly exitCode: 1 | 3,
  ) {
    super(message);
    this.name = 'LabError';
  }
}

/** The lab running in `cwd`, if any (a stale lab.json of a dead process is removed). */
export function runningLab(cwd: string): LabState | undefined {
  const paths = labPaths(cwd);
  const s = readState(paths);
  if (!s) return undefined;
  if (isLabProcess(s.pid)) return s;
  clearState(paths, s.pid);
  return undefined;
}

export interface UpRequest {
  cwd: string;
  platform: Platform;
  /** Absolute path of the platform file. */
  platformFile: string;
  now: Date;
  /** `--latency`: ms each simulated lifecycle stage takes. */
  latencyMs?: number;
}

export type UpOutcome = { state: LabState; alreadyRunning: boolean };

/**
 * `lab up`: one background process for every cluster of the platform. Refuses when a lab of
 * another platform runs in this folder; returns once every API server answers.
 */
export async function labUp(req: UpRequest, opts: { timeoutMs?: number } = {}): Promise<UpOutcome> {
  const paths = labPaths(req.cwd);
  const current = runningLab(req.cwd);
  if (current) {
    if (current.platform.file === req.platformFile && current.platform.name === req.platform.metadata.name) return { state: current, alreadyRunning: true };
    throw new LabError(
      `a lab for platform ${current.platform.name} (${current.platform.file}) is already running in this folder (pid ${current.pid})`,
      'one lab per folder: run `meshwright lab down` first, or start the other platform from another folder',
      1,
    );
  }
  const release = takeLock(paths);
  try {
    await prepare(paths, req);
    const child = spawnLab(paths, req.platformFile, req.cwd, req.latencyMs ?? 0);
    return { state: await waitReady(paths, child, opts.timeoutMs ?? 20_000), alreadyRunning: false };
  } finally {
    release();
  }
}

/** The state folder, the CA, stable ports and the kubeconfig, before the lab process starts. */
async function prepare(paths: LabPaths, req: UpRequest): Promise<{ pki: LabPki; ports: Record<string, number> }> {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const pki = await ensureLabPki(paths.pki, req.now);
  const ports = readPorts(paths);
  let changed = false;
  for (const c of req.platform.spec.clusters) {
    if (!ports[c.name]) {
      ports[c.name] = await freePort(new Set(Object.values(ports)));
      changed = true;
    }
  }
  if (changed) writePorts(paths, ports);
  writePrivate(paths.kubeconfig, labKubeconfig(req.platform.spec.clusters.map((c) => ({ name: c.name, port: ports[c.name]! })), pki));
  return { pki, ports };
}

function takeLock(paths: LabPaths): () => void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(paths.lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(paths.lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(paths.lock, 'utf8'));
      if (holder && holder !== process.pid && alive(holder)) throw new LabError(`another \`meshwright lab up\` (pid ${holder}) is starting a lab in this folder`, 'wait for it to finish, then run `meshwright lab status`', 1);
      rmSync(paths.lock, { force: true });
    }
  }
  throw new LabError('could not take the lab lock', `remove ${paths.lock} if no meshwright lab up is running`, 1);
}

/** The lab process's entry (child.js, or child.ts through tsx when running from source): it loads only spec/ and lab/. */
function childEntry(): string[] {
  const here = import.meta.url;
  // tsx resolved from here, not from the lab's folder (the child's cwd), which has no node_modules
  if (here.endsWith('.ts')) return ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./child.ts', here))];
  return [fileURLToPath(new URL('./child.js', here))];
}

function spawnLab(paths: LabPaths, platformFile: string, cwd: string, latencyMs: number) {
  const log = openSync(paths.log, 'a', 0o600);
  const child = spawn(process.execPath, [...childEntry(), cwd, platformFile, String(latencyMs)], {
    cwd,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, NO_COLOR: '1' },
  });
  closeSync(log);
  child.unref();
  return child;
}

async function waitReady(paths: LabPaths, child: ReturnType<typeof spawn>, timeoutMs: number): Promise<LabState> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = readState(paths);
    if (s && s.pid === child.pid) return s;
    if (exited || child.exitCode !== null) break;
    await sleep(50);
  }
  if (!exited && child.pid) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  throw new LabError(`the lab did not start${exited ? '' : ` within ${timeoutMs / 1000}s`}: ${lastLines(paths.log)}`, `see ${paths.log}`, 3);
}

function lastLines(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    return lines.slice(-3).join(' | ') || '(no output)';
  } catch {
    return '(no log)';
  }
}

function freePort(avoid: Set<number>): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => (avoid.has(port) ? freePort(avoid).then(resolve, reject) : resolve(port)));
    });
  });
}

/**
 * The lab process itself (`lab up --foreground`): serves every cluster until SIGINT/SIGTERM,
 * writes lab.json once all answer, removes it when it stops.
 */
export async function serveLab(req: UpRequest, log: (line: string) => void): Promise<{ state: LabState; lab: RunningLab; stopped: Promise<void> }> {
  const paths = labPaths(req.cwd);
  const current = runningLab(req.cwd);
  if (current && current.pid !== process.pid) {
    throw new LabError(`a lab for platform ${current.platform.name} is already running in this folder (pid ${current.pid})`, 'one lab per folder: run `meshwright lab down` first', 1);
  }
  const { pki, ports } = await prepare(paths, req);
  let lab: RunningLab;
  try {
    // the servers and controllers load only in the lab's own process, not in every CLI that asks about it
    const { startLab } = await import('../runtime.js');
    lab = await startLab({
      platform: req.platform,
      dataDir: paths.data,
      ports,
      pki,
      latencyMs: req.latencyMs ?? 0,
      // every request with MESHWRIGHT_LAB_DEBUG set; otherwise only what went wrong
      log: (l) => (process.env.MESHWRIGHT_LAB_DEBUG || l.includes('internal error') ? log(l) : undefined),
      ...(process.env.MESHWRIGHT_LAB_BOOKMARK_MS ? { bookmarkEveryMs: Number(process.env.MESHWRIGHT_LAB_BOOKMARK_MS) } : {}),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new LabError(`a lab port is in use by another process (${e.message})`, `free the port, or edit ${paths.ports} to give the cluster another one`, 3);
    throw err;
  }
  for (const c of lab.clusters) await probe(c.port, pki);
  const state: LabState = {
    apiVersion: 'meshwright/v1alpha1',
    kind: 'LabState',
    simulated: true,
    pid: process.pid,
    platform: { name: req.platform.metadata.name, file: req.platformFile },
    clusters: lab.clusters.map((c) => ({ name: c.name, port: c.port, server: `https://127.0.0.1:${c.port}`, ...(c.observer ? { observer: c.observer.address } : {}) })),
    kubeconfig: paths.kubeconfig,
    startedAt: req.now.toISOString(),
  };
  writeState(paths, state);
  log(`meshwright lab (simulated): platform ${state.platform.name}, ${state.clusters.map((c) => `${c.name} ${c.server}`).join(', ')}`);
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`meshwright lab: ${signal}, stopping`);
      await lab.stop();
      clearState(paths, process.pid);
      resolve();
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
  return { state, lab, stopped };
}

/** GET /version with the lab's client certificate: the server answers, so the lab is up. */
export function probe(port: number, pki: LabPki, timeoutMs = 2000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/version', method: 'GET', ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(body) as Record<string, unknown>);
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** `lab down`: stops the lab process (SIGTERM, then SIGKILL after 10 s). */
export async function labDown(cwd: string): Promise<LabState | undefined> {
  const s = runningLab(cwd);
  if (!s) return undefined;
  try {
    process.kill(s.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && alive(s.pid)) await sleep(50);
  if (alive(s.pid)) {
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // gone
    }
    while (alive(s.pid)) await sleep(20);
  }
  clearState(labPaths(cwd), s.pid);
  return s;
}

/** `lab reset`: stops the lab and clears its objects and log; the CA, ports and kubeconfig stay. */
export async function labReset(cwd: string): Promise<{ stopped: LabState | undefined; cleared: string[] }> {
  const stopped = await labDown(cwd);
  const paths = labPaths(cwd);
  const cleared = [paths.data, paths.log].filter((p) => existsSync(p));
  for (const p of cleared) rmSync(p, { recursive: true, force: true });
  return { stopped, cleared };
}

export async function labStatus(cwd: string): Promise<{ state: LabState | undefined; answering: Record<string, boolean> }> {
  const state = runningLab(cwd);
  const answering: Record<string, boolean> = {};
  if (state) {
    const pki = await ensureLabPki(labPaths(cwd).pki, new Date());
    for (const c of state.clusters) answering[c.name] = await probe(c.port, pki, 1000).then(() => true, () => false);
  }
  return { state, answering };
}

export { labPaths };

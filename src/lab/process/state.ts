import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writePrivate } from './files.js';
import type { LabPaths } from './layout.js';

/** lab.json: what the running lab process serves. Written once every API server answers. */
export interface LabState {
  apiVersion: 'meshwright/v1alpha1';
  kind: 'LabState';
  simulated: true;
  pid: number;
  platform: { name: string; file: string };
  /** `observer`: the cluster's hubble-relay, Hubble's Observer gRPC API in plain text (`meshwright observe`). */
  clusters: Array<{ name: string; port: number; server: string; observer?: string }>;
  kubeconfig: string;
  startedAt: string;
}

export function readState(paths: LabPaths): LabState | undefined {
  if (!existsSync(paths.state)) return undefined;
  try {
    return JSON.parse(readFileSync(paths.state, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeState(paths: LabPaths, state: LabState): void {
  writePrivate(paths.state, `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState(paths: LabPaths, pid?: number): void {
  const s = readState(paths);
  if (pid === undefined || !s || s.pid === pid) rmSync(paths.state, { force: true });
}

/**
 * Is `pid` running? A killed process nobody has reaped yet (a zombie: a lab's parent exits at
 * once, and not every init reaps promptly) still answers kill(pid, 0), so /proc decides.
 */
export function alive(pid: number): boolean {
  // 0 and negatives address process groups (kill(2)); NaN from a damaged record is no process
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Is `pid` a live meshwright lab process (not a recycled pid of something else)? */
export function isLabProcess(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('lab');
  } catch {
    return true;
  }
}

export function readPorts(paths: LabPaths): Record<string, number> {
  try {
    return JSON.parse(readFileSync(paths.ports, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export function writePorts(paths: LabPaths, ports: Record<string, number>): void {
  writePrivate(paths.ports, `${JSON.stringify(ports, null, 2)}\n`);
}

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmdirSync } from 'node:fs';
import { REPO_ROOT } from './golden.js';

/** The unprivileged user the fault cases run as (nobody on Debian). */
export const NOBODY = 65534;
const SETPRIV = ['setpriv', '--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', '--'];

/**
 * Why the unprivileged cases cannot run here, or undefined when they can: they need root (to drop
 * to another user at all), setpriv, and a repository that user can read.
 */
export function whyNoSetpriv(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root: cannot drop to another user to make files unreadable';
  const probe = spawnSync(SETPRIV[0]!, [...SETPRIV.slice(1), process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(`${REPO_ROOT}/src/cli/main.ts`)})`], { encoding: 'utf8' });
  if (probe.error) return `setpriv is not available (${probe.error.message})`;
  if (probe.status !== 0) return `uid ${NOBODY} cannot read the repository at ${REPO_ROOT} (${probe.stderr.trim().split('\n')[0]})`;
  return undefined;
}

export interface FaultResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs every command line in one child process as uid 65534 (test/helpers/fault-runner.ts). */
export function runAsNobody(cases: { argv: string[]; cwd: string }[]): FaultResult[] {
  const r = spawnSync(SETPRIV[0]!, [...SETPRIV.slice(1), process.execPath, '--import', 'tsx', 'test/helpers/fault-runner.ts'], { cwd: REPO_ROOT, input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`the fault runner failed (status ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as FaultResult[];
}

/** A tiny tmpfs at `dir` (made 0755), unmounted by the returned function; a string says why none could be mounted. */
export function mountTmpfs(dir: string, options: string): (() => void) | string {
  if (process.getuid?.() !== 0) return 'not running as root: cannot mount a tmpfs';
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'meshwright-test', dir], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmdirSync(dir);
    return `mount -t tmpfs refused (${r.error?.message ?? r.stderr.trim()})`;
  }
  if (!options.split(',').includes('ro')) chmodSync(dir, 0o755);
  return () => {
    spawnSync('umount', [dir]);
    rmdirSync(dir);
  };
}

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commit, stage } from '../state/index.js';
import type { VerifyReport } from '../verify/index.js';

/** The report of the last `meshwright verify`, kept in the state folder for the dashboard. */
export const LAST_VERIFY_FILE = 'last-verify.json';

/** Replaces the kept report in one step (written beside it, then renamed): a reader never sees half of one. */
export function keepLastVerify(stateDir: string, report: VerifyReport): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  commit([stage(join(stateDir, LAST_VERIFY_FILE), `${JSON.stringify(report, null, 2)}\n`)]);
}

/** The kept report, or undefined when verify has not run from this state folder. */
export function readLastVerify(stateDir: string): unknown {
  try {
    return JSON.parse(readFileSync(join(stateDir, LAST_VERIFY_FILE), 'utf8')) as unknown;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

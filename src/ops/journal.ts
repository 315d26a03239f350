import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { makeFolder } from '../source/index.js';
// state/atomic.js itself, not state's index: that one loads pki, which a no-op apply never needs
import { writeFileAtomic } from '../state/atomic.js';

export const JOURNAL_FILE = 'apply-journal.json';
export const APPLIED_PLATFORM_FILE = 'applied-platform.json';

export type EntryState = 'started' | 'done' | 'failed';

/** One step on one cluster: what it was given (a hash of its inputs) and how it ended. */
export interface JournalEntry {
  step: string;
  cluster: string;
  inputs: string;
  state: EntryState;
  pid: number;
  at: string;
  /** For done: what changed; for failed: why. */
  description: string;
}

interface JournalFile {
  apiVersion: 'meshwright/v1alpha1';
  kind: 'ApplyJournal';
  platform: string;
  entries: JournalEntry[];
}

/**
 * The apply journal in the state folder. Each step writes `started` with its inputs' hash before it
 * changes anything, then `done` or `failed` (helm records a release pending before acting, and
 * failed with a description: pkg/action/upgrade.go; runtime anchors #10). On the next apply a
 * `done` entry with the same hash is skipped; `started` or `failed` runs the (idempotent) step again.
 * Every write replaces the file atomically, so a kill -9 leaves the previous or the next journal.
 */
export class Journal {
  private constructor(
    private readonly file: string,
    private data: JournalFile,
  ) {}

  static open(stateDir: string, platform: string): Journal {
    const file = join(stateDir, JOURNAL_FILE);
    let data: JournalFile = { apiVersion: 'meshwright/v1alpha1', kind: 'ApplyJournal', platform, entries: [] };
    if (existsSync(file)) {
      try {
        const read = JSON.parse(readFileSync(file, 'utf8')) as JournalFile;
        if (read.kind === 'ApplyJournal' && Array.isArray(read.entries)) data = read.platform === platform ? read : { ...data };
      } catch {
        throw new MeshwrightError({ severity: 'error', code: 'APPLY_JOURNAL', file, message: `${file} is not an apply journal meshwright can read`, hint: `move it away to start the journal afresh (apply re-checks every step; nothing is lost)` });
      }
    }
    return new Journal(file, data);
  }

  get(step: string, cluster: string): JournalEntry | undefined {
    return this.data.entries.find((e) => e.step === step && e.cluster === cluster);
  }

  /** Is this step done on this cluster with these very inputs? */
  isDone(step: string, cluster: string, inputs: string): boolean {
    const e = this.get(step, cluster);
    return e?.state === 'done' && e.inputs === inputs;
  }

  record(entry: Omit<JournalEntry, 'pid' | 'at'>, now: Date): void {
    const full: JournalEntry = { ...entry, pid: process.pid, at: now.toISOString() };
    const rest = this.data.entries.filter((e) => !(e.step === entry.step && e.cluster === entry.cluster));
    this.data = { ...this.data, entries: [...rest, full] };
    makeFolder(join(this.file, '..'), 0o700);
    writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }

  entries(): readonly JournalEntry[] {
    return this.data.entries;
  }
}

/** A stable hash of a step's inputs (JSON with sorted keys). */
export function inputsHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The platform apply last converged (pod CIDRs are compared with it; `status` and `verify` read its file when given none). */
export function readAppliedPlatform(stateDir: string): { platform?: string; file?: string; clusters: Array<{ name: string; podCIDR: string }> } | undefined {
  const file = join(stateDir, APPLIED_PLATFORM_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { platform?: string; file?: string; clusters: Array<{ name: string; podCIDR: string }> };
  } catch {
    return undefined;
  }
}

export function writeAppliedPlatform(stateDir: string, value: unknown): void {
  const file = join(stateDir, APPLIED_PLATFORM_FILE);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  // a no-op apply writes nothing
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  writeFileAtomic(file, text);
}

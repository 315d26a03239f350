/**
 * A Stryker reporter that writes as it goes, where Stryker's own reporters write only when a run
 * ends: each surviving or uncovered mutant is appended to `survivors.live.txt` the moment it is
 * known, and `tally.live.txt` holds the running tally. A long run stopped early (for time) still
 * leaves what it found, and tests for its survivors can be written while it goes on.
 * The folder comes from MUTATE_LIVE_DIR, set by scripts/mutate.ts.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import type { MutantResult } from '@stryker-mutator/api/core';
import type { Reporter } from '@stryker-mutator/api/report';

/** A mutant no test caught: it survived the tests that cover it, or none covers it. */
export const isSurvivor = (r: Readonly<MutantResult>): boolean => r.status === 'Survived' || r.status === 'NoCoverage';

/** One survivor as `file:line:column status mutator: replacement`, positions as the mutation report gives them (1-based, as editors count). */
export function survivorLine(r: Readonly<MutantResult>, root: string): string {
  return `${r.fileName.replace(`${root}/`, '')}:${r.location.start.line}:${r.location.start.column} ${r.status} ${r.mutatorName}: ${JSON.stringify(r.replacement ?? '')}`;
}

class LiveReporter implements Reporter {
  private readonly dir = process.env['MUTATE_LIVE_DIR'] ?? join(process.cwd(), 'reports', 'mutation');
  private readonly counts = new Map<string, number>();

  constructor() {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, 'survivors.live.txt'), '');
  }

  onMutantTested(r: Readonly<MutantResult>): void {
    this.counts.set(r.status, (this.counts.get(r.status) ?? 0) + 1);
    if (isSurvivor(r)) appendFileSync(join(this.dir, 'survivors.live.txt'), `${survivorLine(r, process.cwd())}\n`);
    const line = [...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s} ${n}`).join(' · ');
    writeFileSync(join(this.dir, 'tally.live.txt'), `${line}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'live', LiveReporter)];

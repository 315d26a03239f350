import { createHash } from 'node:crypto';
import { paint } from '../diag/index.js';
import type { RenderOutcome } from '../ops/index.js';
import { fileMode, type TreeChange } from '../render-output/index.js';
import { table } from './table.js';

/** What render wrote, as a person reads it: the files per cluster, then the certificates. */
export function renderSummary(outcome: RenderOutcome, outDir: string, color: boolean): string {
  const p = paint(color);
  const secrets = outcome.files.filter((f) => f.secret).length;
  const lines = [`${p.green('✓')} rendered ${outcome.files.length} files into ${outDir} (${secrets} secret, mode 0600)`];
  const byCluster = new Map<string, string[]>();
  for (const f of outcome.files) {
    const [head, ...rest] = f.path.split('/');
    const key = rest.length ? head! : '.';
    byCluster.set(key, [...(byCluster.get(key) ?? []), rest.length ? rest.join('/') : f.path]);
  }
  for (const [cluster, paths] of byCluster) lines.push(`  ${cluster}/`, ...paths.map((x) => `    ${x}`));
  lines.push('', p.bold('certificates (one mesh CA)'), certificateTable(outcome));
  return lines.join('\n');
}

function certificateTable(outcome: RenderOutcome): string {
  const status = statusOf(outcome);
  return table(
    ['certificate', 'common name', 'expires', 'days left', 'status'],
    outcome.certificates.map((c) => [c.id, c.commonName, c.notAfter.slice(0, 10), c.daysLeft, status.get(c.id) ?? '']),
  );
}

function statusOf(outcome: RenderOutcome): Map<string, string> {
  return new Map(outcome.events.map((e) => [e.id, e.reason ? `${e.action} (${e.reason})` : e.action]));
}

/**
 * What render wrote, as data (`-o json|yaml`): every file with its mode and digest, so a script
 * can check what changed without reading secrets, and the certificates' public facts. No key material.
 */
export function renderData(outcome: RenderOutcome, outDir: string, stateDir: string): Record<string, unknown> {
  const events = new Map(outcome.events.map((e) => [e.id, e]));
  return {
    apiVersion: 'meshwright/v1alpha1',
    kind: 'RenderResult',
    outputDir: outDir,
    stateDir,
    files: outcome.files.map((f) => ({ path: f.path, mode: `0${fileMode(f).toString(8)}`, secret: f.secret, bytes: Buffer.byteLength(f.content), sha256: createHash('sha256').update(f.content).digest('hex') })),
    certificates: outcome.certificates.map((c) => {
      const e = events.get(c.id);
      return { ...c, ...(e ? { action: e.action, ...(e.reason ? { reason: e.reason } : {}) } : {}) };
    }),
  };
}

export function diffSummary(changes: TreeChange[], color: boolean): string {
  const p = paint(color);
  if (changes.length === 0) return `${p.green('✓')} no changes: the output is up to date`;
  const out: string[] = [];
  for (const c of changes) {
    if (c.change === 'removed') out.push(`${p.red('-')} ${c.path} (would be removed)`);
    else if (c.secret) out.push(`${c.change === 'added' ? p.green('+') : p.yellow('~')} ${c.path} (secret, ${c.change}; contents not shown)`);
    else out.push(colorPatch(c.patch ?? '', p));
  }
  out.push(`${changes.length} file${changes.length === 1 ? '' : 's'} would change (nothing written)`);
  return out.join('\n');
}

/** `render --diff -o json|yaml`: the changes file by file; secret files by name only, as on the terminal. */
export function diffData(changes: TreeChange[], outDir: string): Record<string, unknown> {
  return { apiVersion: 'meshwright/v1alpha1', kind: 'RenderDiff', outputDir: outDir, changed: changes.length > 0, changes };
}

function colorPatch(patch: string, p: ReturnType<typeof paint>): string {
  return patch
    .trimEnd()
    .split('\n')
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? p.green(l) : l.startsWith('-') && !l.startsWith('---') ? p.red(l) : l.startsWith('@@') ? p.cyan(l) : l))
    .join('\n');
}

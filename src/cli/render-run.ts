import { webcrypto } from 'node:crypto';
import { resolve } from 'node:path';
import { MeshwrightError, paint } from '../diag/index.js';
import { assertWritableOutput, diffTree, readTree, writeTree, type TreeChange } from '../render-output/index.js';
import { certificatePlan, certificateSummary, newIpsecKeys, reconcilePki, type PkiEvent } from '../pki/index.js';
import { renderPlatform, type RenderedFile, type RenderOptions } from '../render/index.js';
import type { Platform } from '../spec/index.js';
import { loadIpsecKeys, loadPkiState, saveIpsecKeys, savePkiState } from '../state/index.js';
import { table } from './table.js';

export interface RenderRequest {
  platform: Platform;
  outDir: string;
  stateDir: string;
  now: Date;
  rotateCa: boolean;
  diff: boolean;
  options: RenderOptions;
}

export interface RenderOutcome {
  files: RenderedFile[];
  events: PkiEvent[];
  certificates: ReturnType<typeof certificateSummary>;
  /** Only with diff: what would change. */
  changes?: TreeChange[];
}

/**
 * Certificates first (reused from the state folder, issued where missing or due), then every
 * file in memory, then — unless only diffing — the state and the output written atomically.
 */
export async function renderRun(req: RenderRequest): Promise<RenderOutcome> {
  // A CA being replaced is not checked: --rotate-ca is the way out of a foreign or corrupted one.
  const state = loadPkiState(req.stateDir, { rotateCa: req.rotateCa });
  const { state: next, pki, events } = await reconcilePki(state, certificatePlan(req.platform), { now: req.now, crypto: webcrypto, rotateCa: req.rotateCa });
  const ipsecKeys = req.platform.spec.cilium.encryption.type === 'ipsec' ? (loadIpsecKeys(req.stateDir) ?? newIpsecKeys(webcrypto)) : undefined;
  const files = renderPlatform(req.platform, { ...pki, ...(ipsecKeys ? { ipsecKeys } : {}) }, req.options);
  const certificates = certificateSummary(pki, req.now);
  if (req.diff) return { files, events, certificates, changes: diffTree(readTree(req.outDir), files) };
  if (resolve(req.outDir) === resolve(req.stateDir) || resolve(req.stateDir).startsWith(`${resolve(req.outDir)}/`)) {
    throw new MeshwrightError({ severity: 'error', code: 'OUTPUT_OVERLAPS_STATE', message: 'the output folder may not hold the state folder: render replaces its output wholesale', hint: 'use separate folders for -o and --state' });
  }
  // Refuse a bad output folder before the state folder is touched: nothing half-written.
  assertWritableOutput(req.outDir);
  savePkiState(req.stateDir, next);
  if (ipsecKeys) saveIpsecKeys(req.stateDir, ipsecKeys);
  writeTree(req.outDir, files);
  return { files, events, certificates };
}

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

export function certificateTable(outcome: RenderOutcome): string {
  const status = new Map(outcome.events.map((e) => [e.id, e.reason ? `${e.action} (${e.reason})` : e.action]));
  return table(
    ['certificate', 'common name', 'expires', 'days left', 'status'],
    outcome.certificates.map((c) => [c.id, c.commonName, c.notAfter.slice(0, 10), c.daysLeft, status.get(c.id) ?? '']),
  );
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

function colorPatch(patch: string, p: ReturnType<typeof paint>): string {
  return patch
    .trimEnd()
    .split('\n')
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? p.green(l) : l.startsWith('-') && !l.startsWith('---') ? p.red(l) : l.startsWith('@@') ? p.cyan(l) : l))
    .join('\n');
}

/**
 * What changed between a baseline and now, as np-guard netpol-analyzer's `diff` reports it
 * (pkg/netpol/diff/diff_formatter_text.go): one line per pair whose connections differ, changed
 * first, then added, then removed, each sorted by source and destination; a pair missing on one
 * side has "No Connections" there.
 */
export interface ConnectionDiff {
  type: 'changed' | 'added' | 'removed';
  from: string;
  to: string;
  old: string;
  new: string;
}

export const NO_CONNECTIONS = 'No Connections';

/** Pairs as `from => to : connections` (connlist) or matrix cells, keyed by from and to. */
export type PairMap = Map<string, { from: string; to: string; conn: string }>;

export function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

export function diffPairs(old: PairMap, now: PairMap): ConnectionDiff[] {
  const out: ConnectionDiff[] = [];
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(key);
    const b = now.get(key);
    const before = a?.conn ?? NO_CONNECTIONS;
    const after = b?.conn ?? NO_CONNECTIONS;
    if (before === after) continue;
    const { from, to } = (a ?? b)!;
    const type = before === NO_CONNECTIONS ? 'added' : after === NO_CONNECTIONS ? 'removed' : 'changed';
    out.push({ type, from, to, old: before, new: after });
  }
  const rank = { changed: 0, added: 1, removed: 2 } as const;
  return out.sort((x, y) => rank[x.type] - rank[y.type] || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
}

export function diffText(diffs: readonly ConnectionDiff[]): string {
  if (diffs.length === 0) return 'No connections diff\n';
  return `${['Connectivity diff:', ...diffs.map((d) => `diff-type: ${d.type}, source: ${d.from}, destination: ${d.to}, old: ${d.old}, new: ${d.new}`)].join('\n')}\n`;
}

/** `from => to : connections` lines (netpol-analyzer list output, or `policy matrix -o connlist`). */
export function pairsFromConnlist(text: string): { pairs: PairMap; bad: number[] } {
  const pairs: PairMap = new Map();
  const bad: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^(.+?) => (.+?) : (.+)$/.exec(line);
    if (!m) return bad.push(i + 1);
    pairs.set(pairKey(m[1]!, m[2]!), { from: m[1]!, to: m[2]!, conn: m[3]! });
    return undefined;
  });
  return { pairs, bad };
}

/** A matrix's cells: connections, or the verdict with --port; pairs with nothing allowed (or dropped) are left out. */
export function pairsFromCells(cells: readonly { from: string; to: string; connections?: string; verdict?: string; stage?: string }[]): PairMap {
  const pairs: PairMap = new Map();
  for (const c of cells) {
    // With --port a drop at L3/L4 is no connection; a 403 from the proxy is a connection that changed.
    const verdict = c.verdict === 'denied' ? (c.stage === 'l7' ? 'denied (L7 403)' : NO_CONNECTIONS) : (c.verdict ?? NO_CONNECTIONS);
    const conn = c.connections !== undefined ? (c.connections === 'none' ? NO_CONNECTIONS : c.connections) : verdict;
    if (conn !== NO_CONNECTIONS) pairs.set(pairKey(c.from, c.to), { from: c.from, to: c.to, conn });
  }
  return pairs;
}

/** A fault drill the lab keeps while it runs (`meshwright lab fault CLUSTER …`). */
export type FaultSpec = { kind: 'clustermesh-down' } | { kind: 'foreign-ca' } | { kind: 'scale'; namespace: string; name: string; replicas: number };

export type Fault = FaultSpec & {
  cluster: string;
  since: string;
  /** What --clear puts back: scale's previous replicas. */
  previousReplicas?: number;
};

/** What `lab status` and `lab fault` print of a fault (never the saved Secrets). */
export function describeFault(f: Fault): string {
  if (f.kind === 'clustermesh-down') return `clustermesh-down: the clustermesh-apiserver endpoint of ${f.cluster} is stopped`;
  if (f.kind === 'foreign-ca') return `foreign-ca: the clustermesh certificates of ${f.cluster} come from another CA`;
  return `scale: deployment ${f.namespace}/${f.name} of ${f.cluster} scaled to ${f.replicas} (was ${f.previousReplicas ?? '?'})`;
}

/** `clustermesh-down`, `foreign-ca`, or `scale NS/DEPLOYMENT=N`, as the CLI takes them. */
export function parseFault(words: string[]): FaultSpec | { error: string } {
  const [kind, arg, ...rest] = words;
  if (kind === 'clustermesh-down' || kind === 'foreign-ca') return arg === undefined ? { kind } : { error: `${kind} takes no argument (got ${[arg, ...rest].join(' ')})` };
  if (kind === 'scale') {
    const m = arg && rest.length === 0 ? /^([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)=(\d+)$/.exec(arg) : null;
    if (!m) return { error: `scale needs NS/DEPLOYMENT=N, e.g. scale default/rebel-base=0 (got ${[arg ?? '', ...rest].join(' ').trim() || 'nothing'})` };
    return { kind, namespace: m[1]!, name: m[2]!, replicas: Number(m[3]) };
  }
  return { error: `unknown fault ${kind ?? '(none)'}: clustermesh-down, foreign-ca or scale NS/DEPLOYMENT=N` };
}

import type { HttpRequest, Identity, PeerRef, PolicyEngine, Protocol } from '../model/policy-engine/index.js';
import { formatConnections, isEmpty } from './connections.js';

export interface MatrixIdentity {
  key: string;
  /** Who lives in it, as a person names them: `ns/owner[Kind]` (with the cluster in a mesh). */
  name: string;
  cluster: string;
  pods: number;
}

export interface MatrixCell {
  from: string;
  to: string;
  /** With --port: the verdict for that port (and HTTP request). */
  verdict?: 'allowed' | 'denied' | 'unknown';
  /** Why a verdict or connection set is unknown: a rule the engine does not model could decide it. */
  unmodelled?: string;
  stage?: 'l3-l4' | 'l7';
  /** Without --port: every allowed connection, as protocol/port sets. */
  connections?: string;
}

export interface Matrix {
  port?: number;
  protocol?: Protocol;
  http?: HttpRequest;
  identities: MatrixIdentity[];
  cells: MatrixCell[];
}

/** Every source identity against every destination identity: one representative pod each, as Cilium decides per identity. */
export function buildMatrix(engine: PolicyEngine, opts: { port?: number; protocol: Protocol; http?: HttpRequest; multiCluster: boolean }): Matrix {
  // The diagonal asks whether pods of one identity reach each other: a second pod when there is one (a pod always reaches itself).
  const ids = engine.identities.map((i) => ({ identity: i, rep: { kind: 'endpoint', endpoint: i.endpoints[0]! } as PeerRef, peer: { kind: 'endpoint', endpoint: i.endpoints[1] ?? i.endpoints[0]! } as PeerRef, name: nameOf(i, opts.multiCluster) }));
  const cells: MatrixCell[] = [];
  for (const a of ids) {
    for (const b of ids) {
      const to = a === b ? b.peer : b.rep;
      if (opts.port === undefined) {
        const c = engine.allowedConnections(a.rep, to);
        cells.push({ from: a.name, to: b.name, connections: isEmpty(c) ? 'none' : `${formatConnections(c)}${c.l7 ? ' (L7 rules apply)' : ''}`, ...(c.unknown ? { unmodelled: c.unknown.join('; ') } : {}) });
      } else {
        const v = engine.explain({ from: a.rep, to, port: opts.port, protocol: opts.protocol, ...(opts.http ? { http: opts.http } : {}) });
        const why = v.verdict === 'unknown' ? [v.egress.unmodelled, v.ingress.unmodelled].filter(Boolean).join('; ') : undefined;
        cells.push({ from: a.name, to: b.name, verdict: v.verdict, ...(v.stage ? { stage: v.stage } : {}), ...(why ? { unmodelled: why } : {}) });
      }
    }
  }
  return {
    ...(opts.port !== undefined ? { port: opts.port, protocol: opts.protocol } : {}),
    ...(opts.http ? { http: opts.http } : {}),
    identities: ids.map(({ identity, name }) => ({ key: identity.key, name, cluster: identity.cluster, pods: identity.endpoints.length })),
    cells,
  };
}

function nameOf(i: Identity, multiCluster: boolean): string {
  const owners = [...new Set(i.endpoints.map((e) => `${e.namespace}/${e.owner.name}[${e.owner.kind}]`))].sort();
  return `${multiCluster ? `${i.cluster}/` : ''}${owners.join('+')}`;
}

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

interface Row {
  key: string;
  name: string;
  cluster: string;
  pods: number;
  rep: PeerRef;
  peer: PeerRef;
}

export interface MatrixOptions {
  port?: number;
  protocol: Protocol;
  http?: HttpRequest;
  multiCluster: boolean;
  /** Nodes shown as identities of their own: those hosting host-network pods, or (with --nodes) all. */
  nodes?: MatrixNode[];
}

/** A node as a matrix row: the host-network pods on it are its traffic (Cilium gives them its identity). */
export interface MatrixNode {
  ref: PeerRef & { kind: 'node' };
  hostNetwork: string[];
}

/** Every source identity against every destination identity: one representative pod each, as Cilium decides per identity. */
export function buildMatrix(engine: PolicyEngine, opts: MatrixOptions): Matrix {
  // The diagonal asks whether pods of one identity reach each other: a second pod when there is one (a pod always reaches itself).
  const ids: Row[] = engine.identities.map((i) => ({ key: i.key, cluster: i.cluster, pods: i.endpoints.length, rep: { kind: 'endpoint', endpoint: i.endpoints[0]! } as PeerRef, peer: { kind: 'endpoint', endpoint: i.endpoints[1] ?? i.endpoints[0]! } as PeerRef, name: nameOf(i, opts.multiCluster) }));
  for (const n of opts.nodes ?? []) ids.push(nodeRow(n, opts.multiCluster));
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
    identities: ids.map(({ key, name, cluster, pods }) => ({ key, name, cluster, pods })),
    cells,
  };
}

function nameOf(i: Identity, multiCluster: boolean): string {
  const owners = [...new Set(i.endpoints.map((e) => `${e.namespace}/${e.owner.name}[${e.owner.kind}]`))].sort();
  return `${multiCluster ? `${i.cluster}/` : ''}${owners.join('+')}`;
}

function nodeRow(n: MatrixNode, multiCluster: boolean): Row {
  const where = n.ref.name ? `node:${n.ref.name}` : 'node:?';
  const name = `${multiCluster && n.ref.cluster ? `${n.ref.cluster}/` : ''}${where}${n.hostNetwork.length ? ` [host network: ${n.hostNetwork.join(', ')}]` : ''}`;
  return { key: `${n.ref.cluster ?? ''}/${where}/${n.hostNetwork.join(',')}`, name, cluster: n.ref.cluster ?? '', pods: n.hostNetwork.length, rep: n.ref, peer: n.ref };
}

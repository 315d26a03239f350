import * as grpc from '@grpc/grpc-js';
import { buildRequestFilter, FilterError, followVerdict, historicFlows, observerPackage, QueryError, recordToWire, timestampNanos } from '../../observe/index.js';
import type { FlowFilter, FlowQuery, FlowRecord, FlowRing, WireTimestamp } from '../../observe/index.js';

/** A node a relay reaches: `<cluster>/<node>` as Hubble Relay names its peers. */
export interface ObserverNode {
  cluster: string;
  name: string;
  address: string;
}

export interface ObserverOptions {
  /** The cluster whose hubble-relay this is. */
  cluster: string;
  flows: FlowRing;
  /**
   * The clusters whose Hubble servers this relay reaches: its own and, through the Cluster Mesh,
   * each cluster it is connected to. The relay learns the remote nodes from the peer service
   * (the agent knows them through the mesh) and dials them with its client certificate, which
   * the remote servers accept only under a shared CA (cilium-mesh.md §1.7/§4.4: a shared CA is
   * "required for cross-cluster Hubble"; the chart's degraded mode "cross-cluster Hubble does
   * not operate"). In the lab a mesh link is ready only after the TLS handshake under the
   * peer's CA, so a ready link stands for both.
   */
  reachable: () => string[];
  /** The nodes of a cluster (from its API server). */
  nodes: (cluster: string) => ObserverNode[];
  now?: () => number;
  log?: (line: string) => void;
}

/** What hubble-relay v1.16.6 answers as its version; the lab says it is a simulation. */
export const OBSERVER_VERSION = '1.16.6 (meshwright lab, simulated)';

export interface RunningObserver {
  cluster: string;
  port: number;
  address: string;
  stop(): Promise<void>;
}

type Call<Req, Res = unknown> = grpc.ServerWritableStream<Req, Res>;

/**
 * Hubble Relay's Observer gRPC API (observer.proto) for one lab cluster, in plain text on
 * 127.0.0.1 (relay's listener without TLS, the chart's default `hubble.relay.tls.server.enabled:
 * false`), read from the lab's flow ring: GetFlows (history, filters, follow), ServerStatus,
 * GetNodes and GetNamespaces. A real `hubble observe --server 127.0.0.1:PORT` can read it.
 */
export async function startObserver(opts: ObserverOptions, port = 0): Promise<RunningObserver> {
  const started = (opts.now ?? Date.now)();
  const now = opts.now ?? Date.now;
  const inScope = (node: string): boolean => opts.reachable().includes(clusterOf(node));
  const server = new grpc.Server();
  const follows = new Set<() => void>();

  server.addService(observerPackage().Observer.service, {
    GetFlows: (call: Call<Record<string, unknown>>) => getFlows(call),
    GetAgentEvents: (call: Call<unknown>) => call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'GetAgentEvents is not implemented by the lab' }),
    GetDebugEvents: (call: Call<unknown>) => call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'GetDebugEvents is not implemented by the lab' }),
    ServerStatus: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, serverStatus()),
    GetNodes: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, { nodes: nodes() }),
    GetNamespaces: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, { namespaces: namespaces() }),
  });

  /** The rings of the nodes this relay reaches, each oldest first. */
  function perNode(): Map<string, FlowRecord[]> {
    return new Map([...opts.flows.byNode()].filter(([node]) => inScope(node)));
  }

  function getFlows(call: Call<Record<string, unknown>>): void {
    let q: FlowQuery;
    let history: FlowRecord[];
    let matches: (r: FlowRecord) => boolean;
    try {
      q = queryOf(call.request);
      matches = buildRequestFilter(q.whitelist, q.blacklist);
      // the snapshot and the subscription in one turn of the event loop: no flow falls between them
      history = historicFlows(perNode(), q, matches);
    } catch (err) {
      if (err instanceof FilterError || err instanceof QueryError) return void call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: err.message });
      throw err;
    }
    if (!q.follow) {
      for (const r of history) call.write(recordToWire(r));
      call.end();
      return;
    }
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      unsubscribe();
      follows.delete(finish);
      call.end();
    };
    const unsubscribe = opts.flows.subscribe((r) => {
      if (done || !inScope(r.node_name)) return;
      const v = followVerdict(r, q, matches);
      if (v === 'send') call.write(recordToWire(r));
      else if (v === 'end') finish();
    });
    follows.add(finish);
    call.on('cancelled', finish);
    call.on('close', finish);
    for (const r of history) call.write(recordToWire(r));
  }

  function reachableNodes(): ObserverNode[] {
    return opts.reachable().flatMap((c) => opts.nodes(c));
  }

  function serverStatus() {
    const ns = reachableNodes();
    const names = ns.map((n) => `${n.cluster}/${n.name}`);
    return {
      num_flows: String(names.reduce((s, n) => s + opts.flows.heldOn(n), 0)),
      max_flows: String(opts.flows.capacityPerNode * ns.length),
      seen_flows: String(names.reduce((s, n) => s + opts.flows.seenOn(n), 0)),
      uptime_ns: String(BigInt(Math.max(0, now() - started)) * 1_000_000n),
      num_connected_nodes: { value: ns.length },
      num_unavailable_nodes: { value: 0 },
      version: OBSERVER_VERSION,
    };
  }

  function nodes() {
    return reachableNodes().map((n) => {
      const name = `${n.cluster}/${n.name}`;
      return {
        name,
        version: OBSERVER_VERSION,
        address: `${n.address}:4244`,
        state: 'NODE_CONNECTED',
        // hubble's server certificates name `<node>.<cluster>.hubble-grpc.cilium.io` (pkg/hubble/peer/serviceoption)
        tls: { enabled: true, server_name: `${n.name.replace(/\./g, '-')}.${n.cluster}.hubble-grpc.cilium.io` },
        uptime_ns: String(BigInt(Math.max(0, now() - started)) * 1_000_000n),
        num_flows: String(opts.flows.heldOn(name)),
        max_flows: String(opts.flows.capacityPerNode),
        seen_flows: String(opts.flows.seenOn(name)),
      };
    });
  }

  function namespaces() {
    const seen = new Map<string, { cluster: string; namespace: string }>();
    for (const r of [...perNode().values()].flat()) {
      for (const ep of [r.flow.source, r.flow.destination]) {
        if (!ep?.namespace) continue;
        const cluster = ep.cluster_name ?? clusterOf(r.node_name);
        seen.set(`${cluster}/${ep.namespace}`, { cluster, namespace: ep.namespace });
      }
    }
    return [...seen.values()].sort((a, b) => a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace));
  }

  let stopped = false;
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    cluster: opts.cluster,
    port: bound,
    address: `127.0.0.1:${bound}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const f of [...follows]) f();
      // a relay pod going away: open streams end (followers see the stream close), sessions are torn down
      server.forceShutdown();
      await new Promise((r) => setImmediate(r));
    },
  };
}

/** `cluster/node` → cluster; a bare node name is in Cilium's `default` cluster. */
function clusterOf(node: string): string {
  const i = node.indexOf('/');
  return i < 0 ? 'default' : node.slice(0, i);
}

function queryOf(req: Record<string, unknown>): FlowQuery {
  const number = Number(req.number ?? 0);
  const ts = (v: unknown) => (v ? timestampNanos(v as WireTimestamp) : undefined);
  const since = ts(req.since);
  const until = ts(req.until);
  return {
    number: Number.isSafeInteger(number) ? number : Number.MAX_SAFE_INTEGER,
    first: req.first === true,
    follow: req.follow === true,
    whitelist: (req.whitelist as FlowFilter[] | undefined) ?? [],
    blacklist: (req.blacklist as FlowFilter[] | undefined) ?? [],
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

import type { LoadedObject } from '../manifests/index.js';
import { CONTROLLER_KINDS } from '../model/index.js';
import { parseAddress } from '../net/index.js';
import type { HostNetworkPod, NodePeer, PeerRef, PolicyBuild, PolicyEndpoint, Protocol } from '../model/policy-engine/index.js';

/** A name on the command line turned into the peers it stands for. */
export interface Resolved {
  /** What the name turned out to be. */
  what: 'pod' | 'workload' | 'service' | 'labels' | 'external' | 'node';
  text: string;
  peers: PeerRef[];
  /** For a Service: the port a backend receives for a request to the Service's `port` (undefined: the Service has no such port). */
  targetPort?: (endpoint: PolicyEndpoint, port: number, protocol: Protocol) => number | undefined;
  service?: { cluster?: string; namespace: string; name: string };
  /** For a Service: its ports as `port/protocol`. */
  ports?: string[];
}

export interface ResolveContext {
  endpoints: PolicyEndpoint[];
  /** Nodes with addresses (platform or Node objects): `node:NAME` and node addresses resolve to them. */
  nodes?: NodePeer[];
  /** Host-network pods: a name of one resolves to its node, whose identity its traffic has. */
  hostNetwork?: HostNetworkPod[];
  objects: readonly LoadedObject[];
  clusters: string[];
}

export class ResolveError extends Error {}

/** What names resolve against: a built engine's pods, nodes and objects, in these clusters. */
export function resolveContextOf(build: PolicyBuild, clusters: string[]): ResolveContext {
  return { endpoints: build.endpoints, nodes: build.nodes, hostNetwork: build.hostNetworkPods, objects: build.objects, clusters };
}

/**
 * `[CLUSTER/]NS/NAME`: a pod, else a workload (its pods), else a Service; `[CLUSTER/]NS/svc/NAME`
 * forces the Service; `[CLUSTER/]NS/k=v,k2=v2` is a pod with those labels; an IP is the outside world.
 */
export function resolvePeer(text: string, ctx: ResolveContext): Resolved {
  const node = resolveNode(text, ctx);
  if (node) return node;
  if (parseAddress(text)) return { what: 'external', text, peers: [{ kind: 'external', ip: text }] };
  const parts = text.split('/');
  // NS/svc/NAME wins over CLUSTER/NS/NAME: without a platform the one cluster is named "default", like the namespace.
  const isService = parts.length === 3 && parts[1] === 'svc';
  const cluster = !isService && parts.length >= 3 && ctx.clusters.includes(parts[0]!) ? parts.shift() : undefined;
  if (parts.length < 2) throw new ResolveError(`"${text}": expected [CLUSTER/]NAMESPACE/NAME, [CLUSTER/]NAMESPACE/svc/NAME, NAMESPACE/label=value,… or an IP address`);
  const namespace = parts[0]!;
  const inCluster = (e: { cluster: string }) => !cluster || e.cluster === cluster;
  if (parts.length === 3 && parts[1] === 'svc') return serviceOf(text, cluster, namespace, parts[2]!, ctx);
  if (parts.length !== 2) throw new ResolveError(`"${text}": too many "/"`);
  const name = parts[1]!;
  if (name.includes('=')) {
    if (!cluster && ctx.clusters.length > 1) throw new ResolveError(`"${text}": in a mesh, say which cluster the pod would run in: CLUSTER/${text}`);
    return labelled(text, cluster ?? ctx.clusters[0]!, namespace, name);
  }
  // A pod by its own name, whoever owns it: `web-7c5d8b9f4-x2lkq` is that one pod, not its Deployment.
  const pods = ctx.endpoints.filter((e) => inCluster(e) && e.namespace === namespace && e.name === name);
  if (pods.length) return { what: 'pod', text, peers: pods.map((endpoint) => ({ kind: 'endpoint', endpoint })) };
  // The top owner (a Deployment) or, in a live snapshot, the pod's own controller (its ReplicaSet).
  const names = (e: PolicyEndpoint) => [e.owner, ...(e.workload ? [e.workload] : [])].some((o) => o.name === name && CONTROLLER_KINDS.has(o.kind));
  const owned = ctx.endpoints.filter((e) => inCluster(e) && e.namespace === namespace && names(e));
  if (owned.length) return { what: 'workload', text, peers: owned.map((endpoint) => ({ kind: 'endpoint', endpoint })) };
  // No pod or workload has the name: a host-network pod's is its node.
  const onHost = (ctx.hostNetwork ?? []).filter((p) => (!cluster || p.cluster === cluster) && p.namespace === namespace && (p.name === name || p.owner.name === name));
  if (onHost.length) {
    return { what: 'node', text: `${text} (host network)`, peers: onHost.map((p): PeerRef => (p.node ? { kind: 'node', cluster: p.cluster, name: p.node, ...nodeExtras(ctx, p.cluster, p.node) } : { kind: 'node', cluster: p.cluster, relation: 'remote' })) };
  }
  if (findService(ctx.objects, cluster, namespace, name)) return serviceOf(text, cluster, namespace, name, ctx);
  throw new ResolveError(`"${text}": no pod, workload or Service named ${name} in namespace ${namespace}${cluster ? ` of cluster ${cluster}` : ''}`);
}

/**
 * `host` (the pod's own node), `remote-node` (a node it does not run on), `[CLUSTER/]node:NAME`,
 * or a node's address. `node/NAME` is not a node: it reads as a pod in namespace `node`.
 */
function resolveNode(text: string, ctx: ResolveContext): Resolved | undefined {
  if (text === 'host' || text === 'remote-node') return { what: 'node', text, peers: [{ kind: 'node', relation: text === 'host' ? 'local' : 'remote' }] };
  const m = /^(?:([^/]+)\/)?node:(.+)$/.exec(text);
  const nodes = ctx.nodes ?? [];
  if (m) {
    const found = nodes.filter((n) => n.name === m[2] && (!m[1] || n.cluster === m[1]));
    if (found.length === 0) throw new ResolveError(`"${text}": no node named ${m[2]}${m[1] ? ` in cluster ${m[1]}` : ''}${nodes.length ? `; nodes: ${nodes.map((n) => n.name).join(', ')}` : ': nodes come from --platform or Node objects given with -f'}`);
    return { what: 'node', text, peers: found.map(nodeRef) };
  }
  const byAddress = parseAddress(text) ? nodes.filter((n) => n.addresses.includes(text)) : [];
  return byAddress.length ? { what: 'node', text, peers: byAddress.map(nodeRef) } : undefined;
}

function nodeExtras(ctx: ResolveContext, cluster: string, name: string): { address?: string; controlPlane?: true } {
  const n = ctx.nodes?.find((x) => x.cluster === cluster && x.name === name);
  return { ...(n?.addresses[0] ? { address: n.addresses[0] } : {}), ...(n?.controlPlane ? { controlPlane: true as const } : {}) };
}

function nodeRef(n: NodePeer): PeerRef {
  return { kind: 'node', cluster: n.cluster, name: n.name, ...(n.addresses[0] ? { address: n.addresses[0] } : {}), ...(n.controlPlane ? { controlPlane: true } : {}) };
}

function labelled(text: string, cluster: string, namespace: string, spec: string): Resolved {
  const labels: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const [k, v, extra] = pair.split('=');
    if (!k || v === undefined || extra !== undefined) throw new ResolveError(`"${text}": labels are written key=value,key2=value2`);
    labels[k.trim()] = v.trim();
  }
  const endpoint: PolicyEndpoint = { cluster, namespace, name: `(${spec})`, owner: { kind: 'Pod', name: `(${spec})` }, labels, serviceAccount: 'default', ports: [] };
  return { what: 'labels', text, peers: [{ kind: 'endpoint', endpoint }] };
}

interface ServicePort {
  port: number;
  protocol?: string;
  targetPort?: number | string;
}

function findService(objects: readonly LoadedObject[], cluster: string | undefined, namespace: string, name: string): LoadedObject | undefined {
  return objects.find((o) => o.object.kind === 'Service' && (o.object.metadata.namespace ?? 'default') === namespace && o.object.metadata.name === name && (!cluster || !o.cluster || o.cluster === cluster));
}

/** A Service's backends: the pods its selector picks, in the clusters the caller allows. */
function serviceOf(text: string, cluster: string | undefined, namespace: string, name: string, ctx: ResolveContext): Resolved {
  const svc = findService(ctx.objects, cluster, namespace, name);
  if (!svc) throw new ResolveError(`"${text}": no Service ${namespace}/${name}`);
  const spec = (svc.object.spec ?? {}) as { selector?: Record<string, string>; ports?: ServicePort[] };
  const selector = Object.entries(spec.selector ?? {});
  const backends = selector.length === 0 ? [] : ctx.endpoints.filter((e) => e.namespace === namespace && selector.every(([k, v]) => e.labels[k] === v));
  return {
    what: 'service',
    text,
    peers: backends.map((endpoint) => ({ kind: 'endpoint', endpoint })),
    service: { ...(cluster ? { cluster } : {}), namespace, name },
    ports: (spec.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`),
    targetPort: (endpoint, port, protocol) => translate(spec.ports ?? [], endpoint, port, protocol),
  };
}

/** Cilium enforces policy after service translation: the service port becomes the backend's target port. */
function translate(ports: ServicePort[], endpoint: PolicyEndpoint, port: number, protocol: Protocol): number | undefined {
  const p = ports.find((x) => x.port === port && (x.protocol ?? 'TCP') === protocol);
  if (!p) return undefined;
  if (p.targetPort === undefined) return p.port;
  if (typeof p.targetPort === 'number') return p.targetPort;
  return endpoint.ports.find((c) => c.name === p.targetPort && c.protocol === protocol)?.port;
}

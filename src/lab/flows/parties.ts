import type { FlowEndpoint } from '../../observe/index.js';
import type { Identity, PeerRef, PolicyEndpoint, PolicyEngine } from '../../model/policy-engine/index.js';
import { getObj, listOf } from '../controllers/kit.js';
import type { ClusterApi } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import type { Party } from './carried.js';
import type { IdentityBook } from './identity-book.js';

/** Reserved identities (pkg/identity/numericidentity.go): the same number in every cluster. */
const RESERVED = { host: 1, world: 2, 'remote-node': 6, 'kube-apiserver': 7, ingress: 8, health: 4, init: 5, unmanaged: 3 } as const;

/** What a cluster's cilium-config says about identities and routing (the chart's keys; absent before Cilium is installed). */
export interface ClusterNet {
  clusterId: number;
  maxConnectedClusters: 255 | 511;
  routing: 'tunnel' | 'native';
}

export function clusterNet(api: ClusterApi): ClusterNet {
  const config: Record<string, string> = getObj(api, 'core/configmaps', 'kube-system', 'cilium-config')?.data ?? {};
  return {
    clusterId: Number(config['cluster-id'] || 0),
    maxConnectedClusters: config['max-connected-clusters'] === '511' ? 511 : 255,
    routing: (config['routing-mode'] || 'tunnel') === 'native' ? 'native' : 'tunnel',
  };
}

/** The identity of each endpoint the engine knows, per engine (built once). */
const identityIndex = new WeakMap<PolicyEngine, Map<PolicyEndpoint, Identity>>();

function identityOf(engine: PolicyEngine, endpoint: PolicyEndpoint): Identity | undefined {
  let index = identityIndex.get(engine);
  if (!index) {
    index = new Map();
    for (const i of engine.identities) for (const e of i.endpoints) index.set(e, i);
    identityIndex.set(engine, index);
  }
  return index.get(endpoint);
}

export interface PartyContext {
  cluster: string;
  api: ClusterApi;
  engine: PolicyEngine;
  book: IdentityBook;
}

/**
 * A pod as Hubble names an endpoint: its endpoint ID on its node, its security identity inside
 * its cluster's range, and the identity's labels as `source:key=value` (k8s: prefixed, with
 * io.cilium.k8s.policy.cluster and io.kubernetes.pod.namespace), its workload (the top owner,
 * as Hubble's workloads carry it).
 */
export function podParty(ctx: PartyContext, pod: Obj, endpoint: PolicyEndpoint): Party {
  // the engine's endpoints are built again whenever a pod changes: one party per endpoint object
  const cached = parties.get(endpoint);
  if (cached) return cached;
  const party = newPodParty(ctx, pod, endpoint);
  parties.set(endpoint, party);
  return party;
}

const parties = new WeakMap<PolicyEndpoint, Party>();

function newPodParty(ctx: PartyContext, pod: Obj, endpoint: PolicyEndpoint): Party {
  const node: string = pod.spec?.nodeName ?? '';
  const ident = identityOf(ctx.engine, endpoint);
  const net = clusterNet(ctx.api);
  const key = ident?.key ?? `${ctx.cluster}/${endpoint.namespace}/${endpoint.name}`;
  const labels = ident ? Object.entries(ident.labels).map(([k, v]) => `${k}=${v}`).sort() : [`k8s:io.cilium.k8s.policy.cluster=${ctx.cluster}`, `k8s:io.kubernetes.pod.namespace=${endpoint.namespace}`];
  const fe: FlowEndpoint = {
    ID: ctx.book.endpoint(`${ctx.cluster}/${node}`, `${pod.metadata.namespace}/${pod.metadata.name}`),
    identity: ctx.book.identity(ctx.cluster, key, net.clusterId, net.maxConnectedClusters),
    cluster_name: ctx.cluster,
    namespace: pod.metadata.namespace,
    labels,
    pod_name: pod.metadata.name,
    ...(endpoint.owner.kind !== 'Pod' ? { workloads: [{ name: endpoint.owner.name, kind: endpoint.owner.kind }] } : {}),
  };
  return { endpoint: fe, ip: pod.status?.podIP ?? '', cluster: ctx.cluster, node };
}

/** A reserved entity (the host a `lab curl` without --from leaves from, the Cilium Ingress' Envoy) on a node. */
export function entityParty(ctx: PartyContext, entity: keyof typeof RESERVED, nodeName: string | undefined): Party {
  const nodes = listOf(ctx.api, 'core/nodes').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const node = nodes.find((n) => n.metadata.name === nodeName) ?? nodes[0];
  const ip = (node?.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address ?? '';
  return { endpoint: { identity: RESERVED[entity], cluster_name: ctx.cluster, labels: [`reserved:${entity}`] }, ip, cluster: ctx.cluster, node: node?.metadata.name ?? '' };
}

/** The party a policy peer stands for, or undefined when the flows cannot name it. */
export function partyOf(ctx: PartyContext, peer: PeerRef, pod: Obj | undefined, near: string | undefined): Party | undefined {
  if (peer.kind === 'endpoint' && pod) return podParty(ctx, pod, peer.endpoint);
  if (peer.kind === 'entity' && peer.entity in RESERVED) return entityParty(ctx, peer.entity as keyof typeof RESERVED, pod?.spec?.nodeName ?? near);
  return undefined;
}

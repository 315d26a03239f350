/**
 * The policy engine's interface: endpoints in, verdicts out. Pure (no I/O). The CLI, the tests
 * and the benchmark depend only on this file and src/model/policy/index.ts.
 */
import type { Diagnostic } from '../../diag/index.js';
import type { LoadedObject } from '../../manifests/index.js';
import type { ClusterNode } from '../nodes.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
/** A controller kind (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job …), or Pod for a bare pod. */
export type OwnerKind = string;

/** A pod, as policy sees it: one of the workload model's pods (model/pods.ts). */
export interface PolicyEndpoint {
  cluster: string;
  namespace: string;
  name: string;
  /** The top owner (a Deployment, not its ReplicaSet): meshwright's own tables name workloads so. */
  owner: { kind: OwnerKind; name: string };
  /** The workload as netpol-analyzer names it (a given pod's controller as written: a ReplicaSet keeps its hash); the owner when absent. */
  workload?: { kind: OwnerKind; name: string };
  /** Pod labels (not yet the identity's k8s:… labels). */
  labels: Record<string, string>;
  serviceAccount: string;
  /** Container ports, for named-port resolution on the destination. */
  ports: { name?: string; port: number; protocol: Protocol }[];
  /** The node it runs on, when known. */
  node?: string;
}

/** A security identity: endpoints of one cluster with the same identity-relevant labels. */
export interface Identity {
  /** Stable key, e.g. "k8s-cilium-01/default/class=deathstar,org=empire". */
  key: string;
  cluster: string;
  namespace: string;
  /** Identity labels as Cilium shows them: k8s:<label>, k8s:io.kubernetes.pod.namespace, …cluster, …serviceaccount, …namespace.labels.<k>. */
  labels: Record<string, string>;
  endpoints: PolicyEndpoint[];
}

export type Entity = 'host' | 'remote-node' | 'kube-apiserver' | 'ingress' | 'health' | 'init' | 'unmanaged';

export type PeerRef =
  | { kind: 'endpoint'; endpoint: PolicyEndpoint }
  /** An address outside every cluster (the world entity, CIDR rules, K8s ipBlock). */
  | { kind: 'external'; ip: string }
  | { kind: 'entity'; entity: Entity; cluster: string }
  /**
   * A node, judged as Cilium does: `host` from pods on it, `remote-node` from everywhere else
   * (kube-apiserver too on a control plane). A named node, or relative to the pod at the other
   * end: `local` is that pod's own node, `remote` some other node.
   */
  | { kind: 'node'; cluster?: string; name?: string; address?: string; controlPlane?: boolean; relation?: 'local' | 'remote' };

/** A node of a cluster with its addresses (from a platform, or Node objects). */
export interface NodePeer {
  cluster: string;
  name: string;
  addresses: string[];
  controlPlane: boolean;
}

/** A pod on the host network: no endpoint of its own, its node's identity. */
export interface HostNetworkPod {
  cluster: string;
  namespace: string;
  name: string;
  node?: string;
  owner: { kind: OwnerKind; name: string };
}

export interface HttpRequest {
  method: string;
  path: string;
  host?: string;
  /** Header names as given; matching is case-insensitive on names. */
  headers: Record<string, string>;
}

/** `port` is what the destination pod receives (after Service translation). */
export interface PolicyRequest {
  from: PeerRef;
  to: PeerRef;
  port: number;
  protocol: Protocol;
  http?: HttpRequest;
}

/** The rule that decided, with its place in the user's file. */
export interface RuleRef {
  kind: 'NetworkPolicy' | 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  namespace?: string;
  name: string;
  /** The cluster whose copy of the policy decided. */
  cluster: string;
  section: 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';
  index: number;
  file: string;
  line: number;
  column: number;
}

export interface SideVerdict {
  direction: 'egress' | 'ingress';
  /** Some policy puts the endpoint in default deny for this direction. */
  enforced: boolean;
  /** unknown: a rule the engine does not model could decide this side (see `unmodelled`). */
  decision: 'allowed' | 'denied' | 'unknown';
  /** Why the decision is unknown: the rule and the construct not modelled. */
  unmodelled?: string;
  /** The allow or deny rule that decided; absent when not enforced, or on default deny. */
  rule?: RuleRef;
  /** Policies selecting the endpoint in this direction, as "Kind ns/name". */
  selectedBy: string[];
  /** One line a person reads: "allowed by …", "denied by …", "default deny: selected by P but no rule allows", "no policy selects …". */
  reason: string;
  /** Fixes a selecting policy's file needs before Cilium enforces what was judged here (absent when none). */
  dependsOn?: string[];
  /** Set when the side allowed at L4 but an L7 rule decided the request. */
  l7?: { allowed: boolean; rule?: RuleRef; reason: string; unknown?: boolean };
}

export interface Verdict {
  /** unknown when a side is unknown and no side surely drops: never "allowed" where Cilium could deny. */
  verdict: 'allowed' | 'denied' | 'unknown';
  /** Where a denied request stops: dropped at L3/L4, or answered by the proxy at L7. */
  stage?: 'l3-l4' | 'l7';
  /** 403 with body "Access denied" when denied at L7 (Cilium's Envoy). */
  httpStatus?: 403;
  egress: SideVerdict;
  ingress: SideVerdict;
}

/** Allowed L4 connections between two peers: everything, or port ranges per protocol. */
export interface ConnectionSet {
  all: boolean;
  ports: Record<Protocol, [number, number][]>;
  /** Some of these ports are restricted by L7 rules (requests may still get 403). */
  l7: boolean;
  /** Rules not modelled that could change this set (allow less or more): why. Absent when everything is modelled. */
  unknown?: string[];
}

export interface PolicyOptions {
  /** Cilium 1.18's policy-default-local-cluster (on by default from 1.19): unqualified selectors match the local cluster only. */
  policyDefaultLocalCluster: boolean;
}

export interface PolicyEngine {
  identities: Identity[];
  explain(request: PolicyRequest): Verdict;
  /** Every L4 connection `from` may open to `to`, both sides' policies applied. */
  allowedConnections(from: PeerRef, to: PeerRef): ConnectionSet;
  /** 0.0.0.0/0 cut at every CIDR and except boundary any policy names (of its ingress or egress rules only, when given), as [first, last] address pairs (for connlist). */
  externalBlocks(direction?: 'ingress' | 'egress'): [string, string][];
}

export interface PolicyInput {
  /** Every object, placed per cluster (pods, workloads, namespaces, services, policies). */
  objects: readonly LoadedObject[];
  /** Cluster names; objects without a cluster go to every cluster. One unnamed cluster when there is no platform. */
  clusters: string[];
  options: PolicyOptions;
  /** Each cluster's nodes (a platform's, or a snapshot's Node objects); unknown without. */
  nodes?: ReadonlyMap<string, readonly ClusterNode[]>;
  /** Each cluster's node addresses from a platform (Node objects among the objects add theirs). */
  nodeAddresses?: ReadonlyMap<string, readonly NodePeer[]>;
}

export interface PolicyBuild {
  engine: PolicyEngine;
  endpoints: PolicyEndpoint[];
  /** Nodes with their addresses, for node peers. */
  nodes: NodePeer[];
  /** Pods on the host network (their node's identity). */
  hostNetworkPods: HostNetworkPod[];
  /** The objects the clusters hold, each once: duplicates resolved, misspelt kinds read as meant. */
  objects: LoadedObject[];
  /** Positioned findings: unknown fields, invalid selectors/CIDRs/regexes, unresolvable named ports, kinds not modelled. */
  diagnostics: Diagnostic[];
}

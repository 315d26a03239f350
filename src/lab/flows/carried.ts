import type { FlowEndpoint, FlowPolicy } from '../../observe/index.js';

/** One end of a request as Hubble names it: its endpoint, address, cluster and the node it sits on. */
export interface Party {
  endpoint: FlowEndpoint;
  ip: string;
  cluster: string;
  /** The node's name inside its cluster (node_name adds the cluster). */
  node: string;
}

/** What one side's policy decided, in the terms a flow carries. */
export interface SideDecision {
  /** Some policy puts the endpoint in default deny for this direction: Cilium emits a policy-verdict event. */
  enforced: boolean;
  /** The L3/L4 decision (a verdict the engine cannot decide is forwarded, as the lab forwards it). */
  allowed: boolean;
  /** Denied by a deny rule (POLICY_DENY) rather than by no rule allowing (POLICY_DENIED). */
  explicitDeny: boolean;
  /** The policy of the rule that decided, with the rule's file:line:column among its labels. */
  policy?: FlowPolicy;
  /** The deciding rule's place ("file:line:column"): what Hubble cannot tell. */
  rule?: string;
  /** The policy engine's one-line reason. */
  reason: string;
  /** Set when an L7 (HTTP) rule decided the request: Envoy handles it on this side's node. */
  l7?: { allowed: boolean; policy?: FlowPolicy; rule?: string; reason: string };
}

/**
 * What the lab did with one request, reported by labCurl (src/lab/traffic/curl.ts) once it
 * reached a backend and the policy engine judged it: the input of the flow builder.
 */
export interface CarriedRequest {
  source: Party;
  destination: Party;
  /** The Service frontend the request went through (destination_service), if any. */
  service?: { name: string; namespace: string };
  /** The port the backend receives on (after service translation). */
  port: number;
  /** The client's ephemeral port. */
  sourcePort: number;
  http: { method: string; url: string; code?: number };
  egress: SideDecision;
  ingress: SideDecision;
  /** How the source node reaches another node: Cilium's routing-mode (tunnel: to-overlay; native: to-stack). */
  routing: 'tunnel' | 'native';
  /** How long the backend took to answer, for the L7 response's latency_ns. */
  latencyNs: number;
}

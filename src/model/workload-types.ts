import type { Diagnostic } from '../diag/index.js';
import type { ModelObject } from './objects.js';
import type { Scheduling } from './scheduling.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** One link of a pod's owner chain: `ReplicaSet web-7c5ddbdf54`, then `Deployment web`. */
export interface OwnerRef {
  kind: string;
  name: string;
}

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

/** What a pod is doing: live pods carry their status; predicted ones are what the controllers will make. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** A pod, live or predicted: the one shape plan, policy and the lab read. */
export interface ModelPod {
  name: string;
  namespace: string;
  /** Its labels, those the controllers add included (pod-template-hash, controller-revision-hash …). */
  labels: Record<string, string>;
  /** The node it runs on; undefined while it is not scheduled (or when the cluster's nodes are not known). */
  node: string | undefined;
  phase: PodPhase;
  /** Counted as an endpoint by a Service: Running, condition Ready True, not being deleted. */
  ready: boolean;
  /** metadata.deletionTimestamp is set. */
  terminating: boolean;
  /** spec.hostNetwork: the pod has its node's addresses (and, to Cilium, the node's identity). */
  hostNetwork: boolean;
  /** Nearest owner first: [ReplicaSet web-7c5ddbdf54, Deployment web]; empty for a bare pod. */
  owners: OwnerRef[];
  ports: ContainerPort[];
  serviceAccount: string;
  /** A Pod object of the input, or made from a workload's template. */
  origin: 'live' | 'predicted';
  /** Fixes its manifest needs before the API server takes it (see ModelObject.fixes). */
  dependsOn: Diagnostic[];
}

/**
 * Pods of one origin that are alike but for name and node: a live Pod object (one pod), or a
 * workload that is not given with its children (replicas, or one per node for a DaemonSet).
 * Counting works on groups so a plan never has to materialize every pod of a large mesh.
 */
export interface PodGroup {
  namespace: string;
  labels: Record<string, string>;
  owners: OwnerRef[];
  hostNetwork: boolean;
  ports: ContainerPort[];
  serviceAccount: string;
  scheduling: Scheduling;
  /** JSON of `scheduling`: groups that schedule alike share one feasibility answer per cluster. */
  schedulingKey: string;
  fixes: Diagnostic[];
  /** The object it was read from, for findings about it. */
  from: ModelObject;
  /** A Pod object: its name and state. */
  live?: { name: string; node: string | undefined; phase: PodPhase; ready: boolean; terminating: boolean };
  /** A Pod object without status (a manifest): it will be scheduled like any pod. */
  bare?: { name: string };
  /** A workload: how its pods are named and how many it wants. */
  workload?: {
    kind: string;
    name: string;
    /** StatefulSet pods are `<name>-<ordinal>`; the others `<base>-<5 characters>`. */
    naming: 'ordinal' | 'generated';
    base: string;
    /** Wanted pods; 'per-node' for a DaemonSet. */
    replicas: number | 'per-node';
    /** A live workload given without its pods: what its status says exists and is ready. */
    status?: { pods: number; ready: number };
  };
  /** Its count once scheduled, kept by groupCount (the same in every cluster where a node takes it). */
  scheduled?: Readonly<{ pods: number; ready: number; serving: number }>;
}

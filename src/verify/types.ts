import type { AgentStatus, ClusterClient } from '../ops/index.js';
import type { LoadedObject } from '../manifests/index.js';
import type { Plan } from '../plan/index.js';
import type { ClusterSpec, Platform } from '../spec/index.js';

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';

/** One observation compared with one expectation (a check yields one or more). */
export interface CheckResult {
  /** The check's id (its file under src/verify/checks/). */
  check: string;
  /** The cluster it looked at, when it looked at one. */
  cluster?: string;
  /** What was looked at: a node, a release, a VIP, a service from a client … */
  subject: string;
  status: CheckStatus;
  /** From the plan or the platform file. */
  expected: string;
  observed: string;
  /** What to do, when the result is not a pass. */
  hint?: string;
}

/** One answer of a request sent from a cluster: curl's exit code and who answered. */
export interface ProbeAnswer {
  exitCode: number;
  httpStatus?: number;
  body: string;
  error: string;
  /**
   * Who answered, when it can be known: the lab shortcut knows the pod; a probe pod sees only the
   * VIP and knows the cluster only where the answer names it (probe/backend.ts), never the pod.
   */
  backend?: { cluster: string; namespace?: string; pod?: string };
}

/**
 * How checks send traffic inside the clusters. On the lab by default the lab process answers
 * (requestCurl: the spec's addresses are resolved there, never dialled); on real clusters (and
 * on the lab with --probe pod) a short-lived probe pod per client cluster sends them (probe/).
 */
export interface Traffic {
  /** `from`: a pod of `cluster` ("namespace/name") the requests leave from, with its identity; else a node. */
  curl(cluster: string, url: string, opts: { headers?: string[]; count: number; seed: number; from?: string; method?: string }): Promise<ProbeAnswer[]>;
  /** Where a TLS client reaches the clustermesh-apiserver behind "VIP:2379": the lab's loopback mapping, or the address itself. */
  tlsTarget(address: string): Promise<{ host: string; port: number } | undefined>;
}

export interface ClusterAccess {
  spec: ClusterSpec;
  client: ClusterClient;
}

export interface VerifyContext {
  platform: Platform;
  plan: Plan;
  target: 'lab' | 'real';
  clusters: ClusterAccess[];
  traffic?: Traffic;
  /** The user's own manifests (`verify -f [CLUSTER=]PATH`: policies and the workloads they select), read as `policy matrix --platform` reads them. */
  manifests?: readonly LoadedObject[];
  /** The mesh CA (PEM) from the state folder, when there is one. */
  meshCaPem?: string;
  /** Requests per client cluster and global service. */
  requests: number;
  /** Seed of the lab's random backend choice (reproducible runs). */
  seed: number;
  /** Significance level of the share test. */
  alpha: number;
  /** Each agent's `cilium-dbg status -o json`, read once and shared by the checks that need it. */
  agents(cluster: string): Promise<AgentStatus[]>;
}

export interface Check {
  id: string;
  title: string;
  run(ctx: VerifyContext): Promise<CheckResult[]>;
}

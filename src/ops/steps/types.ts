import type { Plan } from '../../plan/index.js';
import type { ClusterSpec, Platform } from '../../spec/index.js';
import type { HelmDriver } from '../helm-driver.js';
import type { ObjectChange } from '../kube/apply.js';
import type { ClusterClient } from '../kube/client.js';
import type { Readiness } from '../kube/wait.js';

/** Everything a step may read; steps touch clusters only through `client` and `helm`. */
export interface StepContext {
  platform: Platform;
  target: 'lab' | 'real';
  /** Rendered files by their path in the output folder (contents in memory: a dry run writes nothing). */
  files: ReadonlyMap<string, string>;
  /** The output folder the files were written to (helm on real clusters reads values files from it). */
  outDir: string;
  plan: Plan;
  helm: HelmDriver;
  kubeconfig: string;
  /** Per step. */
  timeoutMs: number;
  now: () => Date;
}

/** One cluster as an API step sees it. */
export interface ClusterHandle {
  spec: ClusterSpec;
  client: ClusterClient;
  /** Waits until `check` is ready, re-checking on changes of `paths`, until this step's deadline. */
  wait(paths: readonly string[], check: () => Promise<Readiness>): Promise<void>;
  note(message: string): void;
  /**
   * When an earlier apply died inside this step on this cluster (its journal entry still says
   * started): when that run started it, and its pid. What it left half-done since then is this
   * apply's to finish (the state lock says no other apply runs).
   */
  interrupted?: { since: Date; pid: number };
}

export interface StepOutcome {
  changes: ObjectChange[];
  notes: string[];
}

/** A step that talks to one cluster's API; idempotent, and done only once what it made is ready. */
export interface ClusterStep {
  name: string;
  title: string;
  /** Whether the step has anything to do on this cluster (e.g. no LB IPs: no pool). */
  applies(ctx: StepContext, cluster: ClusterSpec): boolean;
  /** What the journal hashes: a change here runs the step again. */
  inputs(ctx: StepContext, cluster: ClusterSpec): unknown;
  run(ctx: StepContext, c: ClusterHandle): Promise<StepOutcome>;
  /** --dry-run: what would change, without changing it. */
  preview(ctx: StepContext, c: ClusterHandle): Promise<ObjectChange[]>;
}

import type { RenderOutcome, RenderRequest } from './render.js';
export type { RenderOutcome, RenderRequest } from './render.js';

/** render's pipeline (src/ops/render.ts), loaded on first use: a no-op apply does not need the renderers. */
export async function runRender(req: RenderRequest): Promise<RenderOutcome> {
  return (await import('./render.js')).runRender(req);
}
export { defaultKubeconfig, mergeKubeconfig, readAdminAccess, runKubeconfigMerge } from './kubeconfig/index.js';
export type { KubeconfigMergeOutcome, KubeconfigMergeRequest, MergedCluster } from './kubeconfig/index.js';
export { CLUSTER_STEPS, runApply } from './apply.js';
export type { ApplyOutcome, ApplyRequest, ClusterOutcome, StepReport } from './apply.js';
export { createProgress } from './progress.js';
export type { Progress, ProgressEvent, ProgressMode } from './progress.js';
export { execCommand, readAgentStatus, parseAgentStatus, unconnectedPeers } from './kube/cilium-status.js';
export type { ExecOutcome } from './kube/cilium-status.js';
export type { AgentStatus, RemoteCluster } from './kube/cilium-status.js';
export { readKvstoremeshStatus, parseKvstoremeshStatus } from './kube/kvstoremesh-status.js';
export type { KvstoremeshStatus } from './kube/kvstoremesh-status.js';
export { readAppliedPlatform, APPLIED_PLATFORM_FILE } from './journal.js';
export { readRelease, decodeRelease } from './kube/helm-release.js';
export type { ReleaseRecord } from './kube/helm-release.js';
export { helmUpgradeArgs } from './tools/helm-args.js';
export type { ChartSource, HelmUpgrade } from './tools/helm-args.js';
export { ansiblePlaybookArgs } from './tools/ansible-args.js';
export type { KubesprayRun } from './tools/ansible-args.js';
export { ansibleCoreSupported, parseAnsibleCoreVersion, preflightReal } from './preflight.js';
export type { ChartName } from './tools/charts.js';
// Light (node:https only): a no-op apply must not load client-node (about 1 s of start-up); clusterClient is in ./kube/index.js.
export { apiStatusOf, getJson, isLabVersion, serverVersion, statusOf } from './kube/http.js';
export { MissingContext } from './kube/endpoint.js';
export type { ClusterClient } from './kube/client.js';
export { chartSource } from './tools/charts.js';

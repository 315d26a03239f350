// The embedded lab: loopback Kubernetes API servers that real kubectl and client-node drive.
import type { RunningLab, StartOptions } from './runtime.js';
export type { LabCluster, RunningLab, StartOptions } from './runtime.js';

// This face stays light (the CLI's lab, status, verify and a no-op apply load it): the servers,
// controllers and the traffic model (with the policy engine) load on first use.
export async function startLab(opts: StartOptions): Promise<RunningLab> {
  return (await import('./runtime.js')).startLab(opts);
}
export { ensureLabPki } from './pki.js';
export type { LabPki } from './pki.js';
export { labKubeconfig } from './kubeconfig.js';
export { ClusterApi, SIMULATED_ANNOTATION } from './service/cluster-api.js';
export { LogStore } from './store/log-store.js';
export { LAB_DIR, labPaths } from './process/layout.js';
export type { LabPaths } from './process/layout.js';
export type { LabState } from './process/state.js';
export { alive as processAlive } from './process/state.js';
export { LabError, labDown, labReset, labStatus, labUp, probe, runningLab, serveLab } from './process/supervisor.js';
export { ManualClock, realClock } from './clock.js';
export type { Clock } from './clock.js';
export * as labHelm from './helm/index.js';
export { requestCurl, requestTlsEndpoint } from './traffic/request.js';
export { batchesOf, runLoad, TRAFFIC_LIMITS } from './traffic/load.js';
export type { Batch, LoadPlan } from './traffic/load.js';
export { summarizeLoad } from './traffic/load-summary.js';
export type { LoadSummary } from './traffic/load-summary.js';
export { BACKEND_BIAS_ENV } from './traffic/bias.js';
export { SeededRandom } from './traffic/rng.js';
export type { CurlOutcome, CurlRequest, TrafficWorld } from './traffic/index.js';
export { describeFault, parseFault, recordedFaults, requestFault } from './fault/index.js';
export type { Fault, FaultReply, FaultSpec } from './fault/index.js';
export { answerDeadline } from './mesh/deadline.js';

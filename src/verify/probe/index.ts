// verify's probe pods: in-cluster requests on real clusters (and on the lab with --probe pod).
export { answeringCluster } from './backend.js';
export { parseProbeOutput, probeCurlCommand } from './curl.js';
export type { ProbeCurl } from './curl.js';
export { ProbeError, sweepLeftovers } from './lifecycle.js';
export { DEFAULT_PROBE_IMAGE, DEFAULT_PROBE_NAMESPACE, PROBE_FROM_ANNOTATION, PROBE_HINT, PROBE_LABEL, PROBE_LIFETIME_SECONDS, PROBE_OWNER_ANNOTATION, probePod } from './pod.js';
export type { ProbePodOptions } from './pod.js';
export { probeTraffic } from './traffic.js';
export type { ProbeOptions, ProbeTraffic } from './traffic.js';


// Traffic on the lab: `meshwright lab curl`, resolved and answered as Cilium and the backends would.
export { labCurl, TrafficError } from './curl.js';
export type { CurlOutcome, CurlRequest } from './curl.js';
export type { TrafficWorld } from './world.js';
export { trafficHandler } from './http.js';
export { requestCurl, requestTlsEndpoint, TRAFFIC_PATH } from './request.js';
export { BACKEND_BIAS_ENV, parseBackendBias } from './bias.js';
export { SeededRandom } from './rng.js';
export { serviceBackends } from './backends.js';
export type { Backend } from './backends.js';
export { batchesOf, runLoad, TRAFFIC_LIMITS } from './load.js';
export type { Batch, LoadClock, LoadPlan } from './load.js';
export { outcomeOf, summarizeLoad } from './load-summary.js';
export type { LoadSummary } from './load-summary.js';

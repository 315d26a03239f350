// Traffic on the lab: `meshwright lab curl`, resolved and answered as Cilium and the backends would.
export { labCurl, TrafficError } from './curl.js';
export type { CurlOutcome, CurlRequest } from './curl.js';
export type { TrafficWorld } from './world.js';
export { requestCurl, trafficHandler, TRAFFIC_PATH } from './http.js';
export { SeededRandom } from './rng.js';
export { serviceBackends } from './backends.js';
export type { Backend } from './backends.js';

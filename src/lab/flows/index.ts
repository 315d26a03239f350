// Hubble flows for the requests the lab carries (issue 17): built purely from what labCurl reports, recorded in the lab's ring.
export { buildFlows, DROP_REASON } from './build.js';
export type { FlowEnv } from './build.js';
export type { CarriedRequest, Party, SideDecision } from './carried.js';
export { recordCarried } from './record.js';
export type { CarriedReport } from './record.js';
export { sourcePorts } from './source-port.js';
export { formatFlowTime } from './time.js';
export { flowPolicy, SOURCE_LABEL_PREFIX } from './policy-ref.js';

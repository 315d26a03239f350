// Flows in Hubble's shape (flow.proto), kept per node as Hubble keeps them.
export type { Flow, FlowEndpoint, FlowPolicy, FlowRecord, FlowType, TrafficDirection, Verdict } from './flow.js';
export { EVENT_TYPE } from './flow.js';
export { FlowRing } from './ring.js';
export type { FlowListener } from './ring.js';

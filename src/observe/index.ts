// Flows in Hubble's shape (flow.proto), kept per node as Hubble keeps them.
export type { Flow, FlowEndpoint, FlowPolicy, FlowRecord, FlowType, TrafficDirection, Verdict } from './flow.js';
export { EVENT_TYPE } from './flow.js';
export { FlowRing } from './ring.js';
export type { FlowListener } from './ring.js';
export { buildFilter, buildRequestFilter, FilterError, parseNamespaceName } from './filter.js';
export type { FlowFilter } from './filter.js';
export { FlowPrinter, flowType, stampMilli, summary } from './printer.js';
export type { OutputFormat, PrinterOptions } from './printer.js';
export { FLOW_PRINT_COUNT, FlagError, flowsRequest, parseTime, VERDICTS } from './request.js';
export type { ObserveFlags } from './request.js';
export { ObserverClient, ObserverError } from './client.js';
export type { GetFlowsRequest } from './client.js';
export { historicFlows, QueryError } from './query.js';
export type { FlowQuery } from './query.js';

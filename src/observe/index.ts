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
export { followVerdict, historicFlows, QueryError } from './query.js';
export { observerPackage, recordToWire, timestampNanos } from './wire.js';
export type { WireTimestamp } from './wire.js';
export type { FlowQuery } from './query.js';
export { RELAY_NAMESPACE, RELAY_SERVICE, RelayForwardError } from './relay.js';
export type { RelayForward } from './relay.js';

/** A port-forward to svc/hubble-relay (port-forward.ts); client-node loads only when one is made. */
export async function forwardRelay(kubeconfig: string, context: string | undefined): Promise<import('./relay.js').RelayForward> {
  return (await import('./port-forward.js')).forwardRelay(kubeconfig, context);
}

import type { Flow, FlowRecord } from '../observe/index.js';
import type { FlowFeed } from './feed.js';

/** Requests one client cluster sent to one service, per cluster that answered. */
export interface LiveShare {
  namespace: string;
  name: string;
  client: string;
  requests: Record<string, number>;
  total: number;
}

/**
 * One flow per request: the request delivered to its backend pod, i.e. the `to-endpoint` trace
 * (trace_observation_point TO_ENDPOINT, flow.proto TraceObservationPoint) of a forwarded request leg
 * (is_reply not true) sent to a Service (destination_service). The policy-verdict, to-overlay and
 * L7 events of the same request, and its reply, are not counted again; a dropped request never
 * reaches an endpoint. The destination's cluster_name is the cluster that answered.
 */
export function countsAsRequest(flow: Flow): boolean {
  return flow.verdict === 'FORWARDED' && flow.trace_observation_point === 'TO_ENDPOINT' && flow.is_reply !== true && flow.Type === 'L3_L4' && !!flow.destination_service?.name && !!flow.source?.cluster_name && !!flow.destination?.cluster_name;
}

/** Live shares of requests per cluster, counted from every flow the feed held and carries since. */
export class ShareCounter {
  private readonly rows = new Map<string, LiveShare>();
  private readonly unsubscribe: () => void;

  constructor(feed: FlowFeed) {
    this.unsubscribe = feed.subscribe((r) => this.add(r));
    for (const r of feed.snapshot()) this.add(r);
  }

  add({ flow }: FlowRecord): void {
    if (!countsAsRequest(flow)) return;
    const namespace = flow.destination_service!.namespace ?? '';
    const name = flow.destination_service!.name!;
    const client = flow.source!.cluster_name!;
    const key = `${namespace}/${name}\u0000${client}`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { namespace, name, client, requests: {}, total: 0 }));
    const to = flow.destination!.cluster_name!;
    row.requests[to] = (row.requests[to] ?? 0) + 1;
    row.total++;
  }

  /** Sorted by service, then client cluster. */
  shares(): LiveShare[] {
    return [...this.rows.values()].map((r) => ({ ...r, requests: { ...r.requests } })).sort((a, b) => `${a.namespace}/${a.name}/${a.client}`.localeCompare(`${b.namespace}/${b.name}/${b.client}`));
  }

  close(): void {
    this.unsubscribe();
  }
}

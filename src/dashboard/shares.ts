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
 * One flow per request: forwarded, to a Service (destination_service, which Hubble fills from the
 * service the request was sent to), the request leg (is_reply not true) as the client's node sees it
 * leave (EGRESS), at L3/L4 (an L7 record of the same request is not counted again).
 */
export function countsAsRequest(flow: Flow): boolean {
  return flow.verdict === 'FORWARDED' && !!flow.destination_service?.name && flow.is_reply !== true && flow.traffic_direction === 'EGRESS' && flow.Type !== 'L7' && !!flow.source?.cluster_name && !!flow.destination?.cluster_name;
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

import type { FlowRecord } from './flow.js';
import { buildRequestFilter, type FlowFilter } from './filter.js';
import { timestampNanos, toTimestamp } from './wire.js';

/** observer.proto GetFlowsRequest, with since/until as nanoseconds since the epoch. */
export interface FlowQuery {
  /** 0: no limit. */
  number: number;
  first: boolean;
  follow: boolean;
  whitelist: FlowFilter[];
  blacklist: FlowFilter[];
  since?: bigint;
  until?: bigint;
}

export class QueryError extends Error {}

export function nanosOf(record: FlowRecord): bigint {
  const ts = toTimestamp(record.time);
  return ts ? timestampNanos(ts) : 0n;
}

/**
 * The flows a GetFlows request returns before any `follow`, as each Hubble server reads its own
 * ring (cilium v1.16 pkg/hubble/observer/local_observer.go `newRingReader` and
 * `eventsReader.Next`), merged by time as Hubble Relay merges its peers' streams:
 * - `first`: from the oldest flow on; otherwise rewind from the newest over matching flows until
 *   `number` of them (or, with `since`, until the first flow older than since: since wins);
 * - read forward: flows before `since` and flows the filters refuse are skipped, the first flow
 *   after `until` ends the read, and at most `number` flows are returned (0: all) unless following;
 * - `follow` without `number` and `since` starts at the newest flow: no history.
 * `number` counts per node, as `hubble observe --last` documents against a Relay.
 */
export function historicFlows(perNode: ReadonlyMap<string, readonly FlowRecord[]>, q: FlowQuery, matches = buildRequestFilter(q.whitelist, q.blacklist)): FlowRecord[] {
  if (q.first && q.follow) throw new QueryError('first cannot be specified with follow');
  const out: FlowRecord[] = [];
  for (const ring of perNode.values()) out.push(...readNode(ring, q, matches));
  return out.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

function readNode(ring: readonly FlowRecord[], q: FlowQuery, matches: (r: FlowRecord) => boolean): FlowRecord[] {
  let start: number;
  if (q.first && q.since === undefined) start = 0;
  else if (q.follow && q.number === 0 && q.since === undefined) return [];
  else {
    start = ring.length;
    let count = 0;
    for (let i = ring.length - 1; i >= 0; i--) {
      start = i;
      const r = ring[i]!;
      if (!matches(r)) continue;
      count++;
      if (q.since !== undefined) {
        if (nanosOf(r) < q.since) {
          start = i + 1;
          break;
        }
      } else if (count === q.number) break;
    }
  }
  const out: FlowRecord[] = [];
  for (let i = start; i < ring.length; i++) {
    if (!q.follow && q.number > 0 && out.length >= q.number) break;
    const r = ring[i]!;
    const t = q.since !== undefined || q.until !== undefined ? nanosOf(r) : 0n;
    if (q.until !== undefined && t > q.until) break;
    if (q.since !== undefined && t < q.since) continue;
    if (matches(r)) out.push(r);
  }
  return out;
}

/** Whether a flow recorded while following goes out (filters and the time range; until ends the stream). */
export function followVerdict(record: FlowRecord, q: FlowQuery, matches: (r: FlowRecord) => boolean): 'send' | 'skip' | 'end' {
  if (q.since !== undefined || q.until !== undefined) {
    const t = nanosOf(record);
    if (q.until !== undefined && t > q.until) return 'end';
    if (q.since !== undefined && t < q.since) return 'skip';
  }
  return matches(record) ? 'send' : 'skip';
}

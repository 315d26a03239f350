import type { FlowRecord } from './flow.js';

export type FlowListener = (record: FlowRecord) => void;

/**
 * Flows kept as Hubble keeps them: a bounded ring per node, oldest overwritten first, and listeners
 * for `--follow`. The agent's `--hubble-event-buffer-capacity` is 2^14-1 = 16383 when unset
 * (cilium/cilium v1.16 daemon/cmd/root.go initDaemonConfig; chart 1.16.5 values.yaml leaves
 * `hubble.eventBufferCapacity` commented out). Times are RFC 3339 UTC with nine fraction digits,
 * so they compare as strings.
 */
export class FlowRing {
  private readonly rings = new Map<string, { items: FlowRecord[]; next: number }>();
  private readonly listeners = new Set<FlowListener>();
  private seen = 0;
  private readonly seenByNode = new Map<string, number>();

  constructor(readonly capacityPerNode = 16383) {
    if (!Number.isInteger(capacityPerNode) || capacityPerNode < 1) throw new RangeError(`ring capacity ${capacityPerNode}: a positive integer`);
  }

  record(record: FlowRecord): void {
    let ring = this.rings.get(record.node_name);
    if (!ring) this.rings.set(record.node_name, (ring = { items: [], next: 0 }));
    if (ring.items.length < this.capacityPerNode) ring.items.push(record);
    else ring.items[ring.next] = record;
    ring.next = (ring.next + 1) % this.capacityPerNode;
    this.seen++;
    this.seenByNode.set(record.node_name, (this.seenByNode.get(record.node_name) ?? 0) + 1);
    for (const l of this.listeners) l(record);
  }

  /** Each node's flows still held, oldest first: what that node's Hubble server reads. */
  byNode(): Map<string, FlowRecord[]> {
    const out = new Map<string, FlowRecord[]>();
    for (const [node, { items, next }] of this.rings) out.set(node, [...items.slice(next), ...items.slice(0, next)]);
    return out;
  }

  /** Every flow still held, oldest first across nodes (by time, then by node as a tie-break). */
  snapshot(): FlowRecord[] {
    return [...this.byNode().values()].flat().sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.node_name < b.node_name ? -1 : a.node_name > b.node_name ? 1 : 0));
  }

  /** How many flows were ever recorded (Hubble's `seen_flows`). */
  get seenFlows(): number {
    return this.seen;
  }

  /** Flows ever recorded on one node (a Hubble server's own `seen_flows`). */
  seenOn(node: string): number {
    return this.seenByNode.get(node) ?? 0;
  }

  /** Flows one node's ring holds now (its `num_flows`). */
  heldOn(node: string): number {
    return this.rings.get(node)?.items.length ?? 0;
  }

  subscribe(listener: FlowListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

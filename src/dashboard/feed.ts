import type { FlowListener, FlowRecord } from '../observe/index.js';

/**
 * Where the dashboard's flows come from: what the lab's FlowRing offers (src/observe/ring.ts), so
 * the CLI can fill a local ring from the Observer's follow stream and a test can hand in its own.
 */
export interface FlowFeed {
  /** Every flow still held, oldest first. */
  snapshot(): FlowRecord[];
  subscribe(listener: FlowListener): () => void;
}

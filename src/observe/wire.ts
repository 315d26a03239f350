import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Flow, FlowRecord } from './flow.js';

/**
 * Hubble's Observer API on the wire, from cilium's own observer.proto/flow.proto (proto/cilium,
 * v1.16.6). Messages are proto-loader objects with the proto field names; the few well-known types
 * protojson writes differently (Timestamp as RFC 3339, BoolValue/UInt32Value as bare values) are
 * converted here, so the rest of meshwright sees flows as `hubble observe -o json` prints them.
 */
export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, enums: String, longs: String, bytes: String, defaults: false, oneofs: false, json: true };

/** The vendored protos: proto/cilium beside src/ (source) or dist/ (package). */
export function protoDir(): string {
  const dir = fileURLToPath(new URL('../../proto/cilium', import.meta.url));
  if (!existsSync(dir)) throw new Error(`Hubble protos not found at ${dir}`);
  return dir;
}

export interface ObserverPackage {
  /** The generated client class of observer.Observer. */
  Observer: grpc.ServiceClientConstructor;
}

let loaded: ObserverPackage | undefined;

export function observerPackage(): ObserverPackage {
  if (loaded) return loaded;
  const def = protoLoader.loadSync('observer/observer.proto', { ...LOADER_OPTIONS, includeDirs: [protoDir()] });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { observer: ObserverPackage };
  loaded = pkg.observer;
  return loaded;
}

/** google.protobuf.Timestamp on the wire. */
export interface WireTimestamp {
  seconds?: string | number;
  nanos?: number;
}

/** RFC 3339 (any fraction) → Timestamp; undefined when it does not parse. */
export function toTimestamp(text: string): WireTimestamp | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return { seconds: String(Math.floor(ms / 1000)), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** Timestamp → protojson's RFC 3339: UTC, 0, 3, 6 or 9 fraction digits. */
export function fromTimestamp(ts: WireTimestamp | undefined): string | undefined {
  if (!ts) return undefined;
  const seconds = Number(ts.seconds ?? 0);
  const nanos = ts.nanos ?? 0;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (nanos === 0) return `${base}Z`;
  let frac = String(nanos).padStart(9, '0');
  if (frac.endsWith('000000')) frac = frac.slice(0, 3);
  else if (frac.endsWith('000')) frac = frac.slice(0, 6);
  return `${base}.${frac}Z`;
}

/** Nanoseconds since the epoch of a Timestamp (bigint: past 2^53). */
export function timestampNanos(ts: WireTimestamp): bigint {
  return BigInt(ts.seconds ?? 0) * 1_000_000_000n + BigInt(ts.nanos ?? 0);
}

/** A flow in protojson shape → the wire object proto-loader encodes. */
export function flowToWire(flow: Flow): Record<string, unknown> {
  const out: Record<string, unknown> = { ...flow };
  if (flow.time !== undefined) out.time = toTimestamp(flow.time);
  if (flow.is_reply !== undefined) out.is_reply = { value: flow.is_reply };
  return out;
}

/** A wire Flow → protojson shape (field order as declared, as protojson writes it). */
export function flowFromWire(wire: Record<string, unknown>): Flow {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wire)) {
    if (k === 'time') out.time = fromTimestamp(v as WireTimestamp);
    else if (k === 'is_reply') out.is_reply = (v as { value?: boolean }).value === true;
    else out[k] = v;
  }
  return out as Flow;
}

/** One GetFlowsResponse carrying a flow, on the wire. */
export function recordToWire(record: FlowRecord): Record<string, unknown> {
  return { flow: flowToWire(record.flow), node_name: record.node_name, time: toTimestamp(record.time) };
}

/** A GetFlowsResponse from the wire; undefined for node_status and lost_events responses. */
export function recordFromWire(wire: Record<string, unknown>): FlowRecord | undefined {
  if (!wire.flow) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wire)) {
    if (k === 'flow') out.flow = flowFromWire(v as Record<string, unknown>);
    else if (k === 'time') out.time = fromTimestamp(v as WireTimestamp);
    else out[k] = v;
  }
  return out as unknown as FlowRecord;
}

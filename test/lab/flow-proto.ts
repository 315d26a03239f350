import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * cilium's flow.proto (proto/cilium, v1.16.6 vendored) loaded with protobufjs, and the two
 * protojson mappings protobufjs's fromObject/toObject do not do themselves (the proto3 JSON
 * mapping, protobuf.dev/programming-guides/json): a Timestamp is an RFC 3339 string, a wrapper
 * (BoolValue) is its bare value, an Any is `{"@type": url, ...}` (for a Struct: `"value": {…}`).
 */
const PROTO_DIR = fileURLToPath(new URL('../../proto/cilium/', import.meta.url));

let loaded: Promise<protobuf.Root> | undefined;

export function flowRoot(): Promise<protobuf.Root> {
  loaded ??= (async () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : `${PROTO_DIR}${target}`);
    await root.load(['flow/flow.proto', 'google/protobuf/struct.proto'], { keepCase: true });
    root.resolveAll();
    return root;
  })();
  return loaded;
}

type Json = Record<string, any>;

/** protojson of a Flow → the object protobufjs's fromObject takes. */
export function fromProtojson(root: protobuf.Root, flow: Json): Json {
  const out: Json = { ...flow };
  if (typeof flow.time === 'string') out.time = timestamp(flow.time);
  if (typeof flow.is_reply === 'boolean') out.is_reply = { value: flow.is_reply };
  if (flow.extensions) {
    const { '@type': url, value } = flow.extensions;
    const Struct = root.lookupType('google.protobuf.Struct');
    out.extensions = { type_url: url, value: Struct.encode(Struct.fromObject({ fields: structFields(value) })).finish() };
  }
  return out;
}

/** protobufjs's toObject of a Flow → protojson again. */
export function toProtojson(root: protobuf.Root, message: protobuf.Message): Json {
  const Flow = root.lookupType('flow.Flow');
  const o: Json = Flow.toObject(message, { enums: String, longs: String, arrays: false, objects: false });
  if (o.time) o.time = rfc3339(o.time);
  if (o.is_reply) o.is_reply = o.is_reply.value ?? false;
  if (o.extensions) {
    const Struct = root.lookupType('google.protobuf.Struct');
    const s = Struct.toObject(Struct.decode(o.extensions.value), { longs: String });
    o.extensions = { '@type': o.extensions.type_url, value: fromStructFields(s.fields ?? {}) };
  }
  return o;
}

function timestamp(text: string): { seconds: string; nanos: number } {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!m) throw new Error(`not an RFC 3339 UTC time: ${text}`);
  return { seconds: String(Date.parse(`${m[1]}Z`) / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

function rfc3339(t: { seconds: string; nanos?: number }): string {
  return `${new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19)}.${String(t.nanos ?? 0).padStart(9, '0')}Z`;
}

function structFields(value: Json): Json {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structValue(v)]));
}

function structValue(v: unknown): Json {
  if (v === null) return { nullValue: 0 };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(structValue) } };
  return { structValue: { fields: structFields(v as Json) } };
}

function fromStructFields(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fromStructValue(v)]));
}

function fromStructValue(v: Json): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('numberValue' in v) return v.numberValue;
  if ('boolValue' in v) return v.boolValue;
  if ('listValue' in v) return (v.listValue.values ?? []).map(fromStructValue);
  if ('structValue' in v) return fromStructFields(v.structValue.fields ?? {});
  return null;
}

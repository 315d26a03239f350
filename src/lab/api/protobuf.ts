import proto from '../data/builtin-proto.json' with { type: 'json' };
import { badRequest, unsupportedMediaType } from './status.js';

interface Field {
  n: string;
  t: string;
  l?: 'r' | 'm';
  v?: string;
}

const MESSAGES = (proto as unknown as { messages: Record<string, Record<string, Field>> }).messages;

/** The protobuf envelope's magic ("k8s\0", apimachinery runtime/serializer/protobuf). */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Go package of each served group-version's types (go-to-protobuf package names). */
const PACKAGES: Record<string, string> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'batch/v1': 'k8s.io.api.batch.v1',
  'rbac.authorization.k8s.io/v1': 'k8s.io.api.rbac.v1',
  'policy/v1': 'k8s.io.api.policy.v1',
  'networking.k8s.io/v1': 'k8s.io.api.networking.v1',
  'coordination.k8s.io/v1': 'k8s.io.api.coordination.v1',
  'discovery.k8s.io/v1': 'k8s.io.api.discovery.v1',
  'storage.k8s.io/v1': 'k8s.io.api.storage.v1',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
  'apiextensions.k8s.io/v1': 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1',
  'meta.k8s.io/v1': 'k8s.io.apimachinery.pkg.apis.meta.v1',
};

/**
 * Decodes a Kubernetes protobuf request body (kubectl 1.32 and newer send typed creates this
 * way, and client-go does not fall back to JSON) into the object's JSON form, using the
 * messages of Kubernetes' generated.proto files. Fields keep their JSON names; the types whose
 * JSON form is not their message (Time, IntOrString, Quantity, RawExtension, FieldsV1, …) are
 * converted as their Go MarshalJSON does. Empty strings are dropped, as `omitempty` would.
 */
export function decodeProtobuf(body: Buffer, contentType: string): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw badRequest('the protobuf body does not start with the Kubernetes envelope');
  const unknown = decodeMessage(body.subarray(4), 'k8s.io.apimachinery.pkg.runtime.Unknown', true) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Buffer };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  const pkg = PACKAGES[apiVersion];
  const message = pkg ? `${pkg}.${kind}` : '';
  if (!MESSAGES[message] || !unknown.raw) throw unsupportedMediaType(`${contentType} (${kind} ${apiVersion} is not decoded by the meshwright lab; send JSON)`);
  const obj = decodeMessage(unknown.raw, message) as Record<string, unknown>;
  return { apiVersion, kind, ...obj };
}

function decodeMessage(buf: Buffer, type: string, raw = false): unknown {
  const fields = MESSAGES[type];
  if (!fields) throw badRequest(`unknown protobuf message ${type}`);
  const out: Record<string, unknown> = {};
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = varint(buf, pos);
    pos = p1;
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    const f = fields[String(num)];
    let value: unknown;
    let bytes: Buffer | undefined;
    if (wire === 0) {
      const [v, p2] = varint(buf, pos);
      pos = p2;
      value = v;
    } else if (wire === 2) {
      const [len, p2] = varint(buf, pos);
      bytes = buf.subarray(p2, p2 + Number(len));
      pos = p2 + Number(len);
    } else if (wire === 1) {
      value = buf.readDoubleLE(pos);
      pos += 8;
    } else if (wire === 5) {
      value = buf.readFloatLE(pos);
      pos += 4;
    } else throw badRequest(`unsupported protobuf wire type ${wire}`);
    if (!f) continue;
    if (f.l === 'm') {
      const entry = decodeEntry(bytes!, f);
      const map = (out[f.n] ??= {}) as Record<string, unknown>;
      map[entry[0]] = entry[1];
      continue;
    }
    const decoded = bytes !== undefined ? (isPackable(f) && f.l === 'r' ? unpack(bytes, f.t) : [fromBytes(bytes, f.t, raw)]) : [scalar(value, f.t)];
    if (f.l === 'r') ((out[f.n] ??= []) as unknown[]).push(...decoded);
    else out[f.n] = decoded[0];
  }
  return raw ? out : toJson(type, out);
}

function decodeEntry(buf: Buffer, f: Field): [string, unknown] {
  let key = '';
  let value: unknown = f.v === 'string' ? '' : undefined;
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = varint(buf, pos);
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 2) {
      const [len, p2] = varint(buf, p1);
      const bytes = buf.subarray(p2, p2 + Number(len));
      pos = p2 + Number(len);
      if (num === 1) key = bytes.toString('utf8');
      else value = fromBytes(bytes, f.v!, false);
    } else {
      const [v, p2] = varint(buf, p1);
      pos = p2;
      if (num === 2) value = scalar(v, f.v!);
    }
  }
  return [key, value];
}

function isPackable(f: Field): boolean {
  return ['int32', 'int64', 'uint32', 'uint64', 'bool', 'sint32', 'sint64'].includes(f.t);
}

function unpack(buf: Buffer, t: string): unknown[] {
  const out: unknown[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [v, p] = varint(buf, pos);
    pos = p;
    out.push(scalar(v, t));
  }
  return out;
}

function fromBytes(bytes: Buffer, t: string, raw: boolean): unknown {
  if (t === 'string') return bytes.toString('utf8');
  if (t === 'bytes') return raw ? bytes : bytes.toString('base64');
  return decodeMessage(bytes, t);
}

function scalar(v: unknown, t: string): unknown {
  if (typeof v !== 'bigint') return v;
  if (t === 'bool') return v !== 0n;
  if (t === 'int32') return Number(BigInt.asIntN(32, v));
  if (t === 'int64') return Number(BigInt.asIntN(64, v));
  return Number(v);
}

function varint(buf: Buffer, start: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  let pos = start;
  for (;;) {
    if (pos >= buf.length) throw badRequest('truncated protobuf body');
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7n;
  }
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1.';
/** JSONSchemaProps' proto names for fields whose JSON names are not identifiers. */
const SCHEMA_NAMES: Array<[string, string]> = [
  ['ref', '$ref'],
  ['schema', '$schema'],
  ['xKubernetesPreserveUnknownFields', 'x-kubernetes-preserve-unknown-fields'],
  ['xKubernetesEmbeddedResource', 'x-kubernetes-embedded-resource'],
  ['xKubernetesIntOrString', 'x-kubernetes-int-or-string'],
  ['xKubernetesListMapKeys', 'x-kubernetes-list-map-keys'],
  ['xKubernetesListType', 'x-kubernetes-list-type'],
  ['xKubernetesMapType', 'x-kubernetes-map-type'],
  ['xKubernetesValidations', 'x-kubernetes-validations'],
];
const EXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.';

/** The JSON a message's Go type marshals to, when it is not the plain object of its fields. */
function toJson(type: string, o: Record<string, unknown>): unknown {
  switch (type) {
    case `${META}Time`:
    case `${META}MicroTime`: {
      const seconds = Number(o.seconds ?? 0);
      if (!seconds && !o.nanos) return undefined;
      const iso = new Date(seconds * 1000 + Math.floor(Number(o.nanos ?? 0) / 1e6)).toISOString();
      return type.endsWith('MicroTime') ? iso.replace('Z', '000Z') : iso.replace(/\.\d{3}Z$/, 'Z');
    }
    case `${META}Duration`:
      return `${Number(o.duration ?? 0) / 1e9}s`;
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return Number(o.type ?? 0) === 1 ? (o.strVal ?? '') : (o.intVal ?? 0);
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return o.string ?? '0';
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${EXT}JSON`:
      return parseRaw(o.raw);
    case `${META}FieldsV1`:
      return parseRaw(o.Raw);
    case `${META}Verbs`:
      return o.items ?? [];
    case `${EXT}JSONSchemaProps`:
      for (const [from, to] of SCHEMA_NAMES) if (from in o) (o[to] = o[from]), delete o[from];
      break;
    case `${EXT}JSONSchemaPropsOrBool`:
      return o.schema ?? o.allows ?? false;
    case `${EXT}JSONSchemaPropsOrArray`:
      return o.schema ?? o.jSONSchemas ?? [];
    case `${EXT}JSONSchemaPropsOrStringArray`:
      return o.schema ?? o.property ?? [];
  }
  for (const [k, v] of Object.entries(o)) if (v === '' || v === undefined) delete o[k];
  return o;
}

function parseRaw(raw: unknown): unknown {
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

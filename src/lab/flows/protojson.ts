/**
 * What protojson leaves out (encoding/protojson: proto3 scalar fields at their zero value — 0,
 * "0" for a 64-bit integer, false, "" — and empty lists and messages without fields set). Wrapper
 * messages are kept: `is_reply` is a google.protobuf.BoolValue, present as false when known.
 * `keep` names such fields. Applied to each flow so its JSON is what `hubble observe -o json` prints.
 */
export function withoutZeros<T extends object>(value: T, keep: ReadonlySet<string> = WRAPPERS): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (keep.has(k) && v !== undefined) out[k] = v;
    else if (k === '@type' || k === 'value') out[k] = v;
    else if (Array.isArray(v)) {
      if (v.length) out[k] = v.map((x) => (x && typeof x === 'object' ? withoutZeros(x as object, NONE) : x));
    } else if (v && typeof v === 'object') {
      const inner = withoutZeros(v as object, NONE);
      if (Object.keys(inner).length) out[k] = inner;
    } else if (v !== undefined && v !== 0 && v !== '0' && v !== false && v !== '') out[k] = v;
  }
  return out as T;
}

const WRAPPERS: ReadonlySet<string> = new Set(['is_reply']);
const NONE: ReadonlySet<string> = new Set();

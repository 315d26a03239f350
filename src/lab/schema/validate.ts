import type { FieldError } from '../api/status.js';
import { childSchema, isMapNode, itemSchema, preservesUnknown, type Schema, type SchemaSet } from './schema.js';

export interface CheckResult {
  /** The object with unknown fields removed (pruning), nulls dropped and schema defaults applied. */
  value: unknown;
  /** Dotted paths of fields the schema does not declare (strict field validation reports them). */
  unknown: string[];
  /** Values of the wrong JSON type: a decoding error for built-ins, 422 Invalid for custom resources. */
  typeErrors: FieldError[];
  /** required, enum, pattern, bounds. */
  invalid: FieldError[];
}

export interface CheckOptions {
  /** Custom resources: apply `default`, check enum/pattern/bounds as the apiextensions validator does. */
  crd?: boolean;
}

/**
 * Walks an object against its schema the way the apiserver's decoder and the apiextensions
 * validator do: unknown fields are collected and dropped (kube's strict decoding and CRD
 * pruning), types are checked, `required` is enforced. Messages follow field.ErrorList's format
 * (`spec.replicas: Required value`).
 */
export function checkObject(set: SchemaSet, root: Schema, obj: unknown, opts: CheckOptions = {}): CheckResult {
  const out: CheckResult = { value: undefined, unknown: [], typeErrors: [], invalid: [] };
  out.value = walk(set, root, obj, '', out, opts);
  return out;
}

function walk(set: SchemaSet, node: Schema | undefined, value: unknown, path: string, out: CheckResult, opts: CheckOptions): unknown {
  if (!node) return value;
  if (value === null || value === undefined) return undefined;
  if (node['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) typeError(out, path, value, 'integer or string', opts);
    return value;
  }
  const type = node.type as string | undefined;
  if (type === 'object' || (!type && (node.properties || node.additionalProperties))) return walkObject(set, node, value, path, out, opts);
  if (type === 'array') {
    if (!Array.isArray(value)) return typeError(out, path, value, 'array', opts), value;
    const items = itemSchema(set, node);
    checkBounds(node, value, path, out);
    return value.map((v, i) => walk(set, items, v, `${path}[${i}]`, out, opts));
  }
  if (type === 'string') {
    if (typeof value !== 'string') return typeError(out, path, value, 'string', opts), value;
    checkString(node, value, path, out, opts);
    return value;
  }
  if (type === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(out, path, value, 'integer', opts), value;
    checkNumber(node, value, path, out);
    return value;
  }
  if (type === 'number') {
    if (typeof value !== 'number') return typeError(out, path, value, 'number', opts), value;
    checkNumber(node, value, path, out);
    return value;
  }
  if (type === 'boolean') {
    if (typeof value !== 'boolean') typeError(out, path, value, 'boolean', opts);
    return value;
  }
  return value;
}

function walkObject(set: SchemaSet, node: Schema, value: unknown, path: string, out: CheckResult, opts: CheckOptions): unknown {
  if (typeof value !== 'object' || Array.isArray(value)) return typeError(out, path, value, 'object', opts), value;
  const src = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const props = (node.properties ?? {}) as Record<string, Schema>;
  const mapLike = isMapNode(node);
  // A built-in `type: object` with neither properties nor additionalProperties is opaque JSON to the
  // decoder (meta/v1 FieldsV1, runtime.RawExtension): kept whole, never "unknown fields". A custom
  // resource's structural schema says the opposite (an empty object, pruned) unless it preserves them.
  const opaque = !opts.crd && !node.properties && node.additionalProperties === undefined;
  const keep = preservesUnknown(node) || opaque;
  for (const [k, v] of Object.entries(src)) {
    const sub = `${path}${path ? '.' : ''}${k}`;
    if (k in props || mapLike) {
      const child = childSchema(set, node, k);
      const w = walk(set, child, v, sub, out, opts);
      if (w !== undefined) result[k] = w;
      else if (v === null && child?.nullable) result[k] = null;
    } else if (keep) {
      if (v !== null) result[k] = v;
    } else if (!(path === '' && (k === 'apiVersion' || k === 'kind'))) {
      out.unknown.push(sub);
    }
  }
  if (opts.crd) {
    for (const [k, p] of Object.entries(props)) {
      const d = set.resolve(p)?.default;
      if (result[k] === undefined && d !== undefined) result[k] = structuredClone(d);
    }
  }
  // Built-ins: controllers write status, and the Go validation behind the published `required`
  // lists is about what users send.
  const skip = !opts.crd && (path === 'status' || path.startsWith('status.'));
  for (const req of skip ? [] : ((node.required as string[] | undefined) ?? [])) {
    if (result[req] === undefined) {
      const field = `${path}${path ? '.' : ''}${req}`;
      out.invalid.push({ type: 'FieldValueRequired', field, message: `${field}: Required value` });
    }
  }
  return result;
}

function typeError(out: CheckResult, path: string, value: unknown, want: string, opts: CheckOptions): void {
  const got = JSON.stringify(value);
  const field = path || '<root>';
  out.typeErrors.push({
    type: 'FieldValueTypeInvalid',
    field,
    message: opts.crd ? `${field}: Invalid value: "${jsonType(value)}": ${field} in body must be of type ${want}: ${shorten(got)}` : `${field}: cannot unmarshal ${jsonType(value)} into a value of type ${want}`,
  });
}

function checkString(node: Schema, value: string, path: string, out: CheckResult, opts: CheckOptions): void {
  if (!opts.crd) return;
  const enumValues = node.enum as unknown[] | undefined;
  if (enumValues && !enumValues.includes(value)) {
    out.invalid.push({ type: 'FieldValueNotSupported', field: path, message: `${path}: Unsupported value: ${JSON.stringify(value)}: supported values: ${enumValues.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof node.pattern === 'string') {
    let re: RegExp | undefined;
    try {
      re = new RegExp(node.pattern, 'u');
    } catch {
      re = undefined;
    }
    if (re && !re.test(value)) out.invalid.push({ type: 'FieldValueInvalid', field: path, message: `${path}: Invalid value: ${JSON.stringify(value)}: ${path} in body should match '${node.pattern}'` });
  }
  if (typeof node.maxLength === 'number' && [...value].length > node.maxLength) out.invalid.push({ type: 'FieldValueTooLong', field: path, message: `${path}: Too long: may not be longer than ${node.maxLength}` });
  if (typeof node.minLength === 'number' && [...value].length < node.minLength) out.invalid.push({ type: 'FieldValueInvalid', field: path, message: `${path}: Invalid value: ${JSON.stringify(value)}: ${path} in body should be at least ${node.minLength} chars long` });
}

function checkNumber(node: Schema, value: number, path: string, out: CheckResult): void {
  if (typeof node.minimum === 'number' && value < node.minimum) out.invalid.push({ type: 'FieldValueInvalid', field: path, message: `${path}: Invalid value: ${value}: ${path} in body should be greater than or equal to ${node.minimum}` });
  if (typeof node.maximum === 'number' && value > node.maximum) out.invalid.push({ type: 'FieldValueInvalid', field: path, message: `${path}: Invalid value: ${value}: ${path} in body should be less than or equal to ${node.maximum}` });
}

function checkBounds(node: Schema, value: unknown[], path: string, out: CheckResult): void {
  if (typeof node.maxItems === 'number' && value.length > node.maxItems) out.invalid.push({ type: 'FieldValueTooLong', field: path, message: `${path}: Too many: ${value.length}: must have at most ${node.maxItems} items` });
  if (typeof node.minItems === 'number' && value.length < node.minItems) out.invalid.push({ type: 'FieldValueInvalid', field: path, message: `${path}: Invalid value: ${value.length}: ${path} in body should have at least ${node.minItems} items` });
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

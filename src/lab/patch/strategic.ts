import { isDeepStrictEqual } from 'node:util';
import { badRequest } from '../api/status.js';
import { childSchema, itemSchema, type Schema, type SchemaSet } from '../schema/schema.js';
import { isObject } from './merge-patch.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';
const SET_ORDER = '$setElementOrder/';

/**
 * Strategic merge patch as the apiserver applies it (apimachinery pkg/util/strategicpatch
 * patch.go `mergeMap`/`mergeSlice`): maps merge, null deletes, lists whose field carries
 * x-kubernetes-patch-strategy: merge merge by x-kubernetes-patch-merge-key (containers by name,
 * ports by containerPort), primitive merge lists union, other lists replace; the directives
 * $patch (replace, delete, merge), $retainKeys, $deleteFromPrimitiveList/ and $setElementOrder/
 * are honoured. The merge keys come from the served OpenAPI schemas.
 */
export function strategicMergePatch(set: SchemaSet, schema: Schema | undefined, original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest('the patch is not a JSON object');
  return mergeMap(set, schema, isObject(original) ? original : {}, patch) ?? {};
}

function mergeMap(set: SchemaSet, schema: Schema | undefined, original: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return clean(set, schema, withoutDirectives(patch)) as Record<string, unknown>;
  let out: Record<string, unknown> = { ...original };
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) out = Object.fromEntries(Object.entries(out).filter(([k]) => retain.includes(k)));
  const orders: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS) continue;
    if (k.startsWith(SET_ORDER)) {
      if (Array.isArray(v)) orders[k.slice(SET_ORDER.length)] = v;
      continue;
    }
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.some((d) => isDeepStrictEqual(d, x)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const child = childSchema(set, schema, k);
    const cur = out[k];
    if (isObject(v)) {
      const merged = mergeMap(set, child, isObject(cur) ? cur : {}, v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else if (Array.isArray(v)) {
      out[k] = mergeList(set, child, Array.isArray(cur) ? cur : [], v);
    } else out[k] = v;
  }
  for (const [field, order] of Object.entries(orders)) {
    const cur = out[field];
    if (Array.isArray(cur)) out[field] = applyOrder(cur, order, mergeKeyOf(childSchema(set, schema, field)));
  }
  return out;
}

function mergeKeyOf(node: Schema | undefined): string | undefined {
  if (!node || !String(node['x-kubernetes-patch-strategy'] ?? '').includes('merge')) return undefined;
  return (node['x-kubernetes-patch-merge-key'] as string | undefined) ?? '';
}

function mergeList(set: SchemaSet, node: Schema | undefined, original: unknown[], patch: unknown[]): unknown[] {
  const mergeKey = mergeKeyOf(node);
  const items = itemSchema(set, node);
  if (patch.some((p) => isObject(p) && p[DIRECTIVE] === 'replace')) return patch.filter((p) => !(isObject(p) && p[DIRECTIVE] === 'replace')).map((p) => clean(set, items, p));
  if (mergeKey === undefined) return patch.map((p) => clean(set, items, p));
  if (mergeKey === '') {
    // a merging list of primitives: union, keeping the original order
    const out = [...original];
    for (const p of patch) if (!out.some((o) => isDeepStrictEqual(o, p))) out.push(p);
    return out;
  }
  const out = [...original];
  for (const p of patch) {
    if (!isObject(p)) {
      out.push(p);
      continue;
    }
    const i = out.findIndex((o) => isObject(o) && isDeepStrictEqual(o[mergeKey], p[mergeKey]));
    if (p[DIRECTIVE] === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) {
      const merged = mergeMap(set, items, out[i] as Record<string, unknown>, p);
      if (merged === undefined) out.splice(i, 1);
      else out[i] = merged;
    } else out.push(clean(set, items, p));
  }
  return out;
}

/** Items named in `order` first, in that order; the others after, as they were. */
function applyOrder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const id = (x: unknown) => (mergeKey && isObject(x) ? x[mergeKey] : x);
  const ordered: unknown[] = [];
  const rest = [...list];
  for (const o of order) {
    const want = mergeKey && isObject(o) ? o[mergeKey] : o;
    const i = rest.findIndex((x) => isDeepStrictEqual(id(x), want));
    if (i >= 0) ordered.push(...rest.splice(i, 1));
  }
  return [...ordered, ...rest];
}

/** A value taken from the patch as it is, minus the directives it may carry. */
function clean(set: SchemaSet, schema: Schema | undefined, v: unknown): unknown {
  if (isObject(v)) return mergeMap(set, schema, {}, v) ?? {};
  if (Array.isArray(v)) return mergeList(set, schema, [], v);
  return v;
}

function withoutDirectives(patch: Record<string, unknown>): Record<string, unknown> {
  const { [DIRECTIVE]: _d, ...rest } = patch;
  return rest;
}

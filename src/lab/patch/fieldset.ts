import { isDeepStrictEqual } from 'node:util';
import { childSchema, isAtomicMap, itemSchema, listInfo, type Schema, type SchemaSet } from '../schema/schema.js';
import { isObject } from './merge-patch.js';

/**
 * Field sets in managedFields' `fieldsV1` form (sigs.k8s.io/structured-merge-diff fieldpath):
 * `f:<field>` for a struct or map field, `k:{"name":"x"}` for an item of a map-typed list,
 * `v:<json>` for an item of a set, and `.` for "this element itself". A node with no children
 * but `.` (or none at all) is a leaf the manager owns.
 */
export type FieldTree = { [pe: string]: FieldTree };

/** A path of path elements, e.g. ["f:spec", "f:replicas"]. */
export type FieldPath = string[];

/** Fields the apiserver never records in managedFields (fieldmanager's stripped paths). */
const STRIPPED_METADATA = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);

export function fieldSetOf(set: SchemaSet, schema: Schema | undefined, obj: Record<string, unknown>, includeStatus = false): FieldTree {
  const tree: FieldTree = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || (k === 'status' && !includeStatus)) continue;
    if (k === 'metadata' && isObject(v)) {
      const meta: FieldTree = {};
      const ms = childSchema(set, schema, 'metadata');
      for (const [mk, mv] of Object.entries(v)) {
        if (STRIPPED_METADATA.has(mk) || mv === undefined) continue;
        meta[`f:${mk}`] = walk(set, childSchema(set, ms, mk), mv);
      }
      if (Object.keys(meta).length) tree['f:metadata'] = meta;
      continue;
    }
    tree[`f:${k}`] = walk(set, childSchema(set, schema, k), v);
  }
  return tree;
}

function walk(set: SchemaSet, schema: Schema | undefined, v: unknown): FieldTree {
  if (isObject(v)) {
    if (schema && isAtomicMap(schema)) return {};
    const out: FieldTree = {};
    for (const [k, c] of Object.entries(v)) out[`f:${k}`] = walk(set, childSchema(set, schema, k), c);
    return out;
  }
  if (Array.isArray(v) && schema) {
    const info = listInfo(schema);
    const items = itemSchema(set, schema);
    if (info.type === 'map' && info.keys.length) {
      const out: FieldTree = {};
      for (const item of v) {
        if (!isObject(item)) continue;
        const node = walk(set, items, item);
        out[keyElement(info.keys, item, items)] = { '.': {}, ...node };
      }
      return out;
    }
    if (info.type === 'set') {
      const out: FieldTree = {};
      for (const item of v) out[`v:${JSON.stringify(item)}`] = {};
      return out;
    }
  }
  return {};
}

/**
 * A map-list item's identity: its key fields, a missing one taking the default its schema declares
 * (structured-merge-diff does so, which is why a Service port applied without `protocol` is the
 * same item as the stored `protocol: TCP` one, not a second port).
 */
export function keyElement(keys: string[], item: Record<string, unknown>, items?: Schema): string {
  const k: Record<string, unknown> = {};
  const props = (items?.properties ?? {}) as Record<string, Schema>;
  for (const key of [...keys].sort()) {
    const v = item[key] ?? props[key]?.default;
    if (v !== undefined) k[key] = v;
  }
  return `k:${JSON.stringify(k)}`;
}

/** Every owned element: leaves, and list items marked with ".". */
export function leaves(tree: FieldTree, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [];
  const keys = Object.keys(tree);
  if (!keys.length) return [prefix];
  if ('.' in tree && prefix.length) out.push(prefix);
  for (const k of keys) if (k !== '.') out.push(...leaves(tree[k]!, [...prefix, k]));
  return out;
}

export function hasPath(tree: FieldTree, path: FieldPath): boolean {
  let node: FieldTree | undefined = tree;
  for (const pe of path) {
    node = node[pe];
    if (!node) return false;
  }
  return true;
}

export function fromPaths(paths: FieldPath[]): FieldTree {
  const tree: FieldTree = {};
  for (const p of paths) {
    let node = tree;
    for (const pe of p) node = node[pe] ??= {};
  }
  return tree;
}

/** Removes `path` (and everything under it) from the tree; prunes emptied parents. */
export function without(tree: FieldTree, drop: FieldPath[]): FieldTree {
  const keep = leaves(tree).filter((p) => !drop.some((d) => isPrefix(d, p) || (isDeepStrictEqual(d, p))));
  const out = fromPaths(keep);
  // list items keep their "." marker
  for (const p of keep) if (hasPath(tree, [...p, '.'])) fromPathsInto(out, [...p, '.']);
  return out;
}

function fromPathsInto(tree: FieldTree, path: FieldPath): void {
  let node = tree;
  for (const pe of path) node = node[pe] ??= {};
}

export function isPrefix(prefix: FieldPath, path: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((pe, i) => path[i] === pe);
}

/** The value an object holds at a field path, or undefined. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const pe of path) {
    if (pe === '.') continue;
    if (pe.startsWith('f:')) {
      if (!isObject(cur)) return undefined;
      cur = cur[pe.slice(2)];
    } else if (pe.startsWith('k:')) {
      if (!Array.isArray(cur)) return undefined;
      const key = JSON.parse(pe.slice(2)) as Record<string, unknown>;
      cur = cur.find((i) => isObject(i) && Object.entries(key).every(([k, v]) => isDeepStrictEqual(i[k], v)));
    } else if (pe.startsWith('v:')) {
      if (!Array.isArray(cur)) return undefined;
      const want = JSON.parse(pe.slice(2)) as unknown;
      cur = cur.find((i) => isDeepStrictEqual(i, want));
    } else return undefined;
  }
  return cur;
}

/** kubectl's spelling of a field path in conflict messages: `.spec.template.spec.containers[name="web"].image`. */
export function describePath(path: FieldPath): string {
  let s = '';
  for (const pe of path) {
    if (pe === '.') continue;
    if (pe.startsWith('f:')) s += `.${pe.slice(2)}`;
    else if (pe.startsWith('k:')) {
      const key = JSON.parse(pe.slice(2)) as Record<string, unknown>;
      s += `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    } else if (pe.startsWith('v:')) s += `[=${pe.slice(2)}]`;
  }
  return s;
}

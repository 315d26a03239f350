import { isDeepStrictEqual } from 'node:util';
import { applyConflict, type StatusCause } from '../api/status.js';
import { childSchema, isAtomicMap, itemSchema, listInfo, type Schema, type SchemaSet } from '../schema/schema.js';
import { describePath, fieldSetOf, fromPaths, hasPath, keyElement, leaves, valueAt, without, type FieldPath, type FieldTree } from './fieldset.js';
import { isObject } from './merge-patch.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldTree;
  subresource?: string;
}

export interface FieldContext {
  set: SchemaSet;
  schema: Schema | undefined;
  manager: string;
  apiVersion: string;
  time: string;
  subresource?: string;
}

/**
 * Server-side apply (apiserver fieldmanager over structured-merge-diff, simplified): the applied
 * configuration's fields are compared with every other manager's; a field another manager owns
 * with a different value is a conflict (409 unless force=true, which takes the field over). The
 * result is the live object with the fields this manager applied before and no longer applies
 * removed (when nobody else owns them), then the configuration merged in: maps by key, map-typed
 * lists by their keys, sets by value, everything else replaced.
 */
export function serverSideApply(ctx: FieldContext, live: Record<string, any> | undefined, applied: Record<string, any>, force: boolean): Record<string, any> {
  const managed: ManagedFieldsEntry[] = structuredClone(live?.metadata?.managedFields ?? []);
  const appliedSet = fieldSetOf(ctx.set, ctx.schema, applied, ctx.subresource === 'status');
  const appliedLeaves = leaves(appliedSet).filter((p) => !p.includes('.') || p[p.length - 1] !== '.');
  const mine = (e: ManagedFieldsEntry) => e.manager === ctx.manager && e.operation === 'Apply' && (e.subresource ?? '') === (ctx.subresource ?? '');
  const conflicts: Array<{ entry: ManagedFieldsEntry; path: FieldPath }> = [];
  if (live) {
    for (const e of managed) {
      if (mine(e)) continue;
      for (const p of appliedLeaves) {
        if (!hasPath(e.fieldsV1, p) || Object.keys(valueNode(e.fieldsV1, p)).some((k) => k !== '.')) continue;
        if (!isDeepStrictEqual(valueAt(live, p), valueAt(applied, p))) conflicts.push({ entry: e, path: p });
      }
    }
  }
  if (conflicts.length && !force) throw conflictError(conflicts);

  const previous = managed.find(mine);
  let result: Record<string, any> = structuredClone(live ?? {});
  if (previous) {
    const others = managed.filter((e) => !mine(e));
    const dropped = leaves(previous.fieldsV1).filter((p) => !hasPath(appliedSet, p) && !others.some((o) => hasPath(o.fieldsV1, p)));
    for (const p of dropped.sort((a, b) => b.length - a.length)) removePath(result, p);
  }
  result = mergeApplied(ctx.set, ctx.schema, result, applied) as Record<string, any>;

  // Ownership: this manager owns what it applied; conflicting fields move to it when forced,
  // and fields whose value changed leave their former owners.
  const taken = new Set(conflicts.map((c) => JSON.stringify(c.path)));
  const changed = live ? appliedLeaves.filter((p) => !isDeepStrictEqual(valueAt(live, p), valueAt(result, p))) : [];
  const next: ManagedFieldsEntry[] = [];
  for (const e of managed) {
    if (mine(e)) continue;
    const drop = [...changed, ...appliedLeaves.filter((p) => taken.has(JSON.stringify(p)))];
    const fields = drop.length ? without(e.fieldsV1, drop) : e.fieldsV1;
    if (Object.keys(fields).length) next.push({ ...e, fieldsV1: fields });
  }
  const entry: ManagedFieldsEntry = {
    manager: ctx.manager,
    operation: 'Apply',
    apiVersion: ctx.apiVersion,
    time: previous && isDeepStrictEqual(previous.fieldsV1, appliedSet) && !changed.length ? previous.time : ctx.time,
    fieldsType: 'FieldsV1',
    fieldsV1: appliedSet,
    ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
  };
  next.push(entry);
  result.metadata = { ...(result.metadata ?? {}), managedFields: sortEntries(next) };
  return result;
}

/**
 * managedFields after a create, update or non-apply patch by `manager`: the fields whose value
 * it set or changed become its own (an Update entry), and leave every other manager.
 */
export function updateManagedFields(ctx: FieldContext, before: Record<string, any> | undefined, after: Record<string, any>): ManagedFieldsEntry[] {
  const managed: ManagedFieldsEntry[] = structuredClone(before?.metadata?.managedFields ?? []);
  const isStatus = ctx.subresource === 'status';
  const afterSet = fieldSetOf(ctx.set, ctx.schema, isStatus ? { status: after.status } : after, isStatus);
  const afterLeaves = leaves(afterSet);
  const changed = before ? afterLeaves.filter((p) => !isDeepStrictEqual(valueAt(before, p), valueAt(after, p))) : afterLeaves;
  const removed = before
    ? leaves(fieldSetOf(ctx.set, ctx.schema, isStatus ? { status: before.status } : before, isStatus)).filter((p) => valueAt(after, p) === undefined)
    : [];
  const mine = (e: ManagedFieldsEntry) => e.manager === ctx.manager && e.operation === 'Update' && (e.subresource ?? '') === (ctx.subresource ?? '');
  const next: ManagedFieldsEntry[] = [];
  let own: ManagedFieldsEntry | undefined;
  for (const e of managed) {
    const fields = changed.length || removed.length ? without(e.fieldsV1, [...(mine(e) ? [] : changed), ...removed]) : e.fieldsV1;
    if (mine(e)) own = { ...e, fieldsV1: fields };
    else if (Object.keys(fields).length) next.push({ ...e, fieldsV1: fields });
  }
  if (changed.length) {
    const merged = fromPaths([...(own ? leaves(own.fieldsV1) : []), ...changed]);
    restoreItemMarkers(merged, afterSet);
    own = { manager: ctx.manager, operation: 'Update', apiVersion: ctx.apiVersion, time: ctx.time, fieldsType: 'FieldsV1', fieldsV1: merged, ...(ctx.subresource ? { subresource: ctx.subresource } : {}) };
  }
  if (own && Object.keys(own.fieldsV1).length) next.push(own);
  return sortEntries(next);
}

/** List items carry "." in fieldsV1; put it back where the full set has it. */
function restoreItemMarkers(tree: FieldTree, full: FieldTree): void {
  for (const [k, child] of Object.entries(tree)) {
    const f = full[k];
    if (!f) continue;
    if ('.' in f && k.startsWith('k:')) child['.'] = {};
    restoreItemMarkers(child, f);
  }
}

function sortEntries(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  // Apply entries first, then by manager, as the apiserver keeps them stable for clients.
  return entries.sort((a, b) => (a.operation === b.operation ? (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0) : a.operation === 'Apply' ? -1 : 1));
}

function valueNode(tree: FieldTree, path: FieldPath): FieldTree {
  let node = tree;
  for (const pe of path) node = node[pe] ?? {};
  return node;
}

function conflictError(conflicts: Array<{ entry: ManagedFieldsEntry; path: FieldPath }>) {
  const who = (e: ManagedFieldsEntry) => {
    const base = `"${e.manager}"${e.subresource ? ` with subresource "${e.subresource}"` : ''}`;
    return e.operation === 'Update' ? `${base} using ${e.apiVersion}` : base;
  };
  const causes: StatusCause[] = conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with ${who(c.entry)}`, field: describePath(c.path) }));
  if (conflicts.length === 1) return applyConflict(`Apply failed with 1 conflict: conflict with ${who(conflicts[0]!.entry)}: ${describePath(conflicts[0]!.path)}`, causes);
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(who(c.entry), [...(byManager.get(who(c.entry)) ?? []), describePath(c.path)]);
  const lines: string[] = [];
  for (const [m, paths] of [...byManager].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`conflicts with ${m}:`, ...paths.map((p) => `- ${p}`));
  return applyConflict(`Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`, causes);
}

function mergeApplied(set: SchemaSet, schema: Schema | undefined, live: unknown, applied: unknown): unknown {
  if (isObject(applied) && isObject(live) && !(schema && isAtomicMap(schema))) {
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(set, childSchema(set, schema, k), live[k], v);
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live) && schema) {
    const info = listInfo(schema);
    const items = itemSchema(set, schema);
    if (info.type === 'map' && info.keys.length) {
      const out = [...live];
      for (const item of applied) {
        if (!isObject(item)) continue;
        const id = keyElement(info.keys, item, items);
        const i = out.findIndex((o) => isObject(o) && keyElement(info.keys, o, items) === id);
        if (i >= 0) out[i] = mergeApplied(set, items, out[i], item);
        else out.push(structuredClone(item));
      }
      return out;
    }
    if (info.type === 'set') {
      const out = [...live];
      for (const item of applied) if (!out.some((o) => isDeepStrictEqual(o, item))) out.push(item);
      return out;
    }
  }
  return structuredClone(applied);
}

function removePath(obj: Record<string, any>, path: FieldPath): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const pe = path[path.length - 1]!;
  if (pe === '.') return removePath(obj, path.slice(0, -1));
  if (pe.startsWith('f:') && isObject(parent)) {
    delete parent[pe.slice(2)];
    return;
  }
  if (!Array.isArray(parent)) return;
  const target = valueAt(obj, path);
  const i = parent.indexOf(target);
  if (i >= 0) parent.splice(i, 1);
}

import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ClusterSpec, Platform } from '../../spec/index.js';
import { groupResource, type ResourceDef } from '../api/catalog.js';
import type { Clock } from '../clock.js';
import { iso, type ClusterApi } from '../service/cluster-api.js';
import type { Obj, StoreEvent } from '../store/log-store.js';
import type { ReconcileResult } from './queue.js';

/** Marks text the lab writes into objects (event messages, statuses) as simulated. */
export const SIM = '(simulated)';

/**
 * How long each lifecycle stage takes, as a share of `lab up --latency` (kwok stages' delays):
 * with latency 0 every stage still is its own write, so a watch sees each intermediate state.
 */
export const STAGE_WEIGHT = {
  schedule: 0.05,
  containerStart: 1,
  readiness: 0.5,
  jobRun: 1,
  nodeReady: 0.25,
  lbipam: 0.25,
  operatorSync: 0.1,
  mesh: 0.1,
} as const;

/** What every controller of one simulated cluster works with. */
export interface SimContext {
  api: ClusterApi;
  clock: Clock;
  /** `lab up --latency`, in milliseconds. */
  latency: number;
  platform: Platform;
  cluster: ClusterSpec;
  log(line: string): void;
}

export interface Controller {
  readonly name: string;
  /** Per watched resource ("apps/deployments"), the keys an event touches. */
  readonly watches: Record<string, (ev: StoreEvent) => string[]>;
  /** Keys to look at when the lab (re)starts: objects stored before. */
  initial(): string[];
  reconcile(key: string): Promise<ReconcileResult | void>;
}

export function delayOf(ctx: SimContext, stage: keyof typeof STAGE_WEIGHT): number {
  return Math.round(ctx.latency * STAGE_WEIGHT[stage]);
}

export function def(api: ClusterApi, group: string, version: string, resource: string): ResourceDef {
  const d = api.catalog.find(group, version, resource);
  if (!d) throw new Error(`the lab serves no ${group}/${version} ${resource}`);
  return d;
}

export const objKey = (o: Obj): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function splitObjKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Keys of the event's object (and its previous version's). */
export const selfKey = (ev: StoreEvent): string[] => [objKey(ev.value)];

/** The object's controller owner of `kind`, as "namespace/name". */
export function ownerKey(o: Obj | undefined, kind: string): string[] {
  const ref = (o?.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller && r.kind === kind);
  return ref ? [`${o!.metadata.namespace ?? ''}/${ref.name}`] : [];
}

export function ownerRef(o: Obj, blockOwnerDeletion = true): Obj {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, ...(blockOwnerDeletion ? { blockOwnerDeletion: true } : {}) };
}

export const ownedBy = (o: Obj, uid: string): boolean => (o.metadata.ownerReferences ?? []).some((r: Obj) => r.uid === uid && r.controller);

/** Objects of a resource, optionally of one namespace, in store order. */
export function listOf(api: ClusterApi, resource: string, namespace?: string): Obj[] {
  return api.store.list(resource, namespace).map((e) => e.value);
}

export function getObj(api: ClusterApi, resource: string, namespace: string, name: string): Obj | undefined {
  return api.store.get(`${resource}|${namespace}|${name}`)?.value;
}

/**
 * Read, change and write one object in a single turn of the event loop, so no other writer
 * slips in between (a controller's update with the resourceVersion it read). `change` returns
 * false to write nothing; an unchanged object is not written either (no new resourceVersion).
 */
export function mutate(api: ClusterApi, d: ResourceDef, namespace: string, name: string, change: (o: Obj) => boolean | void, manager = 'kube-controller-manager'): Promise<Obj | undefined> {
  const cur = api.store.get(api.key(d, namespace, name))?.value;
  if (!cur || cur.metadata.deletionTimestamp) return Promise.resolve(cur);
  const next = structuredClone(cur);
  if (change(next) === false || isDeepStrictEqual(next, cur)) return Promise.resolve(cur);
  return api.writeSystem(d, next, manager);
}

/** Creates the object unless it exists; returns what is stored. */
export async function ensure(api: ClusterApi, d: ResourceDef, obj: Obj, manager = 'kube-controller-manager'): Promise<Obj> {
  const cur = api.store.get(api.key(d, obj.metadata.namespace ?? '', obj.metadata.name))?.value;
  if (cur) return cur;
  return api.writeSystem(d, obj, manager);
}

export function condition(type: string, status: string, reason: string | undefined, message: string | undefined, now: number, prev?: Obj[]): Obj {
  const old = (prev ?? []).find((c) => c.type === type);
  const t = old && old.status === status ? old.lastTransitionTime : iso(now);
  return { type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}), lastTransitionTime: t };
}

/** Sets one condition in a list, keeping its transition time when its status did not change. */
export function setCondition(list: Obj[] | undefined, c: Obj): Obj[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  if (i < 0) out.push(c);
  else {
    const keep = out[i]!.status === c.status ? { lastTransitionTime: out[i]!.lastTransitionTime ?? c.lastTransitionTime } : {};
    out[i] = { ...out[i], ...c, ...keep };
  }
  return out;
}

/**
 * Records an Event for `kubectl describe` (core/v1 Event, as client-go's recorder writes it); a
 * repeated one counts up instead of adding another.
 */
export function recordEvent(api: ClusterApi, o: Obj, type: 'Normal' | 'Warning', reason: string, message: string, component: string, host?: string): Promise<unknown> {
  const events = api.catalog.find('', 'v1', 'events')!;
  const ns = o.metadata.namespace ?? 'default';
  const id = createHash('sha256').update(`${o.metadata.uid}/${reason}/${message}`).digest('hex').slice(0, 16);
  const name = `${o.metadata.name}.${id}`;
  const t = iso(api.now());
  const cur = api.store.get(api.key(events, ns, name))?.value;
  if (cur) {
    const next = { ...structuredClone(cur), count: (cur.count ?? 1) + 1, lastTimestamp: t };
    return api.writeSystem(events, next, component).catch(() => undefined);
  }
  return api
    .writeSystem(events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid, apiVersion: o.apiVersion, resourceVersion: o.metadata.resourceVersion },
      reason,
      message,
      source: { component, ...(host ? { host } : {}) },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type,
      reportingComponent: component,
      reportingInstance: host ?? '',
    }, component)
    .catch(() => undefined);
}

/** podutil.IsPodReady: the Ready condition is True. */
export function podReady(p: Obj): boolean {
  return (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** Kubernetes label selector (matchLabels and matchExpressions) against labels. */
export function selects(selector: Obj | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries<string>(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A Service's plain selector (a map) against labels; an empty or missing one selects nothing. */
export function mapSelects(selector: Record<string, string> | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector || !Object.keys(selector).length) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export const resourceOf = (d: ResourceDef): string => groupResource(d);

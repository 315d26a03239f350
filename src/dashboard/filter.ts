import { buildRequestFilter, FilterError as ObserveFilterError, FlagError, flowsRequest, type FlowRecord, type ObserveFlags } from '../observe/index.js';

/** Which flows one browser's list shows. */
export type FlowMatcher = (record: FlowRecord) => boolean;

/** A filter the query cannot mean (conflicting flags, an unknown verdict, a bad pattern): HTTP 400. */
export class FilterError extends Error {}

/**
 * The query names `meshwright observe`'s filter flags (`verdict`, `namespace`, `pod`, `from-pod`,
 * `to-pod`, `label`, `http-path`, `type`, …, each repeatable), read by observe's own code: the
 * same flows as `meshwright observe --verdict DROPPED …` prints, by hubble's rules (cilium v1.16.6
 * hubble/cmd/observe/flows_filter.go, pkg/hubble/filters).
 */
export function parseFilter(query: URLSearchParams): FlowMatcher {
  const flags: ObserveFlags = {};
  for (const key of new Set(query.keys())) {
    if (key === 'last') continue;
    const name = key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()) as keyof ObserveFlags;
    if (!LIST_FLAGS.has(name)) throw new FilterError(`${key}: not a filter of meshwright observe`);
    (flags as Record<string, string[]>)[name] = query.getAll(key).filter(Boolean);
  }
  try {
    const req = flowsRequest(flags, new Date());
    return buildRequestFilter(req.whitelist ?? [], req.blacklist ?? []);
  } catch (err) {
    if (err instanceof FlagError || err instanceof ObserveFilterError) throw new FilterError(err.message);
    throw err;
  }
}

const LIST_FLAGS: ReadonlySet<string> = new Set<keyof ObserveFlags>([
  'verdict', 'dropReasonDesc', 'type', 'namespace', 'fromNamespace', 'toNamespace', 'label', 'fromLabel', 'toLabel', 'pod', 'fromPod', 'toPod', 'fromService', 'toService',
  'ip', 'fromIp', 'toIp', 'port', 'fromPort', 'toPort', 'protocol', 'httpPath', 'httpMethod', 'httpStatus', 'httpUrl', 'nodeName', 'cluster', 'trafficDirection', 'identity', 'fromIdentity', 'toIdentity',
]);

import type { GetFlowsRequest } from './client.js';
import type { FlowFilter } from './filter.js';

/**
 * `hubble observe`'s flags → GetFlowsRequest, as cilium v1.16.6 hubble/cmd/observe/flows.go
 * (`getFlowsRequest`) and flows_filter.go (`filterTracker`) build it: each flag adds its values to
 * a "left" and a "right" FlowFilter; the either-side flags (`--namespace`, `--label`, `--pod`,
 * `--ip`, `--port`) put the source side on the left and the destination side on the right, so the
 * request matches a flow when either side does; the two filters collapse into one when equal.
 */
export interface ObserveFlags {
  last?: number;
  first?: number;
  all?: boolean;
  follow?: boolean;
  since?: string;
  until?: string;
  verdict?: string[];
  dropReasonDesc?: string[];
  type?: string[];
  namespace?: string[];
  fromNamespace?: string[];
  toNamespace?: string[];
  label?: string[];
  fromLabel?: string[];
  toLabel?: string[];
  pod?: string[];
  fromPod?: string[];
  toPod?: string[];
  fromService?: string[];
  toService?: string[];
  ip?: string[];
  fromIp?: string[];
  toIp?: string[];
  port?: string[];
  fromPort?: string[];
  toPort?: string[];
  protocol?: string[];
  httpPath?: string[];
  httpMethod?: string[];
  httpStatus?: string[];
  httpUrl?: string[];
  nodeName?: string[];
  cluster?: string[];
  trafficDirection?: string[];
  identity?: string[];
  fromIdentity?: string[];
  toIdentity?: string[];
}

/** A flag combination hubble refuses (exit 2) or a value it cannot read (exit 1). */
export class FlagError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'value',
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** flows.go verdicts; flow.proto Verdict names. */
export const VERDICTS = ['FORWARDED', 'DROPPED', 'AUDIT', 'REDIRECTED', 'ERROR', 'TRACED', 'TRANSLATED'];

/** pkg/monitor/api/types.go MessageTypeNames. */
const MESSAGE_TYPES: Record<string, number> = { drop: 1, debug: 2, capture: 3, trace: 4, l7: 129, agent: 130, 'policy-verdict': 5, recorder: 6, 'trace-sock': 7 };
const TRACE_POINTS = ['to-endpoint', 'to-proxy', 'to-host', 'to-stack', 'to-overlay', 'from-endpoint', 'from-proxy', 'from-host', 'from-stack', 'from-overlay', 'from-network', 'to-network'];

/** flows_filter.go newFlowFilter conflicts, for the flags meshwright has. */
const CONFLICTS: string[][] = [
  ['from-ip', 'ip', 'from-namespace', 'namespace'],
  ['from-ip', 'ip', 'from-pod', 'pod'],
  ['to-ip', 'ip', 'to-namespace', 'namespace'],
  ['to-ip', 'ip', 'to-pod', 'pod'],
  ['to-pod', 'namespace'],
  ['from-pod', 'namespace'],
  ['to-service', 'namespace'],
  ['from-service', 'namespace'],
  ['label', 'from-label'],
  ['label', 'to-label'],
  ['port', 'to-port'],
  ['port', 'from-port'],
  ['identity', 'to-identity'],
  ['identity', 'from-identity'],
  ['node-name', 'cluster'],
];

/** hubble/pkg/defaults FlowPrintCount: what `hubble observe` prints without --last, --follow or a time range. */
export const FLOW_PRINT_COUNT = 20;

const MAX_UINT64 = '18446744073709551615';

export function flowsRequest(flags: ObserveFlags, now: Date): GetFlowsRequest {
  const first = (flags.first ?? 0) > 0;
  const last = (flags.last ?? 0) > 0;
  if (first && last) throw new FlagError('cannot set both --first and --last', 'usage');
  if (first && flags.all) throw new FlagError('cannot set both --first and --all', 'usage');
  if (first && flags.follow) throw new FlagError('cannot set both --first and --follow', 'usage');
  if (last && flags.all) throw new FlagError('cannot set both --last and --all', 'usage');
  const since = flags.since !== undefined ? parseTime(flags.since, now, 'since') : undefined;
  // flows.go: --until is ignored when following
  const until = flags.until !== undefined && !flags.follow ? parseTime(flags.until, now, 'until') : undefined;
  let number = String(first ? flags.first : (flags.last ?? 0));
  if (since === undefined && until === undefined && !first) {
    if (flags.all) number = MAX_UINT64;
    else if (!last && !flags.follow) number = String(FLOW_PRINT_COUNT);
  }
  const whitelist = filters(flags);
  return {
    number,
    ...(first ? { first: true } : {}),
    ...(flags.follow ? { follow: true } : {}),
    ...(whitelist.length ? { whitelist } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

function filters(flags: ObserveFlags): FlowFilter[] {
  const used = (Object.keys(flags) as (keyof ObserveFlags)[]).filter((k) => Array.isArray(flags[k]) && (flags[k] as unknown[]).length > 0).map(kebab);
  for (const group of CONFLICTS) {
    const hit = group.filter((f) => used.includes(f));
    if (hit.length > 1) throw new FlagError(`filters --${hit[0]} and --${hit[1]} cannot be combined`, 'usage');
  }
  if (!used.length) return [];
  const left: FlowFilter = {};
  const right: FlowFilter = {};
  const both = (fn: (f: FlowFilter) => void) => {
    fn(left);
    fn(right);
  };
  const add = <K extends keyof FlowFilter>(f: FlowFilter, key: K, values: NonNullable<FlowFilter[K]>) => {
    (f as Record<string, unknown[]>)[key] = [...((f[key] as unknown[] | undefined) ?? []), ...(values as unknown[])];
  };
  const each = (values: string[] | undefined, fn: (v: string) => void) => values?.forEach(fn);

  each(flags.fromPod, (v) => both((f) => add(f, 'source_pod', [v])));
  each(flags.toPod, (v) => both((f) => add(f, 'destination_pod', [v])));
  each(flags.pod, (v) => (add(left, 'source_pod', [v]), add(right, 'destination_pod', [v])));
  each(flags.fromService, (v) => both((f) => add(f, 'source_service', [v])));
  each(flags.toService, (v) => both((f) => add(f, 'destination_service', [v])));
  each(flags.fromIp, (v) => both((f) => add(f, 'source_ip', [v])));
  each(flags.toIp, (v) => both((f) => add(f, 'destination_ip', [v])));
  each(flags.ip, (v) => (add(left, 'source_ip', [v]), add(right, 'destination_ip', [v])));
  each(flags.fromLabel, (v) => both((f) => add(f, 'source_label', [v])));
  each(flags.toLabel, (v) => both((f) => add(f, 'destination_label', [v])));
  each(flags.label, (v) => (add(left, 'source_label', [v]), add(right, 'destination_label', [v])));
  each(flags.fromPort, (v) => both((f) => add(f, 'source_port', [v])));
  each(flags.toPort, (v) => both((f) => add(f, 'destination_port', [v])));
  each(flags.port, (v) => (add(left, 'source_port', [v]), add(right, 'destination_port', [v])));
  each(flags.fromIdentity, (v) => both((f) => add(f, 'source_identity', [identity(v)])));
  each(flags.toIdentity, (v) => both((f) => add(f, 'destination_identity', [identity(v)])));
  each(flags.identity, (v) => (add(left, 'source_identity', [identity(v)]), add(right, 'destination_identity', [identity(v)])));
  each(flags.verdict, (v) => {
    if (!VERDICTS.includes(v) && v !== 'VERDICT_UNKNOWN') throw new FlagError(`invalid --verdict value: ${v}`, 'value', `one of ${VERDICTS.join(', ')}`);
    both((f) => add(f, 'verdict', [v]));
  });
  each(flags.dropReasonDesc, (v) => both((f) => add(f, 'drop_reason_desc', [v.toUpperCase()])));
  each(flags.type, (v) => both((f) => add(f, 'event_type', [eventType(v)])));
  each(flags.protocol, (v) => both((f) => add(f, 'protocol', [v])));
  each(flags.httpStatus, (v) => both((f) => add(f, 'http_status_code', [v])));
  each(flags.httpMethod, (v) => both((f) => add(f, 'http_method', [v])));
  each(flags.httpPath, (v) => both((f) => add(f, 'http_path', [v])));
  each(flags.httpUrl, (v) => both((f) => add(f, 'http_url', [v])));
  each(flags.nodeName, (v) => both((f) => add(f, 'node_name', [v])));
  each(flags.cluster, (v) => both((f) => add(f, 'node_name', [`${v}/`])));
  each(flags.trafficDirection, (v) => {
    const d = v.toLowerCase();
    if (d !== 'ingress' && d !== 'egress') throw new FlagError(`${d}: invalid traffic direction, expected ingress or egress`, 'value');
    both((f) => add(f, 'traffic_direction', [d.toUpperCase()]));
  });

  // namespaces last: they apply to the pod (and service) filters (filterTracker.flowFilters)
  const dstNs = flags.toNamespace ?? [];
  const srcNs = flags.fromNamespace ?? [];
  const ns = flags.namespace ?? [];
  if (dstNs.length) for (const f of [left, right]) applyNs(f, dstNs, 'destination');
  if (srcNs.length) for (const f of [left, right]) applyNs(f, srcNs, 'source');
  if (ns.length) {
    applyNs(left, ns, 'source');
    applyNs(right, ns, 'destination');
  }
  return JSON.stringify(left) === JSON.stringify(right) ? [left] : [left, right];
}

/** namespaceModifier.applySrc/applyDest: `ns/` for every pod of ns, `ns/name` for a bare pod name. */
function applyNs(f: FlowFilter, nss: string[], side: 'source' | 'destination'): void {
  const podKey = `${side}_pod` as const;
  const svcKey = `${side}_service` as const;
  if (!f[podKey]?.length && !f[svcKey]?.length) f[podKey] = [''];
  const withNs = (list: string[] | undefined) => (list?.length ? list.flatMap((v) => (v.includes('/') ? [v] : nss.map((n) => `${n}/${v}`))) : list);
  const pods = withNs(f[podKey]);
  const svcs = withNs(f[svcKey]);
  if (pods) f[podKey] = pods;
  if (svcs) f[svcKey] = svcs;
}

function identity(v: string): number {
  const reserved: Record<string, number> = { unknown: 0, host: 1, world: 2, unmanaged: 3, health: 4, init: 5, 'remote-node': 6, 'kube-apiserver': 7, ingress: 8, 'world-ipv4': 9, 'world-ipv6': 10 };
  if (reserved[v] !== undefined) return reserved[v]!;
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new FlagError(`invalid identity: ${JSON.stringify(v)}`, 'value', 'a number or a reserved identity name (world, host, …)');
  return Number(v);
}

/** flows_filter.go `type`: TYPE[:SUBTYPE] by name (MessageTypeNames, trace observation points) or number. */
function eventType(v: string): { type: number; match_sub_type?: boolean; sub_type?: number } {
  const [name, sub] = [v.split(':')[0]!, v.includes(':') ? v.slice(v.indexOf(':') + 1) : undefined];
  let type = MESSAGE_TYPES[name];
  if (type === undefined) {
    if (!/^\d+$/.test(name)) throw new FlagError(`unable to parse type '${name}', not a known type name and unable to parse as numeric value`, 'value', `types: ${Object.keys(MESSAGE_TYPES).join(', ')}`);
    type = Number(name);
  }
  if (sub === undefined) return { type };
  const trace = type === 4 ? TRACE_POINTS.indexOf(sub) : -1;
  if (trace >= 0) return { type, match_sub_type: true, sub_type: trace };
  if (!/^\d+$/.test(sub)) throw new FlagError(`unable to parse event sub-type '${sub}', not a known sub-type name and unable to parse as numeric value`, 'value');
  return { type, match_sub_type: true, sub_type: Number(sub) };
}

function kebab(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * hubble/pkg/time FromString: a Go duration before now (`30s`, `5m`, `1h30m`), or one of the
 * layouts YearMonthDay, YearMonthDayHour(Minute), RFC 3339 (any fraction), RFC 1123Z.
 */
export function parseTime(text: string, now: Date, flag: string): string {
  const d = goDuration(text);
  if (d !== undefined) return new Date(now.getTime() - d).toISOString();
  let m = /^(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (m) return `${m[1]}T00:00:00Z`;
  m = /^(\d{4}-\d{2}-\d{2})T(\d{2})(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (m) return new Date(`${m[1]}T${m[2]}:00:00${m[3]}`).toISOString();
  m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (m) return new Date(`${m[1]}T${m[2]}:00${m[3]}`).toISOString();
  m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (m && !Number.isNaN(Date.parse(`${m[1]}${m[3]}`))) {
    const base = new Date(`${m[1]}${m[3]}`).toISOString().slice(0, 19);
    return `${base}${m[2] ?? ''}Z`;
  }
  if (/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(text) && !Number.isNaN(Date.parse(text))) return new Date(Date.parse(text)).toISOString();
  throw new FlagError(`failed to parse the ${flag} time: failed to convert ${text} to time`, 'value', 'a duration before now (30s, 5m, 1h30m) or a time such as 2024-08-01T10:00:00Z');
}

/** Go time.ParseDuration, in milliseconds; undefined when it is not one. */
function goDuration(text: string): number | undefined {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m && text !== '0') return undefined;
  if (text === '0') return 0;
  let total = 0;
  for (const [, num, u] of text.matchAll(/((?:\d+(?:\.\d*)?|\.\d+))(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(num) * unit[u!]!;
  return m![1] === '-' ? -total : total;
}

import ipaddr from 'ipaddr.js';
import type { Flow, FlowRecord } from './flow.js';
import { parseLabelSelector, selectorMatches, SelectorError } from './labels.js';

/**
 * flow.proto `FlowFilter` in protojson names (enums by name). Every field set in one filter must
 * match (AND); the values of one field are alternatives (OR). A request's whitelist entries are
 * alternatives, its blacklist entries exclude: cilium v1.16.6 pkg/hubble/filters/filters.go
 * (`Apply`, `MatchAll`, `MatchOne`, `MatchNone`).
 */
export interface FlowFilter {
  uuid?: string[];
  source_ip?: string[];
  source_ip_xlated?: string[];
  source_pod?: string[];
  source_fqdn?: string[];
  source_label?: string[];
  source_service?: string[];
  source_workload?: { name?: string; kind?: string }[];
  destination_ip?: string[];
  destination_pod?: string[];
  destination_fqdn?: string[];
  destination_label?: string[];
  destination_service?: string[];
  destination_workload?: { name?: string; kind?: string }[];
  traffic_direction?: string[];
  verdict?: string[];
  drop_reason_desc?: string[];
  interface?: unknown[];
  event_type?: { type?: number; match_sub_type?: boolean; sub_type?: number }[];
  http_status_code?: string[];
  protocol?: string[];
  source_port?: string[];
  destination_port?: string[];
  reply?: boolean[];
  dns_query?: string[];
  source_identity?: number[];
  destination_identity?: number[];
  http_method?: string[];
  http_path?: string[];
  http_url?: string[];
  http_header?: { key?: string; value?: string }[];
  tcp_flags?: Record<string, boolean>[];
  node_name?: string[];
  node_labels?: string[];
  ip_version?: string[];
  trace_id?: string[];
  experimental?: { cel_expression?: string[] };
}

export type FlowPredicate = (flow: Flow) => boolean;

/** A filter value Hubble's server would refuse (grpc InvalidArgument): the message says which. */
export class FilterError extends Error {}

/** `whitelist.MatchOne && blacklist.MatchNone` (filters.go Apply); empty lists pass everything. */
export function buildRequestFilter(whitelist: readonly FlowFilter[] = [], blacklist: readonly FlowFilter[] = []): (record: FlowRecord) => boolean {
  const allow = whitelist.map(buildFilter);
  const deny = blacklist.map(buildFilter);
  return ({ flow }) => (allow.length === 0 || allow.some((f) => f(flow))) && !deny.some((f) => f(flow));
}

/** One FlowFilter: every field it sets must match (BuildFilter + MatchAll). */
export function buildFilter(ff: FlowFilter): FlowPredicate {
  const fs: FlowPredicate[] = [];
  const set = <T>(v: T[] | undefined): v is T[] => Array.isArray(v) && v.length > 0;
  for (const [field, why] of [
    ['source_ip_xlated', 'the lab does no SNAT'],
    ['interface', 'the lab has no network interfaces'],
    ['dns_query', 'the lab records no DNS flows'],
    ['node_labels', 'flows carry no node labels in the lab'],
    ['trace_id', 'the lab records no IP trace IDs'],
  ] as const)
    if (set(ff[field] as unknown[] | undefined)) throw new FilterError(`filter ${field} is not supported by meshwright's observer (${why})`);
  if (set(ff.experimental?.cel_expression)) throw new FilterError("filter experimental.cel_expression is not supported by meshwright's observer");
  if (set(ff.uuid)) fs.push(oneOf(ff.uuid, (f) => f.uuid));
  if (set(ff.event_type)) fs.push(eventType(ff.event_type));
  if (set(ff.verdict)) fs.push(oneOf(ff.verdict, (f) => f.verdict ?? 'VERDICT_UNKNOWN'));
  if (set(ff.drop_reason_desc)) {
    const reasons = ff.drop_reason_desc;
    // drop_reason_desc.go: only DROPPED flows have a drop reason to match
    fs.push((f) => f.verdict === 'DROPPED' && reasons.includes(f.drop_reason_desc ?? 'DROP_REASON_UNKNOWN'));
  }
  if (set(ff.reply)) {
    const replies = ff.reply;
    // reply.go: a flow whose direction is unknown (no is_reply) matches no reply filter
    fs.push((f) => f.is_reply !== undefined && replies.includes(f.is_reply));
  }
  if (set(ff.source_identity)) fs.push(identity(ff.source_identity, (f) => f.source?.identity));
  if (set(ff.destination_identity)) fs.push(identity(ff.destination_identity, (f) => f.destination?.identity));
  if (set(ff.protocol)) fs.push(protocol(ff.protocol));
  if (set(ff.source_ip)) fs.push(ips(ff.source_ip, (f) => f.IP?.source));
  if (set(ff.destination_ip)) fs.push(ips(ff.destination_ip, (f) => f.IP?.destination));
  if (set(ff.source_pod)) fs.push(namespacedName(ff.source_pod, (f) => [f.source?.namespace, f.source?.pod_name]));
  if (set(ff.destination_pod)) fs.push(namespacedName(ff.destination_pod, (f) => [f.destination?.namespace, f.destination?.pod_name]));
  if (set(ff.source_workload)) fs.push(workload(ff.source_workload, (f) => f.source?.workloads));
  if (set(ff.destination_workload)) fs.push(workload(ff.destination_workload, (f) => f.destination?.workloads));
  if (set(ff.source_service)) fs.push(namespacedName(ff.source_service, (f) => [f.source_service?.namespace, f.source_service?.name]));
  if (set(ff.destination_service)) fs.push(namespacedName(ff.destination_service, (f) => [f.destination_service?.namespace, f.destination_service?.name]));
  if (set(ff.source_fqdn)) fs.push(fqdn(ff.source_fqdn, (f) => f.source_names));
  if (set(ff.destination_fqdn)) fs.push(fqdn(ff.destination_fqdn, (f) => f.destination_names));
  if (set(ff.source_label)) fs.push(labels(ff.source_label, (f) => f.source?.labels, 'source'));
  if (set(ff.destination_label)) fs.push(labels(ff.destination_label, (f) => f.destination?.labels, 'destination'));
  if (set(ff.source_port)) fs.push(port(ff.source_port, 'source_port', 'source'));
  if (set(ff.destination_port)) fs.push(port(ff.destination_port, 'destination_port', 'destination'));
  fs.push(...http(ff));
  if (set(ff.tcp_flags)) fs.push(tcpFlags(ff.tcp_flags));
  if (set(ff.node_name)) fs.push(nodeName(ff.node_name));
  if (set(ff.ip_version)) fs.push(oneOf(ff.ip_version, (f) => f.IP?.ipVersion ?? 'IP_NOT_USED'));
  if (set(ff.traffic_direction)) fs.push(oneOf(ff.traffic_direction, (f) => f.traffic_direction ?? 'TRAFFIC_DIRECTION_UNKNOWN'));
  return (flow) => fs.every((f) => f(flow));
}

function oneOf<T>(values: readonly T[], get: (f: Flow) => T | undefined): FlowPredicate {
  return (f) => {
    const v = get(f);
    return v !== undefined && values.includes(v);
  };
}

/** event_type.go: type 0 is any type; a sub-type only counts when match_sub_type is set. */
function eventType(types: NonNullable<FlowFilter['event_type']>): FlowPredicate {
  return (f) => {
    const ev = f.event_type;
    if (!ev) return false;
    return types.some((t) => (!t.type || t.type === (ev.type ?? 0)) && (!t.match_sub_type || (t.sub_type ?? 0) === (ev.sub_type ?? 0)));
  };
}

function identity(ids: readonly number[], get: (f: Flow) => number | undefined): FlowPredicate {
  return (f) => ids.includes(get(f) ?? 0);
}

/** protocol.go: L4 protocols by the l4 oneof, L7 by the l7 record; anything else is refused. */
function protocol(protocols: readonly string[]): FlowPredicate {
  const l4: Record<string, (f: Flow) => boolean> = {
    icmp: (f) => has(f.l4, 'ICMPv4') || has(f.l4, 'ICMPv6'),
    icmpv4: (f) => has(f.l4, 'ICMPv4'),
    icmpv6: (f) => has(f.l4, 'ICMPv6'),
    tcp: (f) => has(f.l4, 'TCP'),
    udp: (f) => has(f.l4, 'UDP'),
    sctp: (f) => has(f.l4, 'SCTP'),
    dns: (f) => has(f.l7, 'dns'),
    http: (f) => has(f.l7, 'http'),
    kafka: (f) => has(f.l7, 'kafka'),
  };
  const tests = protocols.map((p) => {
    const t = l4[p.toLowerCase()];
    if (!t) throw new FilterError(`invalid protocol filter: unknown protocol: ${JSON.stringify(p)}`);
    return t;
  });
  return (f) => tests.some((t) => t(f));
}

function has(o: object | undefined, key: string): boolean {
  return o !== undefined && (o as Record<string, unknown>)[key] !== undefined && (o as Record<string, unknown>)[key] !== null;
}

/** ip.go: exact addresses or CIDRs; a bad one is refused. */
function ips(list: readonly string[], get: (f: Flow) => string | undefined): FlowPredicate {
  const exact: string[] = [];
  const cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const ip of list) {
    if (ip.includes('/')) {
      try {
        cidrs.push(ipaddr.parseCIDR(ip));
      } catch {
        throw new FilterError(`invalid CIDR in filter: ${JSON.stringify(ip)}`);
      }
    } else {
      if (!ipaddr.isValid(ip)) throw new FilterError(`invalid IP address in filter: ${JSON.stringify(ip)}`);
      exact.push(ip);
    }
  }
  return (f) => {
    const ip = get(f);
    if (!ip) return false;
    if (exact.includes(ip)) return true;
    if (!cidrs.length || !ipaddr.isValid(ip)) return false;
    const addr = ipaddr.parse(ip);
    return cidrs.some((c) => addr.kind() === c[0].kind() && addr.match(c));
  };
}

/**
 * k8s.go filterByNamespacedName with pkg/hubble/k8s ParseNamespaceName: `ns/prefix` matches pods
 * (or services) in ns whose name starts with prefix; `prefix` alone means the `default`
 * namespace; `ns/` every pod of ns; an empty namespace (`/name`, or `""` from --all-namespaces)
 * any namespace. An empty value is refused.
 */
function namespacedName(names: readonly string[], get: (f: Flow) => [string | undefined, string | undefined]): FlowPredicate {
  const parsed = names.map((name) => {
    if (name === '') throw new FilterError('invalid filter, name must not be empty');
    return parseNamespaceName(name);
  });
  return (f) => {
    const [ns = '', name = ''] = get(f);
    if (ns === '' && name === '') return false;
    return parsed.some((p) => (p.prefix === '' || name.startsWith(p.prefix)) && (p.ns === '' || p.ns === ns));
  };
}

export function parseNamespaceName(text: string): { ns: string; prefix: string } {
  const parts = text.split('/');
  const ns = parts[0]!;
  if (parts.length > 1) return { ns, prefix: parts[1]! };
  if (ns === '') return { ns: '', prefix: '' };
  return { ns: 'default', prefix: ns };
}

/** workload.go: a workload matches when each of its set fields (name, kind) equals the endpoint's. */
function workload(wanted: NonNullable<FlowFilter['source_workload']>, get: (f: Flow) => { name: string; kind: string }[] | undefined): FlowPredicate {
  return (f) => (get(f) ?? []).some((w) => wanted.some((x) => (!x.name || x.name === w.name) && (!x.kind || x.kind === w.kind)));
}

/** fqdn.go: `*` patterns over the endpoint's DNS names, case-insensitive, whole name. */
function fqdn(patterns: readonly string[], get: (f: Flow) => string[] | undefined): FlowPredicate {
  const res = patterns.map((p) => {
    const c = p.trim().replace(/\.$/, '').toLowerCase();
    if (c === '') throw new FilterError('invalid fqdn filter: empty pattern');
    if (!/^[-0-9_a-z.*]+$/.test(c)) throw new FilterError(`invalid fqdn filter: ${JSON.stringify(p)}: invalid rune in pattern`);
    return new RegExp(`^${c.replace(/\./g, '\\.').replace(/\*/g, '[-.0-9a-z]*')}$`);
  });
  return (f) => (get(f) ?? []).some((name) => res.some((re) => re.test(name.replace(/\.$/, '').toLowerCase())));
}

function labels(selectors: readonly string[], get: (f: Flow) => string[] | undefined, side: string): FlowPredicate {
  const parsed = selectors.map((s) => {
    try {
      return parseLabelSelector(s);
    } catch (err) {
      if (err instanceof SelectorError) throw new FilterError(`invalid ${side} label filter: ${err.message}`);
      throw err;
    }
  });
  return (f) => parsed.some((sel) => selectorMatches(sel, get(f) ?? []));
}

function port(list: readonly string[], key: 'source_port' | 'destination_port', side: string): FlowPredicate {
  const ports = list.map((p) => {
    if (!/^\d+$/.test(p) || Number(p) > 65535) throw new FilterError(`invalid ${side} port filter: invalid port ${JSON.stringify(p)}`);
    return Number(p);
  });
  return (f) => {
    const l4 = f.l4 as Record<string, { source_port?: number; destination_port?: number } | undefined> | undefined;
    const proto = l4?.TCP ?? l4?.UDP ?? l4?.SCTP;
    return proto !== undefined && ports.includes(proto[key] ?? 0);
  };
}

/**
 * http.go: status codes (`404`, or a prefix `5+`), methods (case-insensitive), paths (regular
 * expressions over the URL's path), URLs (regular expressions) and headers; each needs the
 * event-type filter, if any, to allow L7 (access log, type 129) events.
 */
function http(ff: FlowFilter): FlowPredicate[] {
  const fs: FlowPredicate[] = [];
  const l7ok = !ff.event_type?.length || ff.event_type.some((t) => t.type === 129);
  const need = (what: string) => {
    if (!l7ok) throw new FilterError(`filtering by ${what} requires the event type filter to only match 'l7' events`);
  };
  if (ff.http_status_code?.length) {
    need('http status code');
    const full: string[] = [];
    const prefix: string[] = [];
    for (const s of ff.http_status_code) {
      if (/^[1-5][0-9]{2}$/.test(s)) full.push(s);
      else if (/^[1-5][0-9]?\+$/.test(s)) prefix.push(s.slice(0, -1));
      else throw new FilterError(`invalid http status code filter: invalid status code prefix: ${JSON.stringify(s)}`);
    }
    fs.push((f) => {
      const code = f.l7?.http?.code;
      if (!code) return false;
      const c = String(code).padStart(3, '0');
      return full.includes(c) || prefix.some((p) => c.startsWith(p));
    });
  }
  if (ff.http_method?.length) {
    need('http method');
    const methods = ff.http_method.map((m) => m.toUpperCase());
    fs.push((f) => !!f.l7?.http?.method && methods.includes(f.l7.http.method.toUpperCase()));
  }
  if (ff.http_path?.length) {
    need('http path');
    const res = ff.http_path.map((p) => regexp(p, 'http path'));
    fs.push((f) => {
      const path = urlPath(f.l7?.http?.url);
      return path !== undefined && res.some((re) => re.test(path));
    });
  }
  if (ff.http_url?.length) {
    need('http url');
    const res = ff.http_url.map((p) => regexp(p, 'http url'));
    fs.push((f) => !!f.l7?.http?.url && res.some((re) => re.test(f.l7!.http!.url!)));
  }
  if (ff.http_header?.length) {
    need('http headers');
    const wanted = ff.http_header;
    fs.push((f) => (f.l7?.http?.headers ?? []).some((h) => wanted.some((w) => (w.key ?? '') === h.key && (w.value ?? '') === h.value)));
  }
  return fs;
}

/** Go's regexp is RE2; JavaScript's reads the same for the patterns people write (unanchored). */
function regexp(pattern: string, what: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (err) {
    throw new FilterError(`invalid ${what} filter: ${pattern}: ${(err as Error).message}`);
  }
}

/** url.ParseRequestURI's path: an absolute URL's path, or the request target itself. */
function urlPath(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/')) return url.split(/[?#]/)[0];
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/** tcp.go: every flag set in one filter must be set on the flow. */
function tcpFlags(filters: readonly Record<string, boolean>[]): FlowPredicate {
  return (f) => {
    const flags = f.l4?.TCP?.flags;
    if (!flags) return false;
    return filters.some((want) => Object.entries(want).every(([k, v]) => !v || flags[k] === true));
  };
}

/**
 * nodename.go + patterns.go: `cluster/node` patterns with `*` wildcards; a pattern without a
 * slash is a node in any cluster, `cluster/` every node of the cluster. A node name without a
 * cluster is read as `default/<name>` (ciliumDefaults.ClusterName).
 */
function nodeName(patterns: readonly string[]): FlowPredicate {
  const FQDN = '(?:[-0-9_a-z]+(?:\\.[-0-9_a-z]+)*)';
  const part = (p: string): string => {
    const c = p.trim().replace(/\.$/, '').toLowerCase();
    if (!/^[-0-9_a-z.*]*$/.test(c)) throw new FilterError(`invalid node name filter: ${JSON.stringify(p)}: invalid rune in pattern`);
    return c.replace(/\./g, '\\.').replace(/\*/g, '[-.0-9a-z]*');
  };
  const alternatives = patterns.map((p) => {
    if (p === '') throw new FilterError('invalid node name filter: empty pattern');
    const elems = p.split('/');
    if (elems.length > 2) throw new FilterError(`invalid node name filter: ${JSON.stringify(p)}: too many slashes in pattern`);
    const [cluster, node] = elems.length === 1 ? ['', elems[0]!] : [elems[0]!, elems[1]!];
    return `${cluster === '' ? FQDN : part(cluster)}/${node === '' ? FQDN : part(node)}`;
  });
  const re = new RegExp(`^(?:${alternatives.join('|')})$`);
  return (f) => {
    let name = f.node_name ?? '';
    if (name === '') return false;
    if (!name.includes('/')) name = `default/${name}`;
    return re.test(name);
  };
}

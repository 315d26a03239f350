import type { Flow, FlowRecord } from './flow.js';

/**
 * `hubble observe`'s printer: cilium v1.16.6 hubble/pkg/printer/printer.go (vendored in
 * cilium/hubble v1.16.6), its compact, table (tab-aligned) and jsonpb outputs, colours as
 * color.go gives them (fatih/color), times in StampMilli (`Jan _2 15:04:05.000`, UTC as
 * `timestamppb.AsTime` gives them).
 */
export type OutputFormat = 'compact' | 'json' | 'table';

export interface PrinterOptions {
  output: OutputFormat;
  color?: boolean;
  /** `--print-node-name`. */
  nodeName?: boolean;
  /** `--numeric` turns it off: addresses instead of pod and service names. */
  ipTranslation?: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36 } as const;

export class FlowPrinter {
  private readonly rows: string[][] = [];
  private readonly paint: (c: keyof typeof ANSI, s: string) => string;

  constructor(
    private readonly opts: PrinterOptions,
    private readonly write: (text: string) => void,
  ) {
    // printer.go New: the tabwriter is not compatible with colours
    const color = opts.color === true && opts.output === 'compact';
    this.paint = color ? (c, s) => `\x1b[${ANSI[c]}m${s}\x1b[0m` : (_c, s) => s;
  }

  /** One GetFlowsResponse carrying a flow. */
  flow(record: FlowRecord): void {
    switch (this.opts.output) {
      case 'json':
        this.write(`${goJson(record)}\n`);
        return;
      case 'compact':
        this.write(`${this.compact(record.flow)}\n`);
        return;
      case 'table':
        this.tableRow(record.flow);
        return;
    }
  }

  /** Flushes what the table output buffered (tabwriter.Flush at Close). */
  close(): void {
    if (this.opts.output !== 'table' || this.rows.length === 0) return;
    this.write(tabwrite(this.rows));
    this.rows.length = 0;
  }

  private compact(f: Flow): string {
    let [src, dst] = this.hostNames(f);
    let [srcId, dstId] = [this.identity(f.source?.identity ?? 0), this.identity(f.destination?.identity ?? 0)];
    const node = this.opts.nodeName ? ` [${f.node_name ?? ''}]` : '';
    let arrow = '->';
    if (f.is_reply === undefined) arrow = '<>';
    else if (f.is_reply) {
      [src, dst] = [dst, src];
      [srcId, dstId] = [dstId, srcId];
      arrow = '<-';
    }
    return `${stampMilli(f.time)}${node}: ${src} ${srcId} ${arrow} ${dst} ${dstId} ${flowType(f)} ${this.verdict(f)} (${summary(f)})`;
  }

  private tableRow(f: Flow): void {
    const [src, dst] = this.hostNames(f);
    if (this.rows.length === 0) this.rows.push(['TIMESTAMP', ...(this.opts.nodeName ? ['NODE'] : []), 'SOURCE', 'DESTINATION', 'TYPE', 'VERDICT', 'SUMMARY']);
    this.rows.push([stampMilli(f.time), ...(this.opts.nodeName ? [f.node_name ?? ''] : []), src, dst, flowType(f), this.verdict(f), summary(f)]);
  }

  /** printer.go GetHostNames + Hostname: pod, else service, else DNS names, else the address; then the port. */
  private hostNames(f: Flow): [string, string] {
    if (!f.IP) return ['', ''];
    const [sp, dp] = ports(f);
    const side = (ip: string | undefined, port: string, ep: Flow['source'], svc: Flow['source_service'], names: string[] | undefined) => {
      let ns = ep?.namespace ?? '';
      const pod = ep?.pod_name ?? '';
      if (svc) ns = svc.namespace ?? '';
      let host = ip ?? '';
      if (this.opts.ipTranslation !== false) {
        if (pod) host = join(ns, pod);
        else if (svc?.name) host = join(ns, svc.name);
        else if (names?.length) host = names.join(',');
      }
      return this.paint('cyan', port !== '' && port !== '0' ? joinHostPort(host, this.paint('yellow', port)) : host);
    };
    return [side(f.IP.source, sp, f.source, f.source_service, f.source_names), side(f.IP.destination, dp, f.destination, f.destination_service, f.destination_names)];
  }

  private identity(id: number): string {
    const name = RESERVED_IDENTITIES[id];
    return this.paint('magenta', name !== undefined ? `(${name})` : `(ID:${id})`);
  }

  /** printer.go getVerdict: policy-verdict events say ALLOWED / DENIED / AUDITED. */
  private verdict(f: Flow): string {
    const v = f.verdict ?? 'VERDICT_UNKNOWN';
    const pv = f.event_type?.type === POLICY_VERDICT;
    switch (v) {
      case 'FORWARDED':
      case 'REDIRECTED':
        return this.paint('green', pv ? 'ALLOWED' : v);
      case 'DROPPED':
      case 'ERROR':
        return this.paint('red', pv ? 'DENIED' : v);
      case 'AUDIT':
        return this.paint('yellow', pv ? 'AUDITED' : v);
      case 'TRACED':
      case 'TRANSLATED':
        return this.paint('yellow', v);
      default:
        return v;
    }
  }
}

const POLICY_VERDICT = 5;

/** pkg/identity/numericidentity.go reservedIdentityNames (v1.16.6). */
const RESERVED_IDENTITIES: Record<number, string> = {
  0: 'unknown',
  1: 'host',
  2: 'world',
  3: 'unmanaged',
  4: 'health',
  5: 'init',
  6: 'remote-node',
  7: 'kube-apiserver',
  8: 'ingress',
  9: 'world-ipv4',
  10: 'world-ipv6',
};

/** pkg/monitor/api/types.go TraceObservationPoints. */
const TRACE_POINTS: Record<number, string> = { 0: 'to-endpoint', 1: 'to-proxy', 2: 'to-host', 3: 'to-stack', 4: 'to-overlay', 5: 'from-endpoint', 6: 'from-proxy', 7: 'from-host', 8: 'from-stack', 9: 'from-overlay', 10: 'from-network', 11: 'to-network' };

/** pkg/monitor/api/types.go PolicyMatchType.String. */
const POLICY_MATCH: Record<number, string> = { 0: 'none', 1: 'L3-Only', 2: 'L3-L4', 3: 'L4-Only', 4: 'all', 5: 'L3-Proto', 6: 'Proto-Only' };

/** pkg/monitor/api/drop.go: the reasons a lab flow can carry (and the common ones of a real cluster). */
const DROP_REASONS: Record<number, string> = {
  0: 'Success',
  2: 'Invalid packet',
  130: 'Invalid source mac',
  131: 'Invalid destination mac',
  132: 'Invalid source ip',
  133: 'Policy denied',
  134: 'Invalid packet',
  135: 'CT: Truncated or invalid header',
  136: 'Fragmentation needed',
  137: 'CT: Unknown L4 protocol',
  139: 'Unsupported L3 protocol',
  140: 'Missed tail call',
  141: 'Error writing to packet',
  142: 'Unknown L4 protocol',
  150: 'Unknown L3 target address',
  151: 'Stale or unroutable IP',
  155: 'CT: Map insertion failed',
  158: 'Service backend not found',
  160: 'No tunnel/encapsulation endpoint (datapath BUG!)',
  164: 'Local host is unreachable',
  169: 'FIB lookup failed',
  171: 'Invalid identity',
  172: 'Unknown sender',
  174: 'Is a ClusterIP',
  177: 'Denied by LB src range check',
  181: 'Policy denied by denylist',
  189: 'Authentication required',
  192: 'Invalid ClusterID',
  196: 'TTL exceeded',
  198: 'Rate limited',
};

/** printer.go GetFlowType. */
export function flowType(f: Flow): string {
  if (f.l7) {
    const type = (f.l7.type ?? 'UNKNOWN_L7_TYPE').toLowerCase();
    const proto = f.l7.http ? 'http' : f.l7.dns ? 'dns' : f.l7.kafka ? 'kafka' : 'l7';
    const obs = f.l7.dns ? ` ${String((f.l7.dns as { observation_source?: string }).observation_source ?? '')}` : '';
    return `${proto}-${type}${obs}`;
  }
  const t = f.event_type?.type ?? 0;
  const sub = f.event_type?.sub_type ?? 0;
  switch (t) {
    case 4:
      return TRACE_POINTS[sub] ?? String(sub);
    case 1:
      return DROP_REASONS[sub] ?? `${sub}, 0`;
    case POLICY_VERDICT:
      return `policy-verdict:${POLICY_MATCH[f.policy_match_type ?? 0] ?? 'unknown'} ${f.traffic_direction ?? 'TRAFFIC_DIRECTION_UNKNOWN'}`;
    default:
      return 'UNKNOWN';
  }
}

/**
 * The flow's Summary (deprecated in flow.proto, still filled by cilium's parsers). A flow without
 * one gets what the parsers would have written: pkg/hubble/parser/seven/http.go httpSummary for
 * HTTP (`HTTP/1.1 GET http://…`, responses `HTTP/1.1 200 3ms (GET http://…)`), and the TCP flags
 * (`TCP Flags: SYN`) or the L4 protocol for L3/L4 flows.
 */
export function summary(f: Flow): string {
  if (f.Summary !== undefined) return f.Summary;
  const h = f.l7?.http;
  if (h) {
    const req = `${h.method ?? ''} ${h.url ?? ''}`;
    if (f.l7?.type === 'RESPONSE') return `${h.protocol ?? ''} ${h.code ?? 0} ${Math.floor(Number(f.l7.latency_ns ?? 0) / 1e6)}ms (${req})`;
    if (f.l7?.type === 'REQUEST') return `${h.protocol ?? ''} ${req}`;
    return '';
  }
  const tcp = f.l4?.TCP;
  if (tcp) {
    const set = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'].filter((k) => tcp.flags?.[k]);
    return set.length ? `TCP Flags: ${set.join(', ')}` : 'TCP';
  }
  if (f.l4?.UDP) return 'UDP';
  if (f.l4?.SCTP) return 'SCTP';
  if (f.l4?.ICMPv4) return 'ICMPv4';
  if (f.l4?.ICMPv6) return 'ICMPv6';
  return '';
}

function ports(f: Flow): [string, string] {
  const p = f.l4?.TCP ?? f.l4?.UDP ?? f.l4?.SCTP;
  if (!p) return ['', ''];
  return [String(p.source_port ?? 0), String(p.destination_port ?? 0)];
}

/** Go path.Join for two names: no slash when the namespace is empty. */
function join(ns: string, name: string): string {
  return ns === '' ? name : `${ns}/${name}`;
}

/** Go net.JoinHostPort: brackets around a host with a colon (IPv6). */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.StampMilli (`Jan _2 15:04:05.000`) in UTC; `N/A` for a missing or bad time (fmtTimestamp). */
export function stampMilli(time: string | undefined): string {
  const m = time ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/.exec(time) : null;
  if (!m) return 'N/A';
  const day = String(Number(m[3]));
  return `${MONTHS[Number(m[2]) - 1]} ${day.padStart(2, ' ')} ${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/**
 * Go's text/tabwriter as printer.go sets it up (minwidth 2, tabwidth 0, padding 3, spaces): every
 * cell but the last of a line is a column as wide as its widest cell plus 3.
 */
function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c + ' '.repeat(Math.max(2, widths[i]! + 3) - [...c].length) : c)).join('') + '\n').join('');
}

/** Go's json.Encoder output of the protojson text: HTML characters and U+2028/9 escaped. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

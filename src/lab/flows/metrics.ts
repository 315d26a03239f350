import { Counter, Histogram, Registry } from 'prom-client';
import { EVENT_TYPE, type FlowRecord } from '../../observe/index.js';

/** pkg/monitor/api/types.go TraceObservationPoints: the name a trace's sub_type stands for. */
const OBSERVATION_POINT_NAME: Record<number, string> = { 0: 'to-endpoint', 1: 'to-proxy', 2: 'to-host', 3: 'to-stack', 4: 'to-overlay', 5: 'from-endpoint', 6: 'from-proxy', 7: 'from-host', 8: 'from-stack', 9: 'from-overlay', 10: 'from-network', 11: 'to-network' };
/** pkg/monitor/api/types.go PolicyMatchType.String(), lower-cased as the policy handler labels it. */
const MATCH_NAME: Record<number, string> = { 0: 'none', 1: 'l3-only', 2: 'l3-l4', 3: 'l4-only', 4: 'all', 5: 'l3-proto', 6: 'proto-only' };

/**
 * Per-cluster dimension: Hubble's metrics are served by each agent, so a cluster is told apart by
 * the scrape (a `cluster` target label in the Prometheus config); Hubble's context options
 * (sourceContext/destinationContext: identity, namespace, pod, workload, app, ip, dns…) have no
 * cluster value. The lab serves one /metrics for all its clusters, so it adds that label itself:
 * `cluster` is the cluster of the node that observed the flow (node_name "<cluster>/<node>").
 */
const CLUSTER = 'cluster';

/**
 * Hubble's metrics, computed from the flows the lab records, with Hubble's names and labels
 * (Documentation/observability/metrics.rst "Hubble Exported Metrics"; the handlers in cilium
 * pkg/hubble/metrics/{flow,drop,httpV2 (http),policy}/handler.go):
 * - flow: hubble_flows_processed_total{type, subtype, verdict}; type Trace (subtype the
 *   observation point), Drop, PolicyVerdict, L7 (subtype HTTP).
 * - drop: hubble_drop_total{reason, protocol}: DROPPED flows by drop_reason_desc.
 * - httpV2: hubble_http_requests_total{method, protocol, status, reporter} and
 *   hubble_http_request_duration_seconds{method, reporter}, both from the L7 RESPONSE flow;
 *   reporter is client for an egress flow, server for an ingress one. Buckets: Prometheus'
 *   defaults (the handler sets none; prom-client's defaults are the same eleven).
 * - policy: hubble_policy_verdicts_total{direction, match, action} from policy-verdict events,
 *   skipping those from the host identity (1), as the handler does.
 */
export class HubbleMetrics {
  readonly registry = new Registry();
  private readonly flows = new Counter({ name: 'hubble_flows_processed_total', help: 'Total number of flows processed', labelNames: ['type', 'subtype', 'verdict', CLUSTER], registers: [this.registry] });
  private readonly drops = new Counter({ name: 'hubble_drop_total', help: 'Number of drops', labelNames: ['reason', 'protocol', CLUSTER], registers: [this.registry] });
  private readonly http = new Counter({ name: 'hubble_http_requests_total', help: 'Count of HTTP requests', labelNames: ['method', 'protocol', 'status', 'reporter', CLUSTER], registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'hubble_http_request_duration_seconds', help: 'Histogram of HTTP request duration in seconds', labelNames: ['method', 'reporter', CLUSTER], registers: [this.registry] });
  private readonly policy = new Counter({ name: 'hubble_policy_verdicts_total', help: 'Total number of Cilium network policy verdicts', labelNames: ['direction', 'match', 'action', CLUSTER], registers: [this.registry] });

  observe(record: FlowRecord): void {
    const f = record.flow;
    const cluster = record.node_name.includes('/') ? record.node_name.slice(0, record.node_name.indexOf('/')) : '';
    const verdict = f.verdict ?? 'VERDICT_UNKNOWN';
    const type = f.event_type?.type;
    const protocol = f.l4?.TCP ? 'TCP' : f.l4?.UDP ? 'UDP' : '';
    const kind = type === EVENT_TYPE.accessLog ? ['L7', f.l7?.http ? 'HTTP' : ''] : type === EVENT_TYPE.drop ? ['Drop', ''] : type === EVENT_TYPE.trace ? ['Trace', OBSERVATION_POINT_NAME[f.event_type?.sub_type ?? 0] ?? String(f.event_type?.sub_type)] : type === EVENT_TYPE.policyVerdict ? ['PolicyVerdict', ''] : ['Unknown', String(type ?? 0)];
    this.flows.inc({ type: kind[0]!, subtype: kind[1]!, verdict, [CLUSTER]: cluster });
    if (verdict === 'DROPPED') this.drops.inc({ reason: f.drop_reason_desc ?? 'DROP_REASON_UNKNOWN', protocol, [CLUSTER]: cluster });
    if (type === EVENT_TYPE.accessLog && f.l7?.type === 'RESPONSE' && f.l7.http) {
      const reporter = f.traffic_direction === 'EGRESS' ? 'client' : f.traffic_direction === 'INGRESS' ? 'server' : 'unknown';
      const method = f.l7.http.method ?? '';
      this.http.inc({ method, protocol: f.l7.http.protocol ?? '', status: String(f.l7.http.code ?? 0), reporter, [CLUSTER]: cluster });
      this.duration.observe({ method, reporter, [CLUSTER]: cluster }, Number(f.l7.latency_ns ?? 0) / 1e9);
    }
    if (type === EVENT_TYPE.policyVerdict && f.source?.identity !== 1 && f.source?.identity !== 4 && f.destination?.identity !== 4) {
      this.policy.inc({ direction: (f.traffic_direction ?? 'TRAFFIC_DIRECTION_UNKNOWN').toLowerCase(), match: MATCH_NAME[f.policy_match_type ?? 0] ?? 'unknown', action: verdict.toLowerCase(), [CLUSTER]: cluster });
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

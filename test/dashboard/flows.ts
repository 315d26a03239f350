import type { FlowRecord, Verdict } from '../../src/observe/index.js';

/**
 * Flows as `hubble observe -o json` prints them for the reference lab (../shared/reference/cilium-mesh.md §5:
 * field names from flow.proto, node_name `<cluster>/<node>`, identities shifted by cluster ID:
 * cluster 1 from 65536, cluster 2 from 131072), written out by hand for the dashboard's tests.
 */
export interface Pod {
  cluster: 'k8s-cilium-01' | 'k8s-cilium-02';
  node: string;
  namespace: string;
  pod: string;
  ip: string;
  identity: number;
  labels: string[];
}

const labels = (cluster: string, ns: string, own: string[]) => [...own.map((l) => `k8s:${l}`), `k8s:io.cilium.k8s.policy.cluster=${cluster}`, `k8s:io.kubernetes.pod.namespace=${ns}`];

export const XWING_1: Pod = { cluster: 'k8s-cilium-01', node: 'k8s-cilium-01-wk01', namespace: 'default', pod: 'x-wing-7d9f8c6b5-q2x7z', ip: '10.1.1.17', identity: 65541, labels: labels('k8s-cilium-01', 'default', ['name=x-wing']) };
export const REBEL_1: Pod = { cluster: 'k8s-cilium-01', node: 'k8s-cilium-01-wk01', namespace: 'default', pod: 'rebel-base-6f8d9c7b4-m4k2p', ip: '10.1.1.31', identity: 65540, labels: labels('k8s-cilium-01', 'default', ['name=rebel-base']) };
export const REBEL_2: Pod = { cluster: 'k8s-cilium-02', node: 'k8s-cilium-02-wk01', namespace: 'default', pod: 'rebel-base-6f8d9c7b4-t9w3c', ip: '10.2.1.44', identity: 131076, labels: labels('k8s-cilium-02', 'default', ['name=rebel-base']) };
export const XWING_STARWARS: Pod = { cluster: 'k8s-cilium-01', node: 'k8s-cilium-01-wk01', namespace: 'default', pod: 'xwing', ip: '10.1.1.52', identity: 65544, labels: labels('k8s-cilium-01', 'default', ['class=xwing', 'org=alliance', 'app.kubernetes.io/name=xwing']) };
export const DEATHSTAR: Pod = { cluster: 'k8s-cilium-01', node: 'k8s-cilium-01-wk01', namespace: 'default', pod: 'deathstar-5d7dd7c4d5-fsknz', ip: '10.1.1.60', identity: 65545, labels: labels('k8s-cilium-01', 'default', ['class=deathstar', 'org=empire', 'app.kubernetes.io/name=deathstar']) };

const endpoint = (p: Pod) => ({ ID: 100 + (p.identity % 1000), identity: p.identity, cluster_name: p.cluster, namespace: p.namespace, labels: p.labels, pod_name: p.pod });

let sequence = 0;

/** One leg of a TCP request from `from` to `to`, recorded on `at`'s node (EGRESS on the client's, INGRESS on the server's). */
export function tcpFlow(from: Pod, to: Pod, opts: { direction: 'EGRESS' | 'INGRESS'; verdict?: Verdict; service?: string; reply?: boolean; port?: number; time?: Date; point?: 'TO_OVERLAY' | 'TO_ENDPOINT' }): FlowRecord {
  const verdict = opts.verdict ?? 'FORWARDED';
  // the reply's to-endpoint is seen on the client's node; the request's on the server's
  const at = opts.reply ? (opts.point === 'TO_ENDPOINT' ? from : to) : opts.direction === 'EGRESS' && opts.point !== 'TO_ENDPOINT' ? from : to;
  const node = `${at.cluster}/${at.node}`;
  const time = (opts.time ?? new Date(Date.UTC(2026, 11, 2, 3, 0, 0) + sequence++)).toISOString().replace('Z', '000000Z');
  const dropped = verdict === 'DROPPED';
  const [src, dst] = opts.reply ? [to, from] : [from, to];
  return {
    flow: {
      time,
      verdict,
      ...(dropped ? { drop_reason: 133 } : {}),
      IP: { source: src.ip, destination: dst.ip, ipVersion: 'IPv4' },
      l4: { TCP: { source_port: opts.reply ? (opts.port ?? 80) : 40000 + (sequence % 20000), destination_port: opts.reply ? 40000 + (sequence % 20000) : (opts.port ?? 80), flags: { SYN: !opts.reply, ...(opts.reply ? { ACK: true } : {}) } } },
      source: endpoint(src),
      destination: endpoint(dst),
      Type: 'L3_L4',
      node_name: node,
      // a drop's sub_type is its reason, a trace's its observation point (flow.proto TraceObservationPoint)
      event_type: { type: dropped ? 1 : 4, ...(dropped ? { sub_type: 133 } : opts.point ? { sub_type: opts.point === 'TO_ENDPOINT' ? 101 : 4 } : {}) },
      ...(opts.service && !opts.reply ? { destination_service: { name: opts.service, namespace: to.namespace } } : {}),
      traffic_direction: opts.direction,
      ...(opts.point && !dropped ? { trace_observation_point: opts.point } : {}),
      ...(dropped ? { drop_reason_desc: 'POLICY_DENIED' } : {}),
      is_reply: opts.reply === true,
    },
    node_name: node,
    time,
  };
}

/**
 * The trace events Hubble shows for one forwarded service request between nodes: to-overlay on the
 * client's node, to-endpoint on the server's, and the reply's to-endpoint back on the client's.
 */
export function serviceRequest(from: Pod, to: Pod, service: string): FlowRecord[] {
  return [
    tcpFlow(from, to, { direction: 'EGRESS', service, point: 'TO_OVERLAY' }),
    tcpFlow(from, to, { direction: 'INGRESS', service, point: 'TO_ENDPOINT' }),
    tcpFlow(from, to, { direction: 'EGRESS', service, reply: true, point: 'TO_ENDPOINT' }),
  ];
}

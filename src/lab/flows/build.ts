import { EVENT_TYPE, type Flow, type FlowPolicy, type FlowRecord, type TrafficDirection } from '../../observe/index.js';
import type { CarriedRequest, Party, SideDecision } from './carried.js';
import { withoutZeros } from './protojson.js';
import { formatFlowTime } from './time.js';

/** What the builder needs from outside: the request's start time and a uuid per flow (injected: pure). */
export interface FlowEnv {
  startNs: bigint;
  uuid(): string;
}

/** Nanoseconds between the events of one request, so they keep their order in a ring. */
const STEP_NS = 1000n;

/**
 * pkg/monitor/api/types.go (v1.16.6, vendored in cilium/hubble): trace observation points as
 * event_type.sub_type carries them, policy match types, and the drop reasons (flow.proto DropReason).
 */
const OBSERVATION_POINT = { TO_ENDPOINT: 0, TO_PROXY: 1, TO_STACK: 3, TO_OVERLAY: 4 } as const;
type ObservationPoint = keyof typeof OBSERVATION_POINT;
const MATCH_NONE = 0;
const MATCH_L3_L4 = 2;
export const DROP_REASON = { POLICY_DENIED: 133, POLICY_DENY: 181 } as const;

/**
 * The Hubble flows of one request the lab carried, in the order the agents see them:
 * at the source node the egress policy-verdict (when egress policy is enforced: Cilium's datapath
 * only notifies a verdict for a direction its policy enforces) and, on an egress deny, the drop;
 * the packet leaving towards another node (to-overlay, or to-stack in native routing); at the
 * destination node the ingress policy-verdict and drop alike; Envoy's access-log pair (L7 request
 * and response, event type 129) where an HTTP rule applies — a request no HTTP rule allows is an
 * http-request DROPPED followed by the 403 http-response FORWARDED, as Cilium's docs show it
 * (Documentation/network/servicemesh/envoy-traffic-management and the Star Wars demo); then
 * to-endpoint FORWARDED, and the reply reaching the client (is_reply). A drop's sub_type is its
 * reason and a trace's its observation point (Hubble's threefour parser, pkg/hubble/parser/threefour).
 */
export function buildFlows(r: CarriedRequest, env: FlowEnv): FlowRecord[] {
  const out: FlowRecord[] = [];
  const emit = (party: Party, flow: Flow) => {
    const node = `${party.cluster}/${party.node}`;
    const time = formatFlowTime(env.startNs + BigInt(out.length) * STEP_NS);
    out.push({ flow: withoutZeros({ time, uuid: env.uuid(), ...flow, node_name: node }), node_name: node, time });
  };
  const sides: ['EGRESS' | 'INGRESS', SideDecision, Party][] = [
    ['EGRESS', r.egress, r.source],
    ['INGRESS', r.ingress, r.destination],
  ];
  for (const [direction, side, at] of sides) {
    if (side.enforced) emit(at, policyVerdict(r, direction, side));
    if (!side.allowed) {
      emit(at, drop(r, direction, side));
      return out;
    }
    if (side.l7) {
      emit(at, trace(r, 'TO_PROXY', direction));
      emit(at, l7Request(r, direction, side));
      emit(at, l7Response(r, direction, side));
      if (!side.l7.allowed) return out;
    }
    if (direction === 'EGRESS' && (r.source.cluster !== r.destination.cluster || r.source.node !== r.destination.node)) {
      emit(at, trace(r, r.routing === 'tunnel' ? 'TO_OVERLAY' : 'TO_STACK', direction));
    }
  }
  emit(r.destination, trace(r, 'TO_ENDPOINT', 'INGRESS'));
  emit(r.source, { ...reply(r), ...traceFields('TO_ENDPOINT'), traffic_direction: 'EGRESS', l4: { TCP: { source_port: r.port, destination_port: r.sourcePort, flags: { SYN: true, ACK: true } } } });
  return out;
}

/** The fields every L3/L4 event of the request's direction shares. */
function forward(r: CarriedRequest, flags: Record<string, boolean> = { SYN: true }): Flow {
  return {
    IP: { source: r.source.ip, destination: r.destination.ip, ipVersion: 'IPv4' },
    l4: { TCP: { source_port: r.sourcePort, destination_port: r.port, flags } },
    source: r.source.endpoint,
    destination: r.destination.endpoint,
    Type: 'L3_L4',
    ...(r.service ? { destination_service: r.service } : {}),
    is_reply: false,
  };
}

/** The same fields seen on the answer: ends swapped. */
function reply(r: CarriedRequest): Flow {
  return {
    IP: { source: r.destination.ip, destination: r.source.ip, ipVersion: 'IPv4' },
    l4: { TCP: { source_port: r.port, destination_port: r.sourcePort } },
    source: r.destination.endpoint,
    destination: r.source.endpoint,
    Type: 'L3_L4',
    ...(r.service ? { source_service: r.service } : {}),
    is_reply: true,
  };
}

function traceFields(point: ObservationPoint): Flow {
  return { verdict: 'FORWARDED', event_type: { type: EVENT_TYPE.trace, sub_type: OBSERVATION_POINT[point] }, trace_observation_point: point };
}

function trace(r: CarriedRequest, point: ObservationPoint, direction: TrafficDirection): Flow {
  return { ...forward(r, point === 'TO_PROXY' ? { PSH: true, ACK: true } : { SYN: true }), ...traceFields(point), traffic_direction: direction };
}

function policyVerdict(r: CarriedRequest, direction: 'EGRESS' | 'INGRESS', side: SideDecision): Flow {
  const by = side.policy ? byField(direction, side.allowed ? 'allowed' : 'denied', side.policy) : {};
  return {
    ...forward(r),
    verdict: side.allowed ? 'FORWARDED' : 'DROPPED',
    event_type: { type: EVENT_TYPE.policyVerdict, sub_type: 0 },
    traffic_direction: direction,
    policy_match_type: side.rule ? MATCH_L3_L4 : MATCH_NONE,
    ...by,
    ...meshwrightExtension(side.reason, side.rule),
  };
}

function drop(r: CarriedRequest, direction: 'EGRESS' | 'INGRESS', side: SideDecision): Flow {
  const reason = side.explicitDeny ? 'POLICY_DENY' : 'POLICY_DENIED';
  return {
    ...forward(r),
    verdict: 'DROPPED',
    drop_reason: DROP_REASON[reason],
    drop_reason_desc: reason,
    event_type: { type: EVENT_TYPE.drop, sub_type: DROP_REASON[reason] },
    traffic_direction: direction,
    ...(side.explicitDeny && side.policy ? byField(direction, 'denied', side.policy) : {}),
    ...meshwrightExtension(side.reason, side.rule),
  };
}

function l7Fields(side: SideDecision): Flow {
  return { Type: 'L7', event_type: { type: EVENT_TYPE.accessLog, sub_type: 0 }, ...meshwrightExtension(side.l7!.reason, side.l7!.rule) };
}

function l7Request(r: CarriedRequest, direction: TrafficDirection, side: SideDecision): Flow {
  const { l4: _l4, ...base } = forward(r);
  return {
    ...base,
    l4: { TCP: { source_port: r.sourcePort, destination_port: r.port } },
    ...l7Fields(side),
    verdict: side.l7!.allowed ? 'FORWARDED' : 'DROPPED',
    traffic_direction: direction,
    l7: { type: 'REQUEST', http: { method: r.http.method, url: r.http.url, protocol: 'HTTP/1.1' } },
  };
}

/** Envoy answers a denied request itself: 403 at once (cilium/proxy l7policy.cc denied_403_body). */
function l7Response(r: CarriedRequest, direction: TrafficDirection, side: SideDecision): Flow {
  const denied = !side.l7!.allowed;
  const code = denied ? 403 : (r.http.code ?? 0);
  return {
    ...reply(r),
    ...l7Fields(side),
    verdict: 'FORWARDED',
    traffic_direction: direction,
    l7: { type: 'RESPONSE', latency_ns: String(denied ? 0 : r.latencyNs), http: { code, method: r.http.method, url: r.http.url, protocol: 'HTTP/1.1' } },
  };
}

function byField(direction: 'EGRESS' | 'INGRESS', how: 'allowed' | 'denied', policy: FlowPolicy): Flow {
  const key = `${direction === 'EGRESS' ? 'egress' : 'ingress'}_${how}_by` as const;
  return { [key]: [policy] };
}

/**
 * The policy engine's reason and the deciding rule's place, in `extensions` (flow.proto: "arbitrary
 * additional metadata"), a google.protobuf.Any holding a Struct, so it reaches a client through
 * Hubble's API untouched even where no Policy entry names it (a default deny has no deciding rule).
 */
function meshwrightExtension(reason: string, rule: string | undefined): Flow {
  return { extensions: { '@type': 'type.googleapis.com/google.protobuf.Struct', value: { meshwright: { reason, ...(rule ? { rule } : {}) } } } };
}

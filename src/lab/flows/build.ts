import { EVENT_TYPE, type Flow, type FlowPolicy, type FlowRecord, type TrafficDirection } from '../../observe/index.js';
import type { CarriedRequest, Party, SideDecision } from './carried.js';
import { formatFlowTime } from './time.js';

/** What the builder needs from outside: the request's start time and a uuid per flow (injected: pure). */
export interface FlowEnv {
  startNs: bigint;
  uuid(): string;
}

/** Nanoseconds between the events of one request, so they keep their order in a ring. */
const STEP_NS = 1000n;

/**
 * Fields are written as protojson prints them: a proto3 scalar at its zero value (0, "0", false)
 * is left out (a trace to-endpoint's sub_type 0, a policy verdict's match type none), while
 * `is_reply`, a BoolValue wrapper, is present as false. The tests' encode/decode round trip
 * through flow.proto holds the builder to it.
 *
 * pkg/monitor/api/types.go (v1.16.6, vendored in cilium/hubble): trace observation points as
 * event_type.sub_type carries them, policy match types, and the drop reasons (flow.proto DropReason).
 */
const OBSERVATION_POINT = { TO_ENDPOINT: 0, TO_PROXY: 1, TO_STACK: 3, TO_OVERLAY: 4 } as const;
type ObservationPoint = keyof typeof OBSERVATION_POINT;
/** PolicyMatchNone (0) is the field's zero: left out. */
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
    // trace events come with their keys in place (cheaper); the others get them in Hubble's order
    const full = 'time' in flow ? Object.assign(flow, { time, uuid: env.uuid(), node_name: node }) : { time, uuid: env.uuid(), ...flow, node_name: node };
    out.push({ flow: full, node_name: node, time });
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
  emit(r.source, replyTrace(r));
  return out;
}

/**
 * Parts every trace event of a kind shares, frozen: a full ring holds 16,383 flows per node, and
 * fewer objects per flow is less for the collector to walk.
 */
const SYN = Object.freeze({ SYN: true });
const PSH_ACK = Object.freeze({ PSH: true, ACK: true });
const SYN_ACK = Object.freeze({ SYN: true, ACK: true });
const TRACE_EVENT: Record<ObservationPoint, Flow['event_type']> = Object.freeze({
  TO_ENDPOINT: Object.freeze({ type: EVENT_TYPE.trace }),
  TO_PROXY: Object.freeze({ type: EVENT_TYPE.trace, sub_type: OBSERVATION_POINT.TO_PROXY }),
  TO_STACK: Object.freeze({ type: EVENT_TYPE.trace, sub_type: OBSERVATION_POINT.TO_STACK }),
  TO_OVERLAY: Object.freeze({ type: EVENT_TYPE.trace, sub_type: OBSERVATION_POINT.TO_OVERLAY }),
});

/**
 * The trace events, the bulk of a ring, written as one object each (time, uuid and node_name
 * are filled by emit): requests per second with flows on is what bench/lab measures.
 */
function trace(r: CarriedRequest, point: ObservationPoint, direction: TrafficDirection): Flow {
  return {
    time: '',
    uuid: '',
    verdict: 'FORWARDED',
    IP: { source: r.source.ip, destination: r.destination.ip, ipVersion: 'IPv4' },
    l4: { TCP: { source_port: r.sourcePort, destination_port: r.port, flags: point === 'TO_PROXY' ? PSH_ACK : SYN } },
    source: r.source.endpoint,
    destination: r.destination.endpoint,
    Type: 'L3_L4',
    node_name: '',
    event_type: TRACE_EVENT[point],
    ...(r.service ? { destination_service: r.service } : {}),
    traffic_direction: direction,
    trace_observation_point: point,
    is_reply: false,
  };
}

/** The answer's SYN-ACK reaching the client's endpoint on its node. */
function replyTrace(r: CarriedRequest): Flow {
  return {
    time: '',
    uuid: '',
    verdict: 'FORWARDED',
    IP: { source: r.destination.ip, destination: r.source.ip, ipVersion: 'IPv4' },
    l4: { TCP: { source_port: r.port, destination_port: r.sourcePort, flags: SYN_ACK } },
    source: r.destination.endpoint,
    destination: r.source.endpoint,
    Type: 'L3_L4',
    node_name: '',
    event_type: TRACE_EVENT.TO_ENDPOINT,
    ...(r.service ? { source_service: r.service } : {}),
    traffic_direction: 'EGRESS',
    trace_observation_point: 'TO_ENDPOINT',
    is_reply: true,
  };
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

/** event_type without a zero sub_type. */
function eventType(type: number, sub: number): Flow['event_type'] {
  return sub ? { type, sub_type: sub } : { type };
}

/**
 * cilium v1.16 pkg/hubble/parser/threefour/parser.go: a denied policy verdict is DROPPED with the drop
 * reason its (negative) verdict carries, and, like a drop, no is_reply (decodeIsReply knows it only
 * for traces and forwarded verdicts).
 */
function policyVerdict(r: CarriedRequest, direction: 'EGRESS' | 'INGRESS', side: SideDecision): Flow {
  return {
    ...(side.allowed ? { ...forward(r), verdict: 'FORWARDED' } : dropped(r, side)),
    event_type: eventType(EVENT_TYPE.policyVerdict, 0),
    traffic_direction: direction,
    ...(side.rule ? { policy_match_type: MATCH_L3_L4 } : {}),
    ...(side.policy ? byField(direction, side.allowed ? 'allowed' : 'denied', side.policy) : {}),
    ...meshwrightExtension(side.reason, side.rule),
  };
}

function drop(r: CarriedRequest, direction: 'EGRESS' | 'INGRESS', side: SideDecision): Flow {
  const flow = dropped(r, side);
  return {
    ...flow,
    event_type: eventType(EVENT_TYPE.drop, flow.drop_reason!),
    traffic_direction: direction,
    ...(side.explicitDeny && side.policy ? byField(direction, 'denied', side.policy) : {}),
    ...meshwrightExtension(side.reason, side.rule),
  };
}

/** What a drop event and a denied policy verdict share: the request's fields, its reason, no is_reply. */
function dropped(r: CarriedRequest, side: SideDecision): Flow {
  const reason = side.explicitDeny ? 'POLICY_DENY' : 'POLICY_DENIED';
  const { is_reply: _unknown, ...seen } = forward(r);
  return { ...seen, verdict: 'DROPPED', drop_reason: DROP_REASON[reason], drop_reason_desc: reason };
}

function l7Fields(side: SideDecision): Flow {
  return { Type: 'L7', event_type: eventType(EVENT_TYPE.accessLog, 0), ...meshwrightExtension(side.l7!.reason, side.l7!.rule) };
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
    l7: { type: 'RESPONSE', ...(denied || !r.latencyNs ? {} : { latency_ns: String(r.latencyNs) }), http: { ...(code ? { code } : {}), method: r.http.method, url: r.http.url, protocol: 'HTTP/1.1' } },
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

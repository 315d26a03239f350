/**
 * A Hubble flow as `hubble observe -o json` prints it: protojson of cilium's flow.proto
 * (proto/cilium/flow/flow.proto, v1.16.6) with UseProtoNames, so keys are the proto field names
 * verbatim (`IP`, `Type`, `TCP` keep their case), enums are their names, Timestamps RFC 3339 and
 * 64-bit integers strings; empty fields are left out. Only the fields meshwright fills are typed;
 * the proto decides what is valid (test/observe checks flows against it).
 */
export type Verdict = 'VERDICT_UNKNOWN' | 'FORWARDED' | 'DROPPED' | 'ERROR' | 'AUDIT' | 'REDIRECTED' | 'TRACED' | 'TRANSLATED';
export type FlowType = 'UNKNOWN_TYPE' | 'L3_L4' | 'L7' | 'SOCK';
export type TrafficDirection = 'TRAFFIC_DIRECTION_UNKNOWN' | 'INGRESS' | 'EGRESS';

export interface FlowEndpoint {
  ID?: number;
  identity?: number;
  cluster_name?: string;
  namespace?: string;
  labels?: string[];
  pod_name?: string;
  workloads?: { name: string; kind: string }[];
}

/** flow.proto `Policy`: the policy Hubble names in ingress_allowed_by and its kin. */
export interface FlowPolicy {
  name?: string;
  namespace?: string;
  labels?: string[];
  revision?: string;
}

export interface Flow {
  time?: string;
  uuid?: string;
  verdict?: Verdict;
  drop_reason?: number;
  IP?: { source?: string; destination?: string; ipVersion?: 'IP_NOT_USED' | 'IPv4' | 'IPv6' };
  l4?: {
    TCP?: { source_port?: number; destination_port?: number; flags?: Record<string, boolean> };
    UDP?: { source_port?: number; destination_port?: number };
    SCTP?: { source_port?: number; destination_port?: number };
    ICMPv4?: { type?: number; code?: number };
    ICMPv6?: { type?: number; code?: number };
  };
  source?: FlowEndpoint;
  destination?: FlowEndpoint;
  Type?: FlowType;
  node_name?: string;
  source_names?: string[];
  destination_names?: string[];
  l7?: {
    type?: 'UNKNOWN_L7_TYPE' | 'REQUEST' | 'RESPONSE' | 'SAMPLE';
    latency_ns?: string;
    http?: { code?: number; method?: string; url?: string; protocol?: string; headers?: { key: string; value: string }[] };
    dns?: Record<string, unknown>;
    kafka?: Record<string, unknown>;
  };
  event_type?: { type?: number; sub_type?: number };
  source_service?: { name?: string; namespace?: string };
  destination_service?: { name?: string; namespace?: string };
  traffic_direction?: TrafficDirection;
  policy_match_type?: number;
  trace_observation_point?: string;
  drop_reason_desc?: string;
  is_reply?: boolean;
  /** Deprecated in flow.proto but still filled by cilium's parsers and printed by hubble's printer. */
  Summary?: string;
  /** google.protobuf.Any in protojson: `{"@type": "type.googleapis.com/…", …}`. */
  extensions?: Record<string, unknown>;
  egress_allowed_by?: FlowPolicy[];
  ingress_allowed_by?: FlowPolicy[];
  egress_denied_by?: FlowPolicy[];
  ingress_denied_by?: FlowPolicy[];
}

/** observer.proto `GetFlowsResponse` carrying a flow: one line of `hubble observe -o json`. */
export interface FlowRecord {
  flow: Flow;
  node_name: string;
  time: string;
}

/** pkg/monitor/api/types.go message types, as event_type.type carries them. */
export const EVENT_TYPE = { drop: 1, debug: 2, capture: 3, trace: 4, policyVerdict: 5, recorder: 6, traceSock: 7, accessLog: 129, agent: 130 } as const;

import type { IpRange } from '../../net/index.js';
import type { HttpRule } from './l7-http.js';
import type { PortEntry } from './ports.js';
import type { Requirement } from './selectors.js';
import type { LoadedObject } from '../../manifests/index.js';
import type { RuleRef } from './types.js';

/**
 * The one normalized form every policy kind is parsed into. It is cluster-independent: a
 * manifest placed in every cluster is parsed (and reported on) once, then bound per cluster.
 */
export type Direction = 'ingress' | 'egress';
export type Section = RuleRef['section'];

export type PeerSpec =
  /** A label selector over identities; `namesCluster` when it names io.cilium.k8s.policy.cluster (kept cross-cluster under policyDefaultLocalCluster). */
  | { kind: 'selector'; reqs: Requirement[]; namesCluster: boolean; reserved: boolean }
  | { kind: 'entity'; entity: string }
  /** Addresses outside every cluster: Cilium's CIDR rules and K8s ipBlock never match pods. */
  | { kind: 'cidr'; range: IpRange; except: IpRange[] }
  /**
   * Written but invalid (matches no peer), or a peer form not modelled (toFQDNs, toServices,
   * toGroups, from/toNodes, cidrGroupRef): it matches no peer here, but could match peers of the
   * classes in `could` in Cilium, so a verdict it could decide is unknown.
   */
  | { kind: 'nothing'; unmodelled?: Unmodelled };

/** What kind of peer an unmodelled peer form could stand for in Cilium. */
export type PeerClass = 'endpoint' | 'external' | 'node';
export interface Unmodelled {
  /** The field as written, e.g. "toFQDNs". */
  field: string;
  could: PeerClass[];
}

export interface RulePort {
  entries: PortEntry[];
  /** HTTP rules on these ports (Cilium `rules.http`), undefined when L4 only. */
  http?: HttpRule[];
  /** Requests on these ports are decided by something not modelled (Kafka/DNS/l7proto rules, serverNames, a listener): why. */
  unmodelled?: string;
}

export interface PolicyRule {
  section: Section;
  direction: Direction;
  deny: boolean;
  index: number;
  position: { file: string; line: number; column: number };
  /** 'any' = every peer, the world included (K8s empty from/to, Cilium toPorts-only rule). */
  peers: PeerSpec[] | 'any';
  /** 'all' = every port of every protocol; [] = no port (an icmps-only rule). */
  ports: RulePort[] | 'all';
  /** An allow through this rule holds only if something not modelled succeeds (mutual authentication): why. */
  unmodelled?: string;
  /** fromRequires/toRequires as written: Cilium ANDs them into every allow rule (of a deny section: every deny rule) selecting the same endpoints (not modelled). */
  requires?: string;
}

export interface ParsedPolicy {
  kind: RuleRef['kind'];
  namespace?: string;
  name: string;
  object: LoadedObject;
  /** Selects the subjects (before binding to a cluster); undefined when invalid → selects nothing. */
  subject: Requirement[] | undefined;
  /** Puts selected endpoints in default deny for the direction. */
  enforces: Record<Direction, boolean>;
  /** Has a section for the direction (selectedBy lists it even when it does not enforce). */
  hasSection: Record<Direction, boolean>;
  rules: PolicyRule[];
  /** A host policy (nodeSelector): selects nodes, not pods; not modelled. */
  host?: boolean;
  /** Fixes the file needs before Cilium enforces it as judged (e.g. kubectl refuses a top-level description). */
  dependsOn?: string[];
  /** Named ports used, for the "no pod defines it" warning. */
  namedPorts: { name: string; path: (string | number)[] }[];
}

export function policyLabel(p: { kind: string; namespace?: string; name: string }): string {
  return `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
}

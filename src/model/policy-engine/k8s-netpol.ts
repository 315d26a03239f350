import type { LoadedObject } from '../../manifests/index.js';
import { checkShape, NP_PEER, NP_SPEC } from './fields.js';
import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from './labels.js';
import { cidrPeer, portEntry, selectorPeer } from './peers-parse.js';
import type { PortEntry, PortProtocol } from './ports.js';
import { isRecord, type Path, type Reporter } from './report.js';
import type { Direction, ParsedPolicy, PeerSpec, PolicyRule, RulePort } from './rule.js';
import { parseSelector, type Requirement } from './selectors.js';

/**
 * Kubernetes NetworkPolicy (policy-semantics.md §1) as Cilium translates it (§2.7): isolation per
 * direction from the defaulted policyTypes, allow rules ORed, empty from/to = every peer (the
 * world too), one peer item ANDs its namespace and pod selectors, ipBlock matches only addresses
 * outside the clusters, protocol defaults to TCP, a missing port means every port.
 */
export function parseNetworkPolicy(o: LoadedObject, r: Reporter): ParsedPolicy {
  const namespace = o.object.metadata.namespace ?? 'default';
  const spec = isRecord(o.object.spec) ? o.object.spec : {};
  checkShape(o.object.spec ?? {}, NP_SPEC, ['spec'], r, 'empty');
  const subjectReqs = parseSelector(spec.podSelector, ['spec', 'podSelector'], r);
  const policy: ParsedPolicy = {
    kind: 'NetworkPolicy',
    namespace,
    name: o.object.metadata.name,
    object: o,
    subject: subjectReqs && [...subjectReqs, { key: NAMESPACE_KEY, op: 'In', values: [namespace] }],
    enforces: { ingress: false, egress: false },
    hasSection: { ingress: false, egress: false },
    rules: [],
    namedPorts: [],
  };
  const types = policyTypes(spec, r);
  for (const direction of ['ingress', 'egress'] as const) {
    const on = types.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
    const section = Array.isArray(spec[direction]) ? (spec[direction] as unknown[]) : [];
    if (!on) {
      if (section.length > 0) r.warning('POLICY_SECTION_IGNORED', `${direction} rules are ignored: policyTypes does not list ${direction === 'ingress' ? 'Ingress' : 'Egress'}`, ['spec', 'policyTypes'], `add ${direction === 'ingress' ? 'Ingress' : 'Egress'} to policyTypes, or remove spec.${direction}`);
      continue;
    }
    policy.enforces[direction] = true;
    policy.hasSection[direction] = true;
    section.forEach((raw, index) => policy.rules.push(rule(raw, direction, index, namespace, r, policy.namedPorts)));
  }
  return policy;
}

/** K8s defaulting: Ingress always; Egress only when the spec has egress rules. */
function policyTypes(spec: Record<string, unknown>, r: Reporter): string[] {
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    return Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  spec.policyTypes.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') r.error('POLICY_TYPE_INVALID', `policyTypes entry ${JSON.stringify(t)} is not Ingress or Egress`, ['spec', 'policyTypes', i]);
  });
  return spec.policyTypes as string[];
}

function rule(raw: unknown, direction: Direction, index: number, namespace: string, r: Reporter, named: ParsedPolicy['namedPorts']): PolicyRule {
  const path: Path = ['spec', direction, index];
  const item = isRecord(raw) ? raw : {};
  const peerField = direction === 'ingress' ? 'from' : 'to';
  const peersRaw = Array.isArray(item[peerField]) ? (item[peerField] as unknown[]) : [];
  const portsRaw = Array.isArray(item.ports) ? item.ports : [];
  const peers: PolicyRule['peers'] = peersRaw.length === 0 ? 'any' : peersRaw.map((p, i) => peer(p, [...path, peerField, i], namespace, r));
  let ports: PolicyRule['ports'] = 'all';
  if (portsRaw.length > 0) {
    const entries: PortEntry[] = [];
    portsRaw.forEach((p, i) => {
      const e = port(p, [...path, 'ports', i], r, named);
      if (e) entries.push(e);
    });
    ports = [{ entries } satisfies RulePort];
  }
  return { section: direction, direction, deny: false, index, position: r.position(path), peers, ports };
}

function peer(raw: unknown, path: Path, namespace: string, r: Reporter): PeerSpec {
  if (!isRecord(raw)) return { kind: 'nothing' };
  const hasPod = raw.podSelector !== undefined && raw.podSelector !== null;
  const hasNs = raw.namespaceSelector !== undefined && raw.namespaceSelector !== null;
  if (raw.ipBlock !== undefined && raw.ipBlock !== null) {
    if (hasPod || hasNs) {
      r.error('POLICY_PEER_INVALID', 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer', path, 'make them two items of the list');
      return { kind: 'nothing' };
    }
    if (!isRecord(raw.ipBlock)) return { kind: 'nothing' }; // its shape is reported (POLICY_FIELD_TYPE)
    return cidrPeer(raw.ipBlock.cidr, raw.ipBlock.except, [...path, 'ipBlock', 'cidr'], r, [...path, 'ipBlock', 'except']);
  }
  if (!hasPod && !hasNs) {
    // A misspelt selector (podselector) is already an unknown field: one error per mistake.
    const misspelt = Object.keys(raw).some((k) => !(k in NP_PEER.fields));
    if (!misspelt) r.error('POLICY_PEER_INVALID', 'a peer needs podSelector, namespaceSelector or ipBlock', path);
    return { kind: 'nothing' };
  }
  const pod = hasPod ? parseSelector(raw.podSelector, [...path, 'podSelector'], r) : [];
  const ns = hasNs ? parseSelector(raw.namespaceSelector, [...path, 'namespaceSelector'], r, NAMESPACE_LABELS_PREFIX) : [];
  if (!pod || !ns) return { kind: 'nothing' };
  // podSelector alone: the policy's namespace. A namespaceSelector, empty or only NotIn/DoesNotExist terms included,
  // selects pods in namespaces (never the world): the namespace key must exist.
  const scope: Requirement[] = !hasNs ? [{ key: NAMESPACE_KEY, op: 'In', values: [namespace] }] : [{ key: NAMESPACE_KEY, op: 'Exists', values: [] }, ...ns];
  return selectorPeer([...pod, ...scope]);
}

function port(raw: unknown, path: Path, r: Reporter, named: ParsedPolicy['namedPorts']): PortEntry | undefined {
  if (!isRecord(raw)) return undefined;
  const protocol = raw.protocol === undefined || raw.protocol === null ? 'TCP' : raw.protocol;
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    r.error('POLICY_PORT_INVALID', `protocol ${JSON.stringify(protocol)} is not TCP, UDP or SCTP`, [...path, 'protocol']);
    return undefined;
  }
  if (typeof raw.port === 'string' && !/^\d+$/.test(raw.port) && raw.endPort !== undefined) {
    r.error('POLICY_PORT_INVALID', 'endPort needs a numeric port, not a named one', [...path, 'endPort']);
    return undefined;
  }
  return portEntry(raw, protocol as PortProtocol, path, r, named, false);
}

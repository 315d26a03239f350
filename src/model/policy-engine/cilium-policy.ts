import type { LoadedObject } from '../../manifests/index.js';
import { closest } from '../../spec/suggest.js';
import { parseAddress } from '../../net/index.js';
import { checkShape, CILIUM_RULE, refusedNull } from './fields.js';
import { ENTITY_NAMES } from './entities.js';
import { compileHttpRule, type HttpRule } from './l7-http.js';
import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from './labels.js';
import { cidrPeer, portEntry, selectorPeer } from './peers-parse.js';
import type { PortEntry, PortProtocol } from './ports.js';
import { isGiven, isRecord, type Path, type Reporter } from './report.js';
import type { Direction, ParsedPolicy, PeerClass, PeerSpec, PolicyRule, RulePort, Section } from './rule.js';
import { parseSelector, type Requirement } from './selectors.js';

/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (policy-semantics.md §2): each of
 * `spec` and `specs[]` is one rule set with its own endpointSelector. A CNP's selectors are
 * confined to its namespace unless they name one; a CCNP's peer selectors match pods of every
 * namespace. An empty rule (`ingress: [{}]`) allows nothing but still turns default deny on.
 */
export function parseCiliumPolicy(o: LoadedObject, r: Reporter): ParsedPolicy[] {
  const clusterwide = o.object.kind === 'CiliumClusterwideNetworkPolicy';
  const namespace = clusterwide ? undefined : (o.object.metadata.namespace ?? 'default');
  const specs: { raw: unknown; path: Path }[] = [];
  if (isGiven(o.object.spec)) specs.push({ raw: o.object.spec, path: ['spec'] });
  if (Array.isArray(o.object.specs)) o.object.specs.forEach((raw, i) => (raw === null ? refusedNull('specs', i, ['specs', i], r) : specs.push({ raw, path: ['specs', i] })));
  // Both nil is refused before this (parse.ts); `specs: []` is a list, not nil: Cilium takes the policy, and it has no rules.
  if (isGiven(o.object.specs) && !Array.isArray(o.object.specs)) r.error('POLICY_FIELD_TYPE', 'specs must be a list of rules', ['specs'], 'write specs: as a list (- endpointSelector: …), or use spec: for one rule');
  else if (specs.length === 0) r.warning('POLICY_EMPTY', `${o.object.kind} ${o.object.metadata.name} has an empty specs list and no spec: it does nothing`, []);
  const out: ParsedPolicy[] = [];
  for (const { raw, path } of specs) {
    checkShape(raw, CILIUM_RULE, path, r, 'refused');
    if (!isRecord(raw)) continue;
    if (raw.nodeSelector !== undefined) {
      // A host policy: reported as not modelled by checkShape; kept (selecting no pod) so that verdicts on node traffic say unknown.
      out.push({ ...ruleSet(o, { ...raw, endpointSelector: undefined }, path, namespace, r), subject: undefined, host: true });
      continue;
    }
    if (raw.endpointSelector === undefined) {
      r.error('POLICY_SELECTOR_MISSING', 'a rule needs an endpointSelector (or a nodeSelector)', path);
      continue;
    }
    out.push(ruleSet(o, raw, path, namespace, r));
  }
  return out;
}

function ruleSet(o: LoadedObject, raw: Record<string, unknown>, base: Path, namespace: string | undefined, r: Reporter): ParsedPolicy {
  const policy: ParsedPolicy = {
    kind: o.object.kind as ParsedPolicy['kind'],
    ...(namespace !== undefined ? { namespace } : {}),
    name: o.object.metadata.name,
    object: o,
    subject: subject(raw.endpointSelector, [...base, 'endpointSelector'], namespace, r),
    enforces: { ingress: false, egress: false },
    hasSection: { ingress: false, egress: false },
    rules: [],
    namedPorts: [],
  };
  const defaultDeny = isRecord(raw.enableDefaultDeny) ? raw.enableDefaultDeny : {};
  for (const direction of ['ingress', 'egress'] as const) {
    for (const deny of [false, true]) {
      const section: Section = deny ? `${direction}Deny` : direction;
      const items = Array.isArray(raw[section]) ? (raw[section] as unknown[]) : [];
      if (items.length > 0) policy.hasSection[direction] = true;
      items.forEach((item, index) => policy.rules.push(rule(item, direction, section, deny, index, [...base, section, index], namespace, r, policy.namedPorts)));
    }
    // enableDefaultDeny false: the rules still allow (and deny), they just do not switch default deny on.
    policy.enforces[direction] = policy.hasSection[direction] && defaultDeny[direction] !== false;
  }
  return policy;
}

/** CNP: the policy's namespace is always added; a different namespace written by the user is replaced (Cilium warns too). */
function subject(raw: unknown, path: Path, namespace: string | undefined, r: Reporter): Requirement[] | undefined {
  const reqs = parseSelector(raw, path, r);
  if (!reqs || namespace === undefined) return reqs;
  const own = reqs.filter((q) => q.key === NAMESPACE_KEY);
  if (own.some((q) => !(q.op === 'In' && q.values.length === 1 && q.values[0] === namespace))) {
    r.warning('POLICY_NAMESPACE_REPLACED', `the endpointSelector of a CiliumNetworkPolicy always selects its own namespace (${namespace}); the namespace written here is replaced`, path, 'use a CiliumClusterwideNetworkPolicy to select pods of other namespaces');
  }
  return [...reqs.filter((q) => q.key !== NAMESPACE_KEY), { key: NAMESPACE_KEY, op: 'In', values: [namespace] }];
}

/**
 * The API server refuses a null list item in a Cilium policy (fields.ts reports it); it reads as a
 * misshapen item, which each parser skips as already reported, so it neither matches every
 * endpoint (an empty selector) nor becomes a second error ("invalid CIDR null").
 */
const refusedAsMisshapen = (x: unknown): unknown => (x === null ? [] : x);

function rule(raw: unknown, direction: Direction, section: Section, deny: boolean, index: number, path: Path, namespace: string | undefined, r: Reporter, named: ParsedPolicy['namedPorts']): PolicyRule {
  const item = isRecord(raw) ? raw : {};
  const dir = direction === 'ingress' ? 'from' : 'to';
  const list = (field: string) => (Array.isArray(item[field]) ? (item[field] as unknown[]).map(refusedAsMisshapen) : []);
  const peers: PeerSpec[] = [];
  list(`${dir}Endpoints`).forEach((sel, i) => peers.push(selectorPeer(peerSelector(sel, [...path, `${dir}Endpoints`, i], namespace, r))));
  list(`${dir}CIDR`).forEach((c, i) => peers.push(cidrPeer(hostCidr(c), undefined, [...path, `${dir}CIDR`, i], r, [])));
  list(`${dir}CIDRSet`).forEach((c, i) => {
    if (!isRecord(c)) return void peers.push({ kind: 'nothing' }); // its shape is reported (POLICY_FIELD_TYPE)
    const at = [...path, `${dir}CIDRSet`, i];
    const group = isGiven(c.cidrGroupRef) ? 'cidrGroupRef' : isGiven(c.cidrGroupSelector) ? 'cidrGroupSelector' : undefined;
    if (isGiven(c.cidr) && isGiven(c.cidrGroupRef)) {
      // 1.16's CIDRRule is oneOf cidr, cidrGroupRef: the API server refuses an entry with both. It matches nothing
      // here (an entry of no peers would make a rule with toPorts match every peer). cidrGroupSelector is 1.17's,
      // an unknown field here (reported): beside a cidr, the cidr is read.
      r.error('POLICY_PEER_INVALID', 'a CIDR rule takes one of cidr and cidrGroupRef, not both: the API server refuses the policy (oneOf in the CRD schema)', at, `make them two entries of ${dir}CIDRSet`);
      peers.push({ kind: 'nothing' });
    } else if (group && !isGiven(c.cidr)) peers.push({ kind: 'nothing', unmodelled: { field: `${dir}CIDRSet[${i}].${group}`, could: ['external'] } });
    else peers.push(cidrPeer(hostCidr(c.cidr), Array.isArray(c.except) ? c.except.map(refusedAsMisshapen) : c.except, [...at, 'cidr'], r, [...at, 'except']));
  });
  list(`${dir}Entities`).forEach((e, i) => peers.push(entityPeer(e, [...path, `${dir}Entities`, i], r)));
  // Peers written in a form not modelled (reported by checkShape) match nothing here, still make this an L3
  // rule, and say which peers they could match in Cilium, so that verdicts they could decide are unknown.
  for (const [field, could] of unmodelledPeers(dir)) if (field.startsWith(dir) && list(field).length > 0) peers.push({ kind: 'nothing', unmodelled: { field, could } });
  const toPorts = list('toPorts');
  const icmps = list('icmps');
  let ports: PolicyRule['ports'] = 'all';
  if (toPorts.length > 0) ports = toPorts.map((p, i) => portRule(p, [...path, 'toPorts', i], r, named));
  else if (icmps.length > 0) ports = [];
  // No L3 part: with ports it is every peer (identity 0, the world too); without anything it allows nothing.
  const anyPeer = peers.length === 0 && (toPorts.length > 0 || icmps.length > 0);
  const out: PolicyRule = { section, direction, deny, index, position: r.position(path), peers: anyPeer ? 'any' : peers, ports };
  if (list(`${dir}Requires`).length > 0) out.requires = `${dir}Requires`;
  const auth = isRecord(item.authentication) ? item.authentication.mode : undefined;
  if (typeof auth === 'string' && auth !== 'disabled') out.unmodelled = `authentication mode ${auth}: allowed only if mutual authentication succeeds (not modelled)`;
  return out;
}

/** Peer forms the engine does not resolve, and what they could stand for in Cilium (pkg/policy/api). */
function unmodelledPeers(dir: 'from' | 'to'): [string, PeerClass[]][] {
  return [
    [`${dir}Groups`, ['external']],
    [`${dir}Nodes`, ['node']],
    ['toServices', ['endpoint', 'external']],
    ['toFQDNs', ['external']],
  ];
}

/**
 * The implied namespace (utils.go getEndpointSelector): a CNP peer selector without a namespace
 * key or namespace-label key is confined to the policy's namespace; a CCNP's to "any namespace"
 * (pods only). Selectors of reserved identities are left alone.
 */
function peerSelector(raw: unknown, path: Path, namespace: string | undefined, r: Reporter): Requirement[] | undefined {
  const reqs = parseSelector(raw, path, r);
  if (!reqs) return undefined;
  if (reqs.some((q) => q.key === NAMESPACE_KEY || q.key.startsWith(NAMESPACE_LABELS_PREFIX) || q.key.startsWith('reserved:'))) return reqs;
  return [...reqs, namespace === undefined ? { key: NAMESPACE_KEY, op: 'Exists', values: [] } : { key: NAMESPACE_KEY, op: 'In', values: [namespace] }];
}

function entityPeer(raw: unknown, path: Path, r: Reporter): PeerSpec {
  if (typeof raw === 'object') return { kind: 'nothing' }; // its shape (or a null item) is reported (POLICY_FIELD_TYPE)
  const name = String(raw);
  if (!(ENTITY_NAMES as readonly string[]).includes(name)) {
    // closest() counts two swapped letters ("wrold"), the commonest slip in a short name, as one edit.
    const guess = closest(name, ENTITY_NAMES);
    r.error('POLICY_ENTITY_UNKNOWN', `unknown entity "${name}"${guess ? `; did you mean "${guess}"?` : ''}`, path, `entities: ${ENTITY_NAMES.join(', ')}`);
    return { kind: 'nothing' };
  }
  return { kind: 'entity', entity: name };
}

/** A bare address in a CIDR list is a single host. */
function hostCidr(v: unknown): unknown {
  if (typeof v !== 'string' || v.includes('/')) return v;
  const a = parseAddress(v);
  return a ? `${v}/${a.family === 4 ? 32 : 128}` : v;
}

function portRule(item: unknown, path: Path, r: Reporter, named: ParsedPolicy['namedPorts']): RulePort {
  if (!isRecord(item)) return { entries: [] }; // its shape is reported (POLICY_FIELD_TYPE); it matches no traffic
  const entries: PortEntry[] = [];
  const ports = Array.isArray(item.ports) ? item.ports : [];
  // Cilium merges one L4 filter per listed port (pkg/policy/rule.go mergeIngress/mergeEgress): none listed, none merged.
  if (ports.length === 0) r.warning('POLICY_PORTS_EMPTY', 'this toPorts entry lists no ports: Cilium matches no traffic with it', path, 'list its ports, e.g. ports: [{port: "80", protocol: TCP}]; to allow every port, leave toPorts out');
  ports.forEach((p, i) => {
    const e = port(p, [...path, 'ports', i], r, named);
    if (e) entries.push(e);
  });
  const rules = isRecord(item.rules) ? item.rules : {};
  const unmodelled = unmodelledPort(item, rules);
  if (!Array.isArray(rules.http) || rules.http.length === 0) return unmodelled ? { entries, unmodelled } : { entries };
  const http: HttpRule[] = rules.http.map((h, i) => compileHttpRule(h, i, [...path, 'rules', 'http', i], r));
  if (entries.length > 0 && entries.every((e) => e.protocol === 'UDP' || e.protocol === 'SCTP')) r.warning('POLICY_HTTP_NOT_TCP', 'HTTP rules apply to TCP only; these ports are not TCP', [...path, 'rules', 'http']);
  return unmodelled ? { entries, http, unmodelled } : { entries, http };
}

/** Why requests on a toPorts entry are decided by something the engine does not model, if they are. */
function unmodelledPort(item: Record<string, unknown>, rules: Record<string, unknown>): string | undefined {
  for (const kind of ['kafka', 'dns', 'l7'] as const) {
    if (Array.isArray(rules[kind]) && rules[kind].length > 0) return `${kind === 'l7' ? `${String(rules.l7proto ?? 'l7proto')} (l7proto)` : kind === 'dns' ? 'DNS' : 'Kafka'} rules decide each request on this port (not modelled)`;
  }
  if (typeof rules.l7proto === 'string' && rules.l7proto !== '') return `${rules.l7proto} (l7proto) rules decide each request on this port (not modelled)`;
  if (Array.isArray(item.serverNames) && item.serverNames.length > 0) return 'serverNames (TLS SNI) decide which connections pass (not modelled)';
  if (item.listener !== undefined && item.listener !== null) return 'an Envoy listener decides the traffic on this port (not modelled)';
  return undefined;
}

function port(raw: unknown, path: Path, r: Reporter, named: ParsedPolicy['namedPorts']): PortEntry | undefined {
  if (!isRecord(raw)) return undefined;
  const protocol = raw.protocol === undefined || raw.protocol === null ? 'ANY' : String(raw.protocol).toUpperCase();
  if (!['TCP', 'UDP', 'SCTP', 'ANY'].includes(protocol)) {
    r.error('POLICY_PORT_INVALID', `protocol ${JSON.stringify(raw.protocol)} is not TCP, UDP, SCTP or ANY`, [...path, 'protocol'], 'ICMP is written with icmps, not as a port protocol');
    return undefined;
  }
  const numeric = typeof raw.port === 'number' || (typeof raw.port === 'string' && /^\d+$/.test(raw.port));
  if (!numeric && raw.port !== undefined && raw.endPort !== undefined) r.warning('POLICY_PORT_INVALID', 'endPort is ignored for a named port', [...path, 'endPort']);
  const entry = portEntry(numeric ? raw : { port: raw.port }, protocol as PortProtocol, path, r, named, true);
  return entry;
}

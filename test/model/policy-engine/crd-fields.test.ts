/**
 * Every field of the CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy v2 CRD schemas of the
 * Cilium 1.16 line (test/fixtures/upstream/cilium-crds-v1.16, see its README) is accounted for:
 * a small policy using it either gets the verdict Cilium's documentation states (modelled), or a
 * warning at the field (warned), or the verdict `unknown` with the construct named in the reason
 * and a POLICY_NOT_MODELLED warning at the field (not modelled). A field the schema declares but
 * the table below does not classify fails the test, and so does a classified field the engine
 * refuses or silently ignores.
 *
 * The class of each field comes from Cilium's documentation, not from the engine:
 * - Documentation/security/policy/language.rst (v1.16): endpoint, CIDR, entity, node, service,
 *   DNS (toFQDNs), ICMP, Requires, Groups, deny policies, host policies (nodeSelector) and the
 *   L7 examples (HTTP, Kafka, DNS, headerMatches with secrets); the L4-only rule that lifts L7.
 * - The field comments of pkg/policy/api at v1.16.0 (rule.go, ingress.go, egress.go, l4.go,
 *   cidr.go, icmp.go, http.go; as cilium-cli v0.16.15 vendors them): description "free form
 *   string … Rules cannot be identified by comment"; labels "used to re-identify the rule or to
 *   store metadata"; enableDefaultDeny "when false, this policy will not … put the endpoint in
 *   default deny"; ICMPs "identified by type number"; mismatch actions LOG/ADD/DELETE/REPLACE
 *   that do not fail the request; TLS contexts and listeners that hand the traffic to Envoy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { parseManifestText } from '../../../src/manifests/index.js';
import { buildPolicyEngine, type HttpRequest, type PeerRef, type PolicyBuild, type Protocol, type Verdict } from '../../../src/model/policy-engine/index.js';

const CRDS = 'test/fixtures/upstream/cilium-crds-v1.16';
type Kind = 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
const FILES: Record<Kind, string> = { CiliumNetworkPolicy: 'ciliumnetworkpolicies.yaml', CiliumClusterwideNetworkPolicy: 'ciliumclusterwidenetworkpolicies.yaml' };

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Every property path under a schema node: `a.b`, `a[].b` for list items. Map values (additionalProperties) are not fields. */
function schemaPaths(node: SchemaNode, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push(path, ...schemaPaths(child, path));
    if (child.items) out.push(...schemaPaths(child.items, `${path}[]`));
  }
  return out;
}

function openApi(kind: Kind): SchemaNode {
  const crd = parse(readFileSync(`${CRDS}/${FILES[kind]}`, 'utf8')) as { spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: SchemaNode } }[] } };
  assert.equal(crd.spec.names.kind, kind);
  const v2 = crd.spec.versions.find((v) => v.name === 'v2');
  assert.ok(v2, `${FILES[kind]} has a v2 version`);
  return v2.schema.openAPIV3Schema;
}

/** The paths an object holds, in the same notation (numbers become []). */
function objectPaths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, p: string) => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, `${p}[]`));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        const q = p ? `${p}.${k}` : k;
        out.add(q);
        visit(x, q);
      }
    }
  };
  visit(value, prefix);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The world every case runs in: a subject pod, a pod rules match, one they do not, two outside
// addresses (documentation ranges), and two nodes; the pods run on wk1, so wk2 is remote-node.

const NODE = (name: string, ip: string) => `apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}}}
status: {addresses: [{type: InternalIP, address: ${ip}}]}
---
`;
const POD = (name: string, role: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: {role: ${role}}}
spec: {nodeName: wk1, containers: [{name: c, ports: [{name: http, containerPort: 80}]}]}
---
`;
const WORLD = NODE('wk1', '172.26.0.142') + NODE('wk2', '172.26.0.143') + POD('subject', 'subject') + POD('match', 'match') + POD('other', 'other');

type Peer = 'match' | 'other' | 'out' | 'out-except' | 'out-other' | 'node';
const OUT: Record<string, string> = { out: '198.51.100.77', 'out-except': '198.51.100.7', 'out-other': '203.0.113.9' };

type Expect = 'allowed' | 'denied' | 'l7-denied' | 'unknown';
interface Check {
  peer: Peer;
  port?: number;
  protocol?: Protocol;
  http?: HttpRequest;
  expect: Expect;
}
interface Scenario {
  /** The rule (spec, or one specs[] item). */
  rule: Record<string, unknown>;
  /** Added beside spec/specs (for the status fields). */
  root?: Record<string, unknown>;
  /** ingress: the peer sends to the subject; egress: the subject sends to the peer. */
  direction: 'ingress' | 'egress';
  checks: Check[];
}

type Class =
  | { class: 'modelled'; scenario: Scenario }
  | { class: 'warned'; scenario: Scenario }
  /** `reason` must appear in the verdict (the side's unmodelled reason or the L7 reason). */
  | { class: 'not-modelled'; scenario: Scenario; reason: RegExp };

// ---------------------------------------------------------------------------------------------
// Rules, built from the field path so that the path's own form is used (a selector written with
// matchExpressions when the path is about matchExpressions).

type Section = 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';

function selectorOf(path: string) {
  return (labels: Record<string, string>): Record<string, unknown> => {
    if (!path.includes('matchExpressions')) return { matchLabels: labels };
    return { matchExpressions: Object.entries(labels).map(([key, v]) => ({ key, operator: 'In', values: [v] })) };
  };
}

/**
 * One peer rule in a section. An allow section admits what the rule matches and default-denies
 * the rest; a deny section sits beside an allow-everything rule (`all`), so what it matches is
 * denied and the rest allowed.
 */
function sectionRule(path: string, section: Section, entry: Record<string, unknown>): Record<string, unknown> {
  const sel = selectorOf(path);
  const ingress = section.startsWith('ingress');
  const rule: Record<string, unknown> = { endpointSelector: sel({ role: 'subject' }) };
  if (section.endsWith('Deny')) rule[ingress ? 'ingress' : 'egress'] = [{ [ingress ? 'fromEntities' : 'toEntities']: ['all'] }];
  rule[section] = [entry];
  return rule;
}

/** Checks for a rule that matches `yes` and not `no`: allowed/denied flipped in a deny section. */
function matching(section: Section, yes: Omit<Check, 'expect'>, no: Omit<Check, 'expect'>): Check[] {
  const deny = section.endsWith('Deny');
  return [{ ...yes, expect: deny ? 'denied' : 'allowed' }, { ...no, expect: deny ? 'allowed' : 'denied' }];
}

const direction = (section: Section) => (section.startsWith('ingress') ? 'ingress' : 'egress');
const peerField = (section: Section, name: string) => `${section.startsWith('ingress') ? 'from' : 'to'}${name}`;

/** The rule part that matches the `match` pod, in the path's selector form. */
function endpointsEntry(path: string, section: Section): Record<string, unknown> {
  return { [peerField(section, 'Endpoints')]: [selectorOf(path)({ role: 'match' })] };
}

function peers(path: string, section: Section): Scenario {
  return { rule: sectionRule(path, section, endpointsEntry(path, section)), direction: direction(section), checks: matching(section, { peer: 'match' }, { peer: 'other' }) };
}

function ports(path: string, section: Section): Scenario {
  const port: Record<string, unknown> = { port: '80', protocol: 'TCP' };
  let yes: Omit<Check, 'expect'> = { peer: 'match', port: 80 };
  let no: Omit<Check, 'expect'> = { peer: 'match', port: 81 };
  if (path.endsWith('endPort')) {
    port.endPort = 90;
    yes = { peer: 'match', port: 85 };
    no = { peer: 'match', port: 91 };
  } else if (path.endsWith('protocol')) {
    port.protocol = 'UDP';
    yes = { peer: 'match', port: 80, protocol: 'UDP' };
    no = { peer: 'match', port: 80, protocol: 'TCP' };
  }
  return { rule: sectionRule(path, section, { ...endpointsEntry(path, section), toPorts: [{ ports: [port] }] }), direction: direction(section), checks: matching(section, yes, no) };
}

const get = (method: string, path: string, headers: Record<string, string> = {}, host?: string): HttpRequest => ({ method, path, headers, ...(host ? { host } : {}) });

/** Star Wars' rule1 (getting-started/demo): POST /v1/request-landing passes, anything else gets 403. */
function l7(path: string, section: Section, extra: Record<string, unknown> = {}): Scenario {
  const http: Record<string, unknown> = { method: 'POST', path: '/v1/request-landing' };
  let yes = get('POST', '/v1/request-landing');
  let no = get('PUT', '/v1/exhaust-port');
  if (path.endsWith('http[].host')) {
    http.host = 'deathstar\\.example';
    yes = get('POST', '/v1/request-landing', {}, 'deathstar.example');
    no = get('POST', '/v1/request-landing', {}, 'tatooine.example');
  } else if (path.endsWith('http[].headers')) {
    http.headers = ['X-Has-Force: True'];
    yes = get('POST', '/v1/request-landing', { 'X-Has-Force': 'True' });
    no = get('POST', '/v1/request-landing');
  } else if (path.includes('headerMatches')) {
    // A headerMatch with a value and no mismatch action fails a request whose header differs;
    // with mismatch LOG the request passes and the mismatch is only logged.
    const logOnly = path.endsWith('mismatch');
    http.headerMatches = [{ name: 'X-Token', value: 'abc', ...(logOnly ? { mismatch: 'LOG' } : {}) }];
    yes = get('POST', '/v1/request-landing', { 'X-Token': logOnly ? 'xyz' : 'abc' });
    no = logOnly ? get('PUT', '/v1/exhaust-port', { 'X-Token': 'xyz' }) : get('POST', '/v1/request-landing', { 'X-Token': 'xyz' });
  }
  const entry = { ...endpointsEntry(path, section), toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [http] }, ...extra }] };
  return {
    rule: sectionRule(path, section, entry),
    direction: direction(section),
    checks: [
      { peer: 'match', port: 80, http: yes, expect: 'allowed' },
      { peer: 'match', port: 80, http: no, expect: 'l7-denied' },
    ],
  };
}

/** A rule whose port carries something not modelled: requests on it are unknown. */
function onPort(path: string, section: Section, portRule: Record<string, unknown>): Scenario {
  const entry = { ...endpointsEntry(path, section), toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], ...portRule }] };
  return { rule: sectionRule(path, section, entry), direction: direction(section), checks: [{ peer: 'match', port: 80, http: get('GET', '/'), expect: 'unknown' }] };
}

/** A peer form not modelled: in an allow section the peer it could match is unknown instead of default-denied; in a deny section an allow it could take away is unknown. */
function unmodelledPeer(path: string, section: Section, entry: Record<string, unknown>, peer: Peer): Scenario {
  return { rule: sectionRule(path, section, entry), direction: direction(section), checks: [{ peer, port: 80, expect: 'unknown' }] };
}

// ---------------------------------------------------------------------------------------------
// The classification: first matching pattern wins. `§` stands for a rule section.

type Rule = [RegExp, (path: string, section: Section) => Class];
const S = '(ingress|ingressDeny|egress|egressDeny)\\[\\]';
const rx = (s: string) => new RegExp(`^${s.replaceAll('§', S)}$`);
const SEL = '((\\[\\])?\\.(matchLabels|matchExpressions(\\[\\]\\.(key|operator|values))?))?';

const nm = (reason: RegExp, scenario: (path: string, section: Section) => Scenario) => (path: string, section: Section): Class => ({ class: 'not-modelled', scenario: scenario(path, section), reason });
const modelled = (scenario: (path: string, section: Section) => Scenario) => (path: string, section: Section): Class => ({ class: 'modelled', scenario: scenario(path, section) });

const CIDR_GROUP = { cidrGroupRef: 'partners' };
const AWS = { aws: { labels: { team: 'edge' }, region: 'eu-west-1', securityGroupsIds: ['sg-0123'], securityGroupsNames: ['edge'] } };

const TABLE: Rule[] = [
  // Sections and endpoint selectors (language.rst "Endpoints Based").
  [rx(`(ingress|ingressDeny|egress|egressDeny)`), (p) => ({ class: 'modelled', scenario: peers(p, p as Section) })],
  [rx(`§\\.(fromEndpoints|toEndpoints)${SEL}`), modelled(peers)],
  // fromRequires/toRequires: "additional constraints which must be met" by the peers of every
  // allow rule (of an allow section) or every deny rule (of a deny section; pkg/policy/rule.go
  // requirementsDeny) selecting the endpoint. Here the deny rule names the match pod, but the
  // requirement env=prod, which it lacks, narrows the deny: Cilium lets it through.
  [rx(`§\\.(fromRequires|toRequires)${SEL}`), nm(/(from|to)Requires/, (p, s) => {
    const requires = { [peerField(s, 'Requires')]: [selectorOf(p)(s.endsWith('Deny') ? { env: 'prod' } : { role: 'match' })] };
    return unmodelledPeer(p, s, { ...endpointsEntry(p, s), ...requires }, 'match');
  })],
  // CIDR based: outside addresses, except carving holes.
  [rx('§\\.(fromCIDR|toCIDR)'), modelled((p, s) => ({ rule: sectionRule(p, s, { [peerField(s, 'CIDR')]: ['198.51.100.0/24'] }), direction: direction(s), checks: matching(s, { peer: 'out' }, { peer: 'out-other' }) }))],
  [rx('§\\.(fromCIDRSet|toCIDRSet)(\\[\\]\\.(cidr|except))?'), modelled((p, s) => ({ rule: sectionRule(p, s, { [peerField(s, 'CIDRSet')]: [{ cidr: '198.51.100.0/24', except: ['198.51.100.0/28'] }] }), direction: direction(s), checks: matching(s, { peer: 'out' }, { peer: 'out-except' }) }))],
  [rx('§\\.(fromCIDRSet|toCIDRSet)\\[\\]\\.cidrGroupRef'), nm(/cidrGroupRef/, (p, s) => unmodelledPeer(p, s, { [peerField(s, 'CIDRSet')]: [CIDR_GROUP] }, 'out'))],
  // Entities: world is outside the cluster only.
  [rx('§\\.(fromEntities|toEntities)'), modelled((p, s) => ({ rule: sectionRule(p, s, { [peerField(s, 'Entities')]: ['world'] }), direction: direction(s), checks: matching(s, { peer: 'out' }, { peer: 'match' }) }))],
  // Groups (AWS security groups): resolved by the operator from the cloud API.
  [rx('§\\.(fromGroups|toGroups)(\\[\\]\\.aws(\\.(labels|region|securityGroupsIds|securityGroupsNames))?)?'), nm(/(from|to)Groups/, (p, s) => unmodelledPeer(p, s, { [peerField(s, 'Groups')]: [AWS] }, 'out'))],
  // Node based (fromNodes/toNodes): select nodes by their labels.
  [rx(`§\\.(fromNodes|toNodes)${SEL}`), nm(/(from|to)Nodes/, (p, s) => unmodelledPeer(p, s, { [peerField(s, 'Nodes')]: [selectorOf(p)({ 'kubernetes.io/hostname': 'wk2' })] }, 'node'))],
  // Services based: a Service's backends, pods or outside.
  [rx('(egress|egressDeny)\\[\\]\\.toServices(\\[\\]\\.k8sService(\\.(namespace|serviceName))?)?'), nm(/toServices/, (p, s) => unmodelledPeer(p, s, { toServices: [{ k8sService: { serviceName: 'match', namespace: 'default' } }] }, 'match'))],
  [rx(`(egress|egressDeny)\\[\\]\\.toServices\\[\\]\\.k8sServiceSelector(\\.namespace|\\.selector${SEL})?`), nm(/toServices/, (p, s) => unmodelledPeer(p, s, { toServices: [{ k8sServiceSelector: { selector: selectorOf(p)({ role: 'match' }), namespace: 'default' } }] }, 'match'))],
  // DNS based (toFQDNs): addresses learnt by the DNS proxy.
  [rx('(egress)\\[\\]\\.toFQDNs(\\[\\]\\.(matchName|matchPattern))?'), nm(/toFQDNs/, (p, s) => unmodelledPeer(p, s, { toFQDNs: [{ matchName: 'api.example.com', matchPattern: '*.example.com' }] }, 'out'))],
  // ICMP: an icmps entry is about ICMP only; no TCP/UDP/SCTP passes (or is denied) through it.
  [rx('§\\.icmps(\\[\\]\\.fields(\\[\\]\\.(family|type))?)?'), modelled((p, s) => {
    const entry = { ...endpointsEntry(p, s), icmps: [{ fields: [{ type: 8, family: 'IPv4' }, { type: 'EchoRequest', family: 'IPv6' }] }] };
    return { rule: sectionRule(p, s, entry), direction: direction(s), checks: [{ peer: 'match', port: 80, expect: s.endsWith('Deny') ? 'allowed' : 'denied' }] };
  })],
  // Mutual authentication: the allow holds only once the handshake succeeds.
  [rx('(ingress|egress)\\[\\]\\.authentication(\\.mode)?'), nm(/authentication/, (p, s) => unmodelledPeer(p, s, { ...endpointsEntry(p, s), authentication: { mode: 'required' } }, 'match'))],
  // Layer 4.
  [rx('§\\.toPorts(\\[\\]\\.ports(\\[\\]\\.(port|endPort|protocol))?)?'), modelled(ports)],
  // Layer 7 HTTP (Star Wars; headerMatches).
  [rx('(ingress|egress)\\[\\]\\.toPorts\\[\\]\\.rules(\\.http(\\[\\]\\.(method|path|host|headers|headerMatches(\\[\\]\\.(name|value|mismatch))?))?)?'), modelled(l7)],
  // headerMatches against a Secret's value: unknown offline for a request that carries the header.
  [rx('(ingress|egress)\\[\\]\\.toPorts\\[\\]\\.rules\\.http\\[\\]\\.headerMatches\\[\\]\\.secret(\\.(name|namespace))?'), nm(/secret/i, (p, s) => {
    const http = { method: 'GET', headerMatches: [{ name: 'X-Token', secret: { name: 'token', namespace: 'default' } }] };
    const entry = { ...endpointsEntry(p, s), toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [http] } }] };
    return { rule: sectionRule(p, s, entry), direction: direction(s), checks: [{ peer: 'match', port: 80, http: get('GET', '/', { 'X-Token': 'abc' }), expect: 'unknown' }] };
  })],
  // Kafka, DNS and generic (l7proto) L7 rules decide each request on the port.
  [rx('(ingress|egress)\\[\\]\\.toPorts\\[\\]\\.rules\\.kafka(\\[\\]\\.(apiKey|apiVersion|clientID|role|topic))?'), nm(/Kafka/, (p, s) => onPort(p, s, { rules: { kafka: [{ role: 'produce', topic: 'deathstar-plans', apiKey: 'produce', apiVersion: '0', clientID: 'empire' }] } }))],
  [rx('(ingress|egress)\\[\\]\\.toPorts\\[\\]\\.rules\\.dns(\\[\\]\\.(matchName|matchPattern))?'), nm(/DNS/, (p, s) => onPort(p, s, { rules: { dns: [{ matchName: 'api.example.com', matchPattern: '*.example.com' }] } }))],
  [rx('(ingress|egress)\\[\\]\\.toPorts\\[\\]\\.rules\\.(l7proto|l7)'), nm(/l7proto/, (p, s) => onPort(p, s, { rules: { l7proto: 'envoy.filters.network.r2d2', l7: [{ cmd: 'READ' }] } }))],
  // TLS SNI and Envoy listeners decide which traffic on the port passes.
  [rx('(ingress|egress)\\[\\]\\.toPorts\\[\\]\\.serverNames'), nm(/serverNames/, (p, s) => onPort(p, s, { serverNames: ['api.example.com'] }))],
  [rx('(ingress|egress)\\[\\]\\.toPorts\\[\\]\\.listener(\\.(name|priority|envoyConfig(\\.(kind|name))?))?'), nm(/listener/i, (p, s) => onPort(p, s, { listener: { name: 'l7', priority: 1, envoyConfig: { kind: 'CiliumEnvoyConfig', name: 'cec' } } }))],
  // TLS interception: Envoy terminates/originates TLS so that the HTTP rules see the requests;
  // the HTTP rules still decide (requests are judged as the HTTP rules read them), hence a warning.
  [rx('(ingress|egress)\\[\\]\\.toPorts\\[\\]\\.(terminatingTLS|originatingTLS)(\\.(certificate|privateKey|trustedCA|secret(\\.(name|namespace))?))?'), (p, s) => {
    const tls = { secret: { name: 'tls', namespace: 'default' }, certificate: 'tls.crt', privateKey: 'tls.key', trustedCA: 'ca.crt' };
    return { class: 'warned', scenario: l7(p, s, { terminatingTLS: tls, originatingTLS: tls }) };
  }],
  // Metadata: no effect on what is enforced.
  [rx('description'), (p) => ({ class: 'modelled', scenario: { ...peers(p, 'ingress'), rule: { ...peers(p, 'ingress').rule, description: 'L3 rule: match may reach subject' } } })],
  [rx('labels(\\[\\]\\.(key|value|source))?'), (p) => ({ class: 'modelled', scenario: { ...peers(p, 'ingress'), rule: { ...peers(p, 'ingress').rule, labels: [{ key: 'app', value: 'subject', source: 'k8s' }] } } })],
  // enableDefaultDeny false: the rules allow what they match, nothing else is denied because of them.
  [rx('enableDefaultDeny(\\.(ingress|egress))?'), (p) => {
    const d = p.endsWith('egress') ? 'egress' : 'ingress';
    const base = peers(p, d);
    return { class: 'modelled', scenario: { ...base, rule: { ...base.rule, enableDefaultDeny: { [d]: false } }, checks: [{ peer: 'match', expect: 'allowed' }, { peer: 'other', expect: 'allowed' }] } };
  }],
  // The subject selector.
  [rx(`endpointSelector${SEL}`), modelled((p) => peers(p, 'ingress'))],
  // Host policies: select nodes; the node's side of node traffic is unknown.
  [rx(`nodeSelector${SEL}`), nm(/host polic|nodeSelector/, (p) => ({ rule: { nodeSelector: selectorOf(p)({ 'kubernetes.io/hostname': 'wk2' }), ingress: [{ fromEntities: ['cluster'] }] }, direction: 'egress', checks: [{ peer: 'node', port: 10250, expect: 'unknown' }] }))],
];

function classify(path: string): Class | undefined {
  for (const [pattern, make] of TABLE) {
    const m = pattern.exec(path);
    if (m) return make(path, (m[1] ?? 'ingress') as Section);
  }
  return undefined;
}

function rootClass(path: string): Class | undefined {
  if (!path.startsWith('status')) return undefined;
  const base = peers('', 'ingress');
  const status = { conditions: [{ type: 'Valid', status: 'True', reason: 'Valid', message: 'Policy validation succeeded', lastTransitionTime: '2024-07-01T00:00:00Z' }], derivativePolicies: {} };
  return { class: 'modelled', scenario: { ...base, root: { status } } };
}

// ---------------------------------------------------------------------------------------------

function policyText(kind: Kind, where: 'spec' | 'specs', s: Scenario): string {
  const metadata = kind === 'CiliumNetworkPolicy' ? { name: 'p', namespace: 'default' } : { name: 'p' };
  const body = where === 'spec' ? { spec: s.rule } : { specs: [s.rule] };
  return stringify({ apiVersion: 'cilium.io/v2', kind, metadata, ...body, ...(s.root ?? {}) });
}

function peerRef(b: PolicyBuild, peer: Peer | 'subject'): PeerRef {
  if (peer in OUT) return { kind: 'external', ip: OUT[peer]! };
  if (peer === 'node') {
    const n = b.nodes.find((x) => x.name === 'wk2');
    assert.ok(n, 'node wk2 is known');
    return { kind: 'node', cluster: n.cluster, name: n.name, address: n.addresses[0]! };
  }
  const endpoint = b.endpoints.find((e) => e.name === peer);
  assert.ok(endpoint, `pod ${peer}`);
  return { kind: 'endpoint', endpoint };
}

function outcome(v: Verdict): Expect {
  if (v.verdict === 'denied') return v.stage === 'l7' ? 'l7-denied' : 'denied';
  return v.verdict;
}

/** A diagnostic's path in the notation of the schema paths, relative to the rule (spec or specs[i]). */
function rulePath(path: readonly (string | number)[] | undefined): string {
  const text = (path ?? []).map((x) => (typeof x === 'number' ? '[]' : `.${x}`)).join('').replace(/^\./, '');
  return text.replace(/^spec\./, '').replace(/^specs\[\]\./, '');
}

/** `field` is relative to the rule, or starts with status ('' when the case is about a value, not a field). */
const world = parseManifestText('world.yaml', WORLD);
const builds = new Map<string, PolicyBuild>();

/** Many fields share a case (a selector's matchExpressions, key, operator, values): each text is built once. */
function buildOnce(text: string): PolicyBuild {
  const known = builds.get(text);
  if (known) return known;
  const parsed = parseManifestText('policy.yaml', text);
  assert.deepEqual(parsed.diagnostics, []);
  const b = buildPolicyEngine({ objects: [...world.objects, ...parsed.objects], clusters: ['c1'], options: { policyDefaultLocalCluster: false } });
  builds.set(text, b);
  return b;
}

function run(kind: Kind, where: 'spec' | 'specs', field: string, c: Class): void {
  const text = policyText(kind, where, c.scenario);
  const used = field.startsWith('status') ? objectPaths(c.scenario.root ?? {}) : objectPaths(c.scenario.rule);
  if (field !== '') assert.ok(used.has(field), `the case for ${field} does not use it:\n${text}`);
  const b = buildOnce(text);
  const errors = b.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => `${d.code} ${d.message}`), [], `${field} is a field of the schema: the engine must not refuse it\n${text}`);
  const subject = peerRef(b, 'subject');
  for (const check of c.scenario.checks) {
    const other = peerRef(b, check.peer);
    const [from, to] = c.scenario.direction === 'ingress' ? [other, subject] : [subject, other];
    const v = b.engine.explain({ from, to, port: check.port ?? 80, protocol: check.protocol ?? 'TCP', ...(check.http ? { http: check.http } : {}) });
    const why = `${where}: ${field}: ${check.peer}:${check.port ?? 80}/${check.protocol ?? 'TCP'}${check.http ? ` ${check.http.method} ${check.http.path}` : ''} -> ${v.verdict} (${v.ingress.reason}; ${v.egress.reason})\n${text}`;
    assert.equal(outcome(v), check.expect, why);
    if (c.class === 'not-modelled') assert.match(JSON.stringify([v.ingress.unmodelled, v.egress.unmodelled, v.ingress.l7?.reason, v.egress.l7?.reason]), c.reason, why);
  }
  if (c.class === 'modelled') return;
  // Warned or not modelled: a warning at the field or at the construct holding it.
  const warned = b.diagnostics.some((d) => {
    const at = rulePath(d.path);
    return d.severity === 'warning' && (field === at || field.startsWith(`${at}.`) || field.startsWith(`${at}[]`));
  });
  assert.ok(warned, `${where}: ${field}: no warning at the field or its construct; warnings: ${b.diagnostics.map((d) => `${rulePath(d.path)} ${d.message}`).join(' | ')}\n${text}`);
  if (c.class === 'not-modelled') assert.ok(b.diagnostics.some((d) => d.code === 'POLICY_NOT_MODELLED' && field.startsWith(rulePath(d.path))), `${where}: ${field}: POLICY_NOT_MODELLED at the field`);
}

for (const kind of ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const) {
  describe(`${kind} v2 schema (Cilium 1.16): every field is modelled, warned about, or reported as not modelled`, () => {
    const schema = openApi(kind);
    const rootFields = Object.keys(schema.properties ?? {});
    test('the root holds apiVersion, kind, metadata, spec, specs, status and nothing else', () => {
      assert.deepEqual(rootFields.sort(), ['apiVersion', 'kind', 'metadata', 'spec', 'specs', 'status']);
    });
    const ruleFields = schemaPaths(schema.properties!.spec!);
    test('spec and specs[] declare the same rule', () => {
      assert.deepEqual(schemaPaths(schema.properties!.specs!.items!), ruleFields);
      assert.ok(ruleFields.length > 250, `${ruleFields.length} rule fields`);
    });
    test('every field of the rule and of status is classified', () => {
      const missing = [...ruleFields.filter((f) => !classify(f)), ...schemaPaths(schema.properties!.status!, 'status').filter((f) => !rootClass(f))];
      assert.deepEqual(missing, []);
    });
    for (const where of ['spec', 'specs'] as const) {
      test(`${where}: each field gets its documented verdict, a warning, or unknown with the reason`, () => {
        const failures: string[] = [];
        for (const f of ruleFields) {
          try {
            run(kind, where, f, classify(f)!);
          } catch (err) {
            failures.push(`${f}: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`);
          }
        }
        assert.deepEqual(failures, []);
      });
    }
    test('status: written by Cilium, changes nothing', () => {
      for (const f of ['status', ...schemaPaths(schema.properties!.status!, 'status')]) run(kind, 'spec', f, rootClass(f)!);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Every value of every enum the schema declares is accepted, with the meaning Cilium documents.

interface EnumCase {
  rule: (value: string) => Record<string, unknown>;
  direction: 'ingress' | 'egress';
  /** The checks for one value; none = accepted only. */
  checks: (value: string) => Check[];
}

const subjectSel = { matchLabels: { role: 'subject' } };
const matchSel = { matchLabels: { role: 'match' } };
const onPort80 = (extra: Record<string, unknown>) => ({ endpointSelector: subjectSel, ingress: [{ fromEndpoints: [matchSel], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], ...extra }] }] });
const yesNo = (yes: boolean): Expect => (yes ? 'allowed' : 'denied');

/** Entities (language.rst, entities): who each one is among an outside address, a pod and another node (remote-node, not a control plane). */
const ENTITY_MEMBERS: Record<string, Peer[]> = { all: ['out', 'match', 'node'], world: ['out'], cluster: ['match', 'node'], 'remote-node': ['node'], host: [], 'kube-apiserver': [], health: [], init: [], unmanaged: [], ingress: [], none: [] };

const ENUMS: [RegExp, EnumCase][] = [
  // Label selector operators (Kubernetes LabelSelectorRequirement), here on fromEndpoints with key role.
  [/^§\.(fromEndpoints|toEndpoints|fromRequires|toRequires|fromNodes|toNodes)\[\]\.matchExpressions\[\]\.operator$|^(endpointSelector|nodeSelector)\.matchExpressions\[\]\.operator$|toServices\[\]\.k8sServiceSelector\.selector\.matchExpressions\[\]\.operator$/, {
    direction: 'ingress',
    rule: (op) => ({ endpointSelector: subjectSel, ingress: [{ fromEndpoints: [{ matchExpressions: [{ key: 'role', operator: op, ...(op === 'In' || op === 'NotIn' ? { values: ['match'] } : {}) }] }] }] }),
    checks: (op) => [
      { peer: 'match', expect: yesNo(op === 'In' || op === 'Exists') },
      { peer: 'other', expect: yesNo(op === 'NotIn' || op === 'Exists') },
    ],
  }],
  // Protocol (l4.go): ANY matches every protocol.
  [/^§\.toPorts\[\]\.ports\[\]\.protocol$/, {
    direction: 'ingress',
    rule: (p) => ({ endpointSelector: subjectSel, ingress: [{ fromEndpoints: [matchSel], toPorts: [{ ports: [{ port: '80', protocol: p }] }] }] }),
    checks: (p) => (['TCP', 'UDP', 'SCTP'] as const).map((q) => ({ peer: 'match', port: 80, protocol: q, expect: yesNo(p === q || p === 'ANY') })),
  }],
  // Entities (language.rst, entities).
  [/^§\.(fromEntities|toEntities)$/, {
    direction: 'egress',
    rule: (e) => ({ endpointSelector: subjectSel, egress: [{ toEntities: [e] }] }),
    checks: (e) => (['out', 'match', 'node'] as const).map((peer) => ({ peer, port: 10250, expect: yesNo(ENTITY_MEMBERS[e]!.includes(peer)) })),
  }],
  // Authentication (rule.go): disabled asks for nothing; the others need a handshake not modelled.
  [/^(ingress|egress)\[\]\.authentication\.mode$/, {
    direction: 'ingress',
    rule: (mode) => ({ endpointSelector: subjectSel, ingress: [{ fromEndpoints: [matchSel], authentication: { mode } }] }),
    checks: (mode) => [{ peer: 'match', expect: mode === 'disabled' ? 'allowed' : 'unknown' }],
  }],
  // headerMatches mismatch actions (http.go): LOG, ADD, DELETE, REPLACE never fail the request.
  [/headerMatches\[\]\.mismatch$/, {
    direction: 'ingress',
    rule: (m) => onPort80({ rules: { http: [{ method: 'GET', headerMatches: [{ name: 'X-Token', value: 'abc', mismatch: m }] }] } }),
    checks: () => [{ peer: 'match', port: 80, http: get('GET', '/', { 'X-Token': 'xyz' }), expect: 'allowed' }],
  }],
  // ICMP families: an icmps-only rule allows no TCP either way.
  [/icmps\[\]\.fields\[\]\.family$/, {
    direction: 'ingress',
    rule: (f) => ({ endpointSelector: subjectSel, ingress: [{ fromEndpoints: [matchSel], icmps: [{ fields: [{ type: 8, family: f }] }] }] }),
    checks: () => [{ peer: 'match', port: 80, expect: 'denied' }],
  }],
  // Listener kinds and Kafka roles: not modelled whatever the value.
  [/listener\.envoyConfig\.kind$/, {
    direction: 'ingress',
    rule: (kind) => onPort80({ listener: { name: 'l7', envoyConfig: { kind, name: 'cec' } } }),
    checks: () => [{ peer: 'match', port: 80, expect: 'unknown' }],
  }],
  [/rules\.kafka\[\]\.role$/, {
    direction: 'ingress',
    rule: (role) => onPort80({ rules: { kafka: [{ role, topic: 'deathstar-plans' }] } }),
    checks: () => [{ peer: 'match', port: 80, expect: 'unknown' }],
  }],
];

/** Every enum of a schema node: the path (of the list for a list of enum values) and its values. */
function schemaEnums(node: SchemaNode & { enum?: string[] }, prefix = ''): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const [name, child] of Object.entries(node.properties ?? {}) as [string, SchemaNode & { enum?: string[]; items?: SchemaNode & { enum?: string[] } }][]) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (child.enum) out.push([path, child.enum]);
    if (child.items?.enum) out.push([path, child.items.enum]);
    out.push(...schemaEnums(child, path));
    if (child.items) out.push(...schemaEnums(child.items, `${path}[]`));
  }
  return out;
}

for (const kind of ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const) {
  test(`${kind}: every enum value of the schema is accepted and means what Cilium documents`, () => {
    const enums = schemaEnums(openApi(kind).properties!.spec!);
    assert.ok(enums.length > 30, `${enums.length} enums`);
    const failures: string[] = [];
    for (const [path, values] of enums) {
      const found = ENUMS.find(([re]) => new RegExp(re.source.replaceAll('§', S)).test(path));
      if (!found) {
        failures.push(`${path}: not classified`);
        continue;
      }
      const c = found[1];
      for (const value of values) {
        try {
          run(kind, 'spec', '', { class: 'modelled', scenario: { rule: c.rule(value), direction: c.direction, checks: c.checks(value) } });
        } catch (err) {
          failures.push(`${path}=${value}: ${(err as Error).message.split('\n').slice(0, 2).join(' ')}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
}

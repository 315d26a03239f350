import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pod, world } from './helpers.js';

const cnp = (spec: string) => `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n${spec}---\n`;
const PODS = pod('a', { app: 'a' }) + pod('b', { app: 'b' }, 'default', '[{name: http, containerPort: 8080}]');

test('allowedConnections: deny subtracted from allow, per protocol; all when nothing restricts', () => {
  const w = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{}], toPorts: [{ports: [{port: "8000", endPort: 8100, protocol: TCP}, {port: "53", protocol: ANY}]}]}]\n  ingressDeny: [{fromEndpoints: [{}], toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}]\n'));
  const [a, b] = [w.pod('a'), w.pod('b')];
  assert.deepEqual(w.build.engine.allowedConnections(a, b), { all: false, ports: { TCP: [[53, 53], [8000, 8079], [8081, 8100]], UDP: [[53, 53]], SCTP: [[53, 53]] }, l7: false });
  assert.deepEqual(w.build.engine.allowedConnections(b, a), { all: true, ports: { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] }, l7: false });
  assert.equal(w.build.engine.allowedConnections({ kind: 'external', ip: '1.2.3.4' }, b).all, false);
  // Nothing unmodelled on either side: no unknown list at all (an outside peer's side included).
  assert.equal(w.build.engine.allowedConnections({ kind: 'external', ip: '1.2.3.4' }, b).unknown, undefined);
  assert.equal(w.build.engine.allowedConnections(a, { kind: 'external', ip: '1.2.3.4' }).unknown, undefined);
});

test('a deny section with fromRequires: what its deny rules drop is unknown, since the requirement narrows them (pkg/policy/rule.go requirementsDeny)', () => {
  // The deny rule names a, but the requirement env=prod, which a lacks, is ANDed into its peers: Cilium does not drop a.
  const w = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEntities: [all]}]\n  ingressDeny: [{fromEndpoints: [{matchLabels: {app: a}}], fromRequires: [{matchLabels: {env: prod}}], toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}]\n'));
  const [a, b] = [w.pod('a'), w.pod('b')];
  const v = w.build.engine.explain({ from: a, to: b, port: 8080, protocol: 'TCP' });
  assert.equal(v.verdict, 'unknown');
  assert.equal(v.ingress.unmodelled, 'denied by CiliumNetworkPolicy default/p ingressDeny[0], but CiliumNetworkPolicy default/p ingressDeny[0] fromRequires adds requirements every denied peer must meet (not modelled); without this deny: allowed by CiliumNetworkPolicy default/p ingress[0]');
  assert.equal(w.build.engine.explain({ from: a, to: b, port: 9090, protocol: 'TCP' }).verdict, 'allowed', 'an allow is not touched by a deny requirement');
  const c = w.build.engine.allowedConnections(a, b);
  assert.deepEqual(c.ports.TCP, [[1, 8079], [8081, 65535]]);
  assert.deepEqual(c.unknown, ['CiliumNetworkPolicy default/p ingressDeny[0] fromRequires could lift a deny (not modelled)']);
  // A peer no deny rule names (an outside address here) has no deny to lift.
  assert.equal(w.build.engine.allowedConnections({ kind: 'external', ip: '198.51.100.7' }, b).unknown, undefined);
  // Two deny rules with requirements: both named.
  const two = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEntities: [all]}]\n  ingressDeny:\n    - {fromEndpoints: [{matchLabels: {app: a}}], fromRequires: [{matchLabels: {env: prod}}], toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}\n    - {fromEndpoints: [{matchLabels: {app: a}}], fromRequires: [{matchLabels: {tier: db}}], toPorts: [{ports: [{port: "5432", protocol: TCP}]}]}\n'));
  const both = 'CiliumNetworkPolicy default/p ingressDeny[0] fromRequires, CiliumNetworkPolicy default/p ingressDeny[1] fromRequires';
  assert.deepEqual(two.build.engine.allowedConnections(two.pod('a'), two.pod('b')).unknown, [`${both} could lift a deny (not modelled)`]);
  assert.equal(two.build.engine.explain({ from: two.pod('a'), to: two.pod('b'), port: 5432, protocol: 'TCP' }).ingress.unmodelled, `denied by CiliumNetworkPolicy default/p ingressDeny[1], but ${both} adds requirements every denied peer must meet (not modelled); without this deny: allowed by CiliumNetworkPolicy default/p ingress[0]`);
  assert.ok(w.build.diagnostics.some((d) => d.code === 'POLICY_NOT_MODELLED' && /every deny of the endpoints it selects becomes unknown/.test(d.message)));
  // When no rule would allow a anyway, lifting the deny changes nothing: still denied.
  const none = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{matchLabels: {app: nobody}}]}]\n  ingressDeny: [{fromEndpoints: [{matchLabels: {app: a}}], fromRequires: [{matchLabels: {env: prod}}]}]\n'));
  const denied = none.build.engine.explain({ from: none.pod('a'), to: none.pod('b'), port: 8080, protocol: 'TCP' });
  assert.deepEqual([denied.verdict, denied.ingress.reason], ['denied', 'denied by CiliumNetworkPolicy default/p ingressDeny[0]']);
});

test('both sides intersect: egress of the source and ingress of the destination', () => {
  const egress = cnp('  endpointSelector: {matchLabels: {app: a}}\n  egress: [{toPorts: [{ports: [{port: "8080"}, {port: "9090"}]}]}]\n').replace('name: p', 'name: e');
  const ingress = cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{toPorts: [{ports: [{port: "http", protocol: TCP}]}]}]\n');
  const w = world(PODS + egress + ingress);
  assert.deepEqual(w.build.engine.allowedConnections(w.pod('a'), w.pod('b')).ports, { TCP: [[8080, 8080]], UDP: [], SCTP: [] });
});

test('a named port resolves on each destination: two pods matching the same egress rule get their own port', () => {
  const egress = cnp('  endpointSelector: {matchLabels: {app: a}}\n  egress: [{toEndpoints: [{}], toPorts: [{ports: [{port: http, protocol: TCP}]}]}]\n');
  const w = world(PODS + pod('d', { app: 'd' }, 'default', '[{name: http, containerPort: 9090}]') + egress);
  assert.deepEqual(w.build.engine.allowedConnections(w.pod('a'), w.pod('b')).ports.TCP, [[8080, 8080]]);
  assert.deepEqual(w.build.engine.allowedConnections(w.pod('a'), w.pod('d')).ports.TCP, [[9090, 9090]]);
  // The same for a deny rule naming the port.
  const deny = cnp('  endpointSelector: {matchLabels: {app: a}}\n  egress: [{toEntities: [all]}]\n  egressDeny: [{toEndpoints: [{}], toPorts: [{ports: [{port: http, protocol: TCP}]}]}]\n');
  const v = world(PODS + pod('d', { app: 'd' }, 'default', '[{name: http, containerPort: 9090}]') + deny);
  assert.deepEqual(v.build.engine.allowedConnections(v.pod('a'), v.pod('b')).ports.TCP, [[1, 8079], [8081, 65535]]);
  assert.deepEqual(v.build.engine.allowedConnections(v.pod('a'), v.pod('d')).ports.TCP, [[1, 9089], [9091, 65535]]);
});

test('an endpoint not in the input (a pod described by labels) gets its identity on the fly', () => {
  const w = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{matchLabels: {role: probe}}]}]\n'));
  const probe = { kind: 'endpoint' as const, endpoint: { cluster: 'c1', namespace: 'default', name: '(role=probe)', owner: { kind: 'Pod' as const, name: '(role=probe)' }, labels: { role: 'probe' }, serviceAccount: 'default', ports: [] } };
  assert.equal(w.check(probe, w.pod('b'), 8080).verdict, 'allowed');
  assert.equal(w.check(w.pod('a'), w.pod('b'), 8080).verdict, 'denied');
  assert.equal(w.build.engine.identities.length, 2, 'the ad-hoc identity is not listed');
});

test('externalBlocks: 0.0.0.0/0 cut at every CIDR and except boundary, sorted and covering', () => {
  const w = world(PODS + cnp('  endpointSelector: {}\n  egress: [{toCIDRSet: [{cidr: 192.168.0.0/16, except: [192.168.1.0/24]}], toCIDR: [0.0.0.0/0, 10.0.0.1]}, {toCIDR: ["2001:db8::/32"]}]\n'));
  // The blocks are IPv4: an IPv6 CIDR cuts nothing.
  assert.deepEqual(w.build.engine.externalBlocks(), [
    ['0.0.0.0', '10.0.0.0'],
    ['10.0.0.1', '10.0.0.1'],
    ['10.0.0.2', '192.167.255.255'],
    ['192.168.0.0', '192.168.0.255'],
    ['192.168.1.0', '192.168.1.255'],
    ['192.168.2.0', '192.168.255.255'],
    ['192.169.0.0', '255.255.255.255'],
  ]);
});

test('externalBlocks: sorted whatever order the CIDRs come in', () => {
  const w = world(PODS + cnp('  endpointSelector: {}\n  egress: [{toCIDR: [203.0.113.0/24, 198.51.100.0/24, 192.0.2.0/24, 172.16.0.0/12, 100.64.0.0/10, 10.0.0.0/8]}]\n'));
  const starts = w.build.engine.externalBlocks().map(([a]) => a);
  assert.deepEqual(starts, ['0.0.0.0', '10.0.0.0', '11.0.0.0', '100.64.0.0', '100.128.0.0', '172.16.0.0', '172.32.0.0', '192.0.2.0', '192.0.3.0', '198.51.100.0', '198.51.101.0', '203.0.113.0', '203.0.114.0']);
});

test('a pod to itself: every port of every protocol, whatever selects it (NetworkPolicy: a pod cannot block access to itself)', () => {
  const w = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{}]\n  egress: [{}]\n'));
  const b = w.pod('b');
  assert.deepEqual(w.build.engine.allowedConnections(b, b), { all: true, ports: { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] }, l7: false });
  // The same pod named again (a copy of its endpoint, as a caller resolving cluster/namespace/name builds one) is itself.
  const again = { kind: 'endpoint' as const, endpoint: { ...(b as { endpoint: object }).endpoint } } as typeof b;
  assert.equal(w.build.engine.allowedConnections(again, b).all, true);
  // A pod of the same name in another namespace or cluster is another pod: the policy applies.
  const twins = world({ c1: PODS + pod('b', { app: 'b' }, 'prod') + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{}]\n'), c2: pod('b', { app: 'b' }) }, ['c1', 'c2']);
  const inProd = { kind: 'endpoint' as const, endpoint: twins.build.endpoints.find((e) => e.name === 'b' && e.namespace === 'prod')! };
  assert.equal(twins.build.engine.allowedConnections(inProd, twins.pod('b', 'c1')).all, false);
  assert.equal(twins.build.engine.allowedConnections(twins.pod('b', 'c2'), twins.pod('b', 'c1')).all, false);
});

test('explain: each side of a request no pod policy can decide says why, unenforced and selected by nothing', () => {
  const w = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{}]\n  egress: [{}]\n'));
  const [a, b] = [w.pod('a'), w.pod('b')];
  const side = (direction: 'egress' | 'ingress', reason: string) => ({ direction, enforced: false, decision: 'allowed', selectedBy: [], reason });
  const self = w.build.engine.explain({ from: b, to: b, port: 8080, protocol: 'TCP' });
  const itself = 'a pod can always reach itself (Kubernetes: a pod cannot block access to itself)';
  assert.deepEqual(self, { verdict: 'allowed', egress: side('egress', itself), ingress: side('ingress', itself) });
  const out = w.build.engine.explain({ from: a, to: { kind: 'external', ip: '198.51.100.7' }, port: 443, protocol: 'TCP' });
  assert.deepEqual(out.ingress, side('ingress', 'outside the clusters: no ingress policy applies'));
  const apiserver = w.build.engine.explain({ from: a, to: { kind: 'entity', entity: 'kube-apiserver', cluster: 'c1' }, port: 6443, protocol: 'TCP' });
  assert.deepEqual(apiserver.ingress, side('ingress', 'the kube-apiserver is not a pod and no host policy (nodeSelector) is given: no ingress policy applies'));
  const inbound = w.build.engine.explain({ from: { kind: 'external', ip: '198.51.100.7' }, to: a, port: 443, protocol: 'TCP' });
  assert.deepEqual(inbound.egress, side('egress', 'outside the clusters: no egress policy applies'));
});

test('allowedConnections: the unknown list names each unmodelled field that could change the peer class asked about, and only when it could', () => {
  // A CIDR group is resolved by the operator from CiliumCIDRGroup objects the engine does not read; it can
  // only stand for outside addresses. fromRequires is ANDed into every allowing peer; Kafka rules decide per request.
  const spec = '  endpointSelector: {matchLabels: {app: b}}\n' +
    '  ingress:\n' +
    '  - {fromEndpoints: [{matchLabels: {app: a}}], fromRequires: [{matchLabels: {env: prod}}]}\n' +
    '  - {fromCIDRSet: [{cidrGroupRef: office}]}\n' +
    '  - {fromEntities: [world], toPorts: [{ports: [{port: "9092", protocol: TCP}], rules: {kafka: [{topic: orders}]}}]}\n' +
    '  - {fromEndpoints: [{matchLabels: {app: d}}], authentication: {mode: required}}\n' +
    '  ingressDeny: [{fromCIDRSet: [{cidrGroupRef: blocked}]}]\n';
  const w = world(PODS + cnp(spec));
  const [a, b] = [w.pod('a'), w.pod('b')];
  const outside = { kind: 'external' as const, ip: '1.2.3.4' };
  const p = 'CiliumNetworkPolicy default/p';
  assert.deepEqual(w.build.engine.allowedConnections(outside, b).unknown, [
    `${p} ingress[2]: Kafka rules decide each request on this port (not modelled)`,
    `${p} ingressDeny[0] fromCIDRSet[0].cidrGroupRef could deny (not modelled)`,
    `${p} ingress[1] fromCIDRSet[0].cidrGroupRef could allow more (not modelled)`,
    // Cilium merges a side's requirements into every rule selecting it, the world rule too.
    `${p} ingress[0] fromRequires could deny (not modelled)`,
  ]);
  // A pod is never in a CIDR group; the requirement narrows the rule that allows a.
  assert.deepEqual(w.build.engine.allowedConnections(a, b).unknown, [`${p} ingress[0] fromRequires could deny (not modelled)`]);

  // Without default deny an unmatched peer is allowed anyway: nothing more to allow, and a requirement narrows nothing.
  const relaxed = world(PODS + cnp(spec + '  enableDefaultDeny: {ingress: false}\n'));
  assert.deepEqual(relaxed.build.engine.allowedConnections(outside, relaxed.pod('b')).unknown, [
    `${p} ingress[2]: Kafka rules decide each request on this port (not modelled)`,
    `${p} ingressDeny[0] fromCIDRSet[0].cidrGroupRef could deny (not modelled)`,
  ]);
  assert.equal(relaxed.build.engine.allowedConnections(relaxed.pod('a'), relaxed.pod('b')).unknown, undefined);
  // A peer no allow rule matches: the requirement has nothing to narrow.
  const c = world(PODS + pod('c', { app: 'c' }) + cnp(spec));
  assert.equal(c.build.engine.allowedConnections(c.pod('c'), c.pod('b')).unknown, undefined);
  // Peers matching the same rules share one computed answer, but not across peer classes: a pod, an outside
  // address and a node that match nothing differ in what a CIDR group or fromNodes could still allow.
  const g = world(PODS + pod('c', { app: 'c' }) + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromCIDRSet: [{cidrGroupRef: office}]}, {fromEndpoints: [{matchLabels: {app: a}}]}, {fromNodes: [{matchLabels: {role: edge}}]}]\n'));
  assert.equal(g.build.engine.allowedConnections(g.pod('c'), g.pod('b')).unknown, undefined);
  assert.deepEqual(g.build.engine.allowedConnections(outside, g.pod('b')).unknown, [`${p} ingress[0] fromCIDRSet[0].cidrGroupRef could allow more (not modelled)`]);
  assert.deepEqual(g.build.engine.allowedConnections({ kind: 'node', name: 'wk1', cluster: 'c1' }, g.pod('b')).unknown, [`${p} ingress[2] fromNodes could allow more (not modelled)`], 'a node: what fromNodes could allow');
  // Cilium 1.17's cidrGroupSelector (an unknown field in 1.16, reported as such) is named as written.
  const sel = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromCIDRSet: [{cidrGroupSelector: {matchLabels: {team: edge}}}]}]\n'));
  assert.deepEqual(sel.build.engine.allowedConnections(outside, sel.pod('b')).unknown, [`${p} ingress[0] fromCIDRSet[0].cidrGroupSelector could allow more (not modelled)`]);
  // Nor between the pod's own node (always allowed: allow-localhost) and another node matching the same rules.
  assert.equal(g.build.engine.allowedConnections({ kind: 'node', relation: 'remote' }, g.pod('b')).all, false);
  assert.equal(g.build.engine.allowedConnections({ kind: 'node', relation: 'local' }, g.pod('b')).all, true);
  // Mutual authentication decides a whole rule, whatever the port.
  const d = world(PODS + pod('d', { app: 'd' }) + cnp(spec));
  assert.deepEqual(d.build.engine.allowedConnections(d.pod('d'), d.pod('b')).unknown, [
    `${p} ingress[3]: authentication mode required: allowed only if mutual authentication succeeds (not modelled)`,
    `${p} ingress[0] fromRequires could deny (not modelled)`,
  ]);
});

test('a rule listing a port number and a port name: each destination pod gets its own named port, not the first one computed', () => {
  // Two servers name "http" differently; one rule lists port 80 and the name http (Cilium resolves a
  // name per destination endpoint).
  const servers = pod('web-1', { app: 'web' }, 'default', '[{name: http, containerPort: 8080}]') + pod('web-2', { app: 'web' }, 'default', '[{name: http, containerPort: 9090}]');
  const w = world(pod('client', { app: 'client' }) + servers + cnp('  endpointSelector: {matchLabels: {app: web}}\n  ingress: [{fromEndpoints: [{matchLabels: {app: client}}], toPorts: [{ports: [{port: "80", protocol: TCP}, {port: http, protocol: TCP}]}]}]\n'));
  assert.deepEqual(w.build.engine.allowedConnections(w.pod('client'), w.pod('web-1')).ports.TCP, [[80, 80], [8080, 8080]]);
  assert.deepEqual(w.build.engine.allowedConnections(w.pod('client'), w.pod('web-2')).ports.TCP, [[80, 80], [9090, 9090]]);
  assert.equal(w.check(w.pod('client'), w.pod('web-2'), 8080).verdict, 'denied');
  assert.equal(w.check(w.pod('client'), w.pod('web-2'), 9090).verdict, 'allowed');
});

test('reasons that name several rules or policies name each, in order', () => {
  // Two allow rules with requirements: both could deny.
  const req = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress:\n    - {fromEndpoints: [{matchLabels: {app: a}}], fromRequires: [{matchLabels: {env: prod}}]}\n    - {fromEntities: [world], fromRequires: [{matchLabels: {zone: dmz}}]}\n'));
  assert.deepEqual(req.build.engine.allowedConnections(req.pod('a'), req.pod('b')).unknown, ['CiliumNetworkPolicy default/p ingress[0] fromRequires, CiliumNetworkPolicy default/p ingress[1] fromRequires could deny (not modelled)']);
  assert.equal(req.build.engine.explain({ from: req.pod('a'), to: req.pod('b'), port: 80, protocol: 'TCP' }).ingress.unmodelled, 'allowed by CiliumNetworkPolicy default/p ingress[0], but CiliumNetworkPolicy default/p ingress[0] fromRequires, CiliumNetworkPolicy default/p ingress[1] fromRequires adds requirements every allowed peer must meet (not modelled)');
  // Not enforced (enableDefaultDeny false): requirements narrow nothing, and two relaxing policies are both named.
  const relaxing = (name: string) => cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{matchLabels: {app: a}}], fromRequires: [{matchLabels: {env: prod}}]}]\n  enableDefaultDeny: {ingress: false}\n').replace('name: p}', `name: ${name}}`);
  const open = world(PODS + relaxing('p') + relaxing('q'));
  const side = open.check(open.pod('a'), open.pod('b'), 80).ingress;
  assert.deepEqual([side.decision, side.enforced, side.reason], ['allowed', false, 'not enforced: CiliumNetworkPolicy default/p, CiliumNetworkPolicy default/q selects default/b for ingress with enableDefaultDeny.ingress false']);
  // Two rules not modelled on the asked port: both reasons, joined.
  const auth = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress:\n    - {fromEndpoints: [{matchLabels: {app: a}}], authentication: {mode: required}, toPorts: [{ports: [{port: "443", protocol: TCP}]}]}\n    - {fromEndpoints: [{matchLabels: {app: a}}], authentication: {mode: test-always-fail}, toPorts: [{ports: [{port: "443", protocol: TCP}]}]}\n'));
  const v = auth.build.engine.explain({ from: auth.pod('a'), to: auth.pod('b'), port: 443, protocol: 'TCP' });
  assert.equal(v.ingress.unmodelled, 'CiliumNetworkPolicy default/p ingress[0]: authentication mode required: allowed only if mutual authentication succeeds (not modelled); CiliumNetworkPolicy default/p ingress[1]: authentication mode test-always-fail: allowed only if mutual authentication succeeds (not modelled)');
  // A rule not modelled on another port is no reason for doubt on this one: default deny decides.
  const other = auth.build.engine.explain({ from: auth.pod('a'), to: auth.pod('b'), port: 80, protocol: 'TCP' });
  assert.deepEqual([other.verdict, other.ingress.reason], ['denied', 'default deny: selected by CiliumNetworkPolicy default/p but no rule allows']);
  // Two policies select the pod: both named in the default-deny reason.
  const twice = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{matchLabels: {app: nobody}}]}]\n') + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEntities: [host]}]\n').replace('name: p}', 'name: q}'));
  assert.equal(twice.check(twice.pod('a'), twice.pod('b'), 80).ingress.reason, 'default deny: selected by CiliumNetworkPolicy default/p, CiliumNetworkPolicy default/q but no rule allows');
});

test('a policy is named once however it selects the pod: two specs, two matching peers of one rule, a top-level description', () => {
  // One CiliumNetworkPolicy with two specs selecting b, and a rule whose two peers both match a.
  const text = PODS + 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\ndescription: moved under spec later\nspecs:\n  - endpointSelector: {matchLabels: {app: b}}\n    ingress: [{fromEndpoints: [{matchLabels: {app: a}}, {}], authentication: {mode: required}}]\n  - endpointSelector: {matchLabels: {app: b}}\n    ingress: [{fromEntities: [host]}]\n    enableDefaultDeny: {ingress: false}\n---\n';
  const w = world(text);
  const v = w.build.engine.explain({ from: w.pod('a'), to: w.pod('b'), port: 80, protocol: 'TCP' });
  assert.deepEqual(v.ingress.selectedBy, ['CiliumNetworkPolicy default/p']);
  assert.deepEqual(v.ingress.dependsOn, ['kubectl apply refuses CiliumNetworkPolicy p until the top-level description (all.yaml:14) moves under spec']); // after the two pods' ten lines
  assert.equal(v.ingress.unmodelled, 'CiliumNetworkPolicy default/p ingress[0]: authentication mode required: allowed only if mutual authentication succeeds (not modelled)');
  assert.deepEqual(w.build.engine.allowedConnections(w.pod('a'), w.pod('b')).unknown, ['CiliumNetworkPolicy default/p ingress[0]: authentication mode required: allowed only if mutual authentication succeeds (not modelled)']);
  // Only relaxing specs: the not-enforced reason names the policy once.
  const relaxed = world(PODS + 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: r}\nspecs:\n  - {endpointSelector: {matchLabels: {app: b}}, ingress: [{fromEntities: [host]}], enableDefaultDeny: {ingress: false}}\n  - {endpointSelector: {matchLabels: {app: b}}, ingress: [{fromEntities: [world]}], enableDefaultDeny: {ingress: false}}\n---\n');
  assert.equal(relaxed.check(relaxed.pod('a'), relaxed.pod('b'), 80).ingress.reason, 'not enforced: CiliumNetworkPolicy default/r selects default/b for ingress with enableDefaultDeny.ingress false');
  // A plain policy has nothing to depend on.
  const plain = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{matchLabels: {app: a}}]}]\n'));
  assert.equal(plain.check(plain.pod('a'), plain.pod('b'), 80).ingress.dependsOn, undefined);
});

test('allowedConnections merges adjacent and overlapping port ranges; a deny outside them takes nothing, one at a range\'s first port takes that port', () => {
  const w = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: a}}]\n      toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}, {port: "8000", endPort: 8010, protocol: TCP}]}]\n    - fromEndpoints: [{matchLabels: {app: a}}]\n      toPorts: [{ports: [{port: "8005", endPort: 8020, protocol: TCP}, {port: "8020", endPort: 8030, protocol: TCP}]}]\n  ingressDeny: [{fromEndpoints: [{matchLabels: {app: a}}], toPorts: [{ports: [{port: "9090", protocol: TCP}, {port: "70", protocol: TCP}, {port: "8000", protocol: TCP}]}]}]\n'));
  const c = w.build.engine.allowedConnections(w.pod('a'), w.pod('b'));
  // 70 and 9090 lie outside what is allowed; 8000 is the first port of a range.
  assert.deepEqual(c.ports.TCP, [[80, 81], [8001, 8030]]);
  assert.deepEqual([c.ports.UDP, c.ports.SCTP], [[], []]);
});

test('allowedConnections: a deny of exactly an allowed port leaves nothing; a range reaching 65535 from above 1 is not "all"', () => {
  const w = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{}], toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}]\n  ingressDeny: [{fromEndpoints: [{}], toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}]\n'));
  assert.deepEqual(w.build.engine.allowedConnections(w.pod('a'), w.pod('b')), { all: false, ports: { TCP: [], UDP: [], SCTP: [] }, l7: false });
  const high = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{}], toPorts: [{ports: [{port: "1024", endPort: 65535, protocol: ANY}]}]}]\n'));
  assert.equal(high.build.engine.allowedConnections(high.pod('a'), high.pod('b')).all, false, 'ports 1024-65535 on every protocol are not every port');
  const low = world(PODS + cnp('  endpointSelector: {matchLabels: {app: b}}\n  ingress: [{fromEndpoints: [{}], toPorts: [{ports: [{port: "1", endPort: 1023, protocol: ANY}]}]}]\n'));
  assert.equal(low.build.engine.allowedConnections(low.pod('a'), low.pod('b')).all, false, 'ports 1-1023 on every protocol are not every port');
});

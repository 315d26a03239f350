import assert from 'node:assert/strict';
import { test } from 'node:test';
import { get, pod, world } from './helpers.js';
import type { PeerRef } from '../../../src/model/policy-engine/index.js';

const SW = pod('deathstar-0', { org: 'empire', class: 'deathstar' }, 'default', '[{name: http, containerPort: 80}]') + pod('tiefighter', { org: 'empire', class: 'tiefighter' }) + pod('xwing', { org: 'alliance', class: 'xwing' }) + pod('probe', { org: 'empire', class: 'probe' }, 'hoth');
const cnp = (name: string, spec: string, ns = 'default') => `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}---\n`;
const ccnp = (name: string, spec: string) => `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}---\n`;
const RULE1_L4 = cnp('rule1', '  endpointSelector: {matchLabels: {org: empire, class: deathstar}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {org: empire}}]\n      toPorts: [{ports: [{port: "80", protocol: TCP}]}]\n');
const RULE1_L7 = cnp('rule1', '  endpointSelector: {matchLabels: {org: empire, class: deathstar}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {org: empire}}]\n      toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          rules: {http: [{method: POST, path: /v1/request-landing}]}\n');
const DENY_ALL = cnp('empire-default-deny', '  endpointSelector: {matchLabels: {org: empire}}\n  ingress: [{}]\n');

test('Star Wars, L3/L4: tiefighter lands, xwing is dropped, any HTTP passes', () => {
  const w = world(SW + RULE1_L4);
  const [tie, xwing, ds] = [w.pod('tiefighter'), w.pod('xwing'), w.pod('deathstar-0')];
  const landed = w.check(tie, ds, 80, 'TCP', get('POST', '/v1/request-landing'));
  assert.equal(landed.verdict, 'allowed');
  assert.equal(landed.ingress.reason, 'allowed by CiliumNetworkPolicy default/rule1 ingress[0]');
  assert.deepEqual([landed.ingress.rule?.section, landed.ingress.rule?.index, landed.ingress.rule?.line, landed.ingress.rule?.column, landed.ingress.rule?.file], ['ingress', 0, 27, 7, 'all.yaml']);
  assert.equal(w.check(tie, ds, 80, 'TCP', get('PUT', '/v1/exhaust-port')).verdict, 'allowed');
  const drop = w.check(xwing, ds, 80);
  assert.deepEqual([drop.verdict, drop.stage], ['denied', 'l3-l4']);
  assert.equal(drop.ingress.reason, 'default deny: selected by CiliumNetworkPolicy default/rule1 but no rule allows');
  assert.equal(drop.egress.reason, 'not enforced: no policy selects default/xwing for egress');
});

test('Star Wars, L7: PUT /v1/exhaust-port gets 403; paths are anchored; no request → L4 only', () => {
  const w = world(SW + RULE1_L7);
  const [tie, xwing, ds] = [w.pod('tiefighter'), w.pod('xwing'), w.pod('deathstar-0')];
  assert.equal(w.check(tie, ds, 80, 'TCP', get('POST', '/v1/request-landing')).verdict, 'allowed');
  const put = w.check(tie, ds, 80, 'TCP', get('PUT', '/v1/exhaust-port'));
  assert.deepEqual([put.verdict, put.stage, put.httpStatus, put.ingress.decision, put.ingress.l7?.allowed], ['denied', 'l7', 403, 'allowed', false]);
  assert.match(put.ingress.l7!.reason, /no HTTP rule of CiliumNetworkPolicy default\/rule1 ingress\[0\] matches PUT \/v1\/exhaust-port/);
  for (const [m, p] of [['GET', '/v1/request-landing'], ['POST', '/v1/request-landing/x'], ['POST', '/x/v1/request-landing'], ['POSTX', '/v1/request-landing']]) assert.equal(w.check(tie, ds, 80, 'TCP', get(m!, p!)).stage, 'l7', `${m} ${p}`);
  assert.equal(w.check(xwing, ds, 80, 'TCP', get('POST', '/v1/request-landing')).stage, 'l3-l4');
  const bare = w.check(tie, ds, 80);
  assert.equal(bare.verdict, 'allowed');
  assert.match(bare.ingress.l7!.reason, /no HTTP request given/);
  assert.deepEqual(w.build.engine.allowedConnections(tie, ds), { all: false, ports: { TCP: [[80, 80]], UDP: [], SCTP: [] }, l7: true });
});

test('the empty rule allows nothing but turns default deny on; with rule1 the tiefighter lands again', () => {
  const w = world(SW + DENY_ALL);
  assert.equal(w.check(w.pod('tiefighter'), w.pod('deathstar-0'), 80).verdict, 'denied');
  assert.equal(w.check(w.pod('xwing'), w.pod('tiefighter'), 80).verdict, 'denied');
  const both = world(SW + DENY_ALL + RULE1_L4);
  const v = both.check(both.pod('tiefighter'), both.pod('deathstar-0'), 80);
  assert.equal(v.verdict, 'allowed');
  assert.deepEqual(v.ingress.selectedBy, ['CiliumNetworkPolicy default/empire-default-deny', 'CiliumNetworkPolicy default/rule1']);
  assert.equal(both.check(both.pod('xwing'), both.pod('deathstar-0'), 80).verdict, 'denied');
});

test('CNP peers: {} means the policy namespace; a namespace key or namespace-label key lifts it', () => {
  const w = world(SW + cnp('p', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress: [{fromEndpoints: [{}]}]\n'));
  assert.equal(w.check(w.pod('xwing'), w.pod('deathstar-0'), 80).verdict, 'allowed');
  assert.equal(w.check(w.pod('probe'), w.pod('deathstar-0'), 80).verdict, 'denied');
  const ns = world(SW + cnp('p', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress: [{fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: hoth}}]}]\n'));
  assert.equal(ns.check(ns.pod('probe'), ns.pod('deathstar-0'), 80).verdict, 'allowed');
  assert.equal(ns.check(ns.pod('xwing'), ns.pod('deathstar-0'), 80).verdict, 'denied');
  const nsLabel = world(SW + cnp('p', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress: [{fromEndpoints: [{matchLabels: {io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name: hoth}}]}]\n'));
  assert.equal(nsLabel.check(nsLabel.pod('probe'), nsLabel.pod('deathstar-0'), 80).verdict, 'allowed');
  // The endpointSelector is always the policy's namespace.
  const hoth = world(SW + cnp('p', '  endpointSelector: {matchLabels: {org: empire}}\n  ingress: [{}]\n'));
  assert.equal(hoth.check(hoth.pod('xwing'), hoth.pod('probe'), 80).verdict, 'allowed');
});

test('CCNP: endpointSelector spans namespaces; {} peers are every pod but not the world', () => {
  const w = world(SW + ccnp('c', '  endpointSelector: {matchLabels: {org: empire}}\n  ingress: [{fromEndpoints: [{}]}]\n'));
  assert.equal(w.check(w.pod('xwing'), w.pod('probe'), 80).verdict, 'allowed');
  assert.equal(w.check({ kind: 'external', ip: '1.1.1.1' }, w.pod('probe'), 80).verdict, 'denied');
  assert.equal(w.check({ kind: 'external', ip: '1.1.1.1' }, w.pod('xwing'), 80).verdict, 'allowed');
  // The deciding rule of a clusterwide policy has no namespace (as -o json prints it: no "namespace" key).
  const rule = w.check(w.pod('xwing'), w.pod('probe'), 80).ingress.rule!;
  assert.deepEqual([rule.kind, rule.name, rule.section, rule.index, 'namespace' in rule], ['CiliumClusterwideNetworkPolicy', 'c', 'ingress', 0, false]);
});

test('deny wins over every allow, K8s or Cilium; deny-only policies turn default deny on', () => {
  const k8sAllow = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-all}\nspec:\n  podSelector: {}\n  ingress: [{}]\n---\n';
  const deny = cnp('no-80', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingressDeny: [{fromEndpoints: [{matchLabels: {class: tiefighter}}], toPorts: [{ports: [{port: "80"}]}]}]\n');
  const w = world(SW + k8sAllow + RULE1_L7 + deny);
  const v = w.check(w.pod('tiefighter'), w.pod('deathstar-0'), 80, 'TCP', get('POST', '/v1/request-landing'));
  assert.deepEqual([v.verdict, v.ingress.reason], ['denied', 'denied by CiliumNetworkPolicy default/no-80 ingressDeny[0]']);
  assert.equal(w.check(w.pod('tiefighter'), w.pod('deathstar-0'), 81).verdict, 'allowed');
  assert.equal(w.check(w.pod('xwing'), w.pod('deathstar-0'), 80).verdict, 'allowed', 'the K8s allow-all rule lifts rule1\'s L7 for xwing');
  const only = world(SW + deny);
  assert.equal(only.check(only.pod('xwing'), only.pod('deathstar-0'), 81).verdict, 'denied', 'a deny-only policy puts the endpoint in default deny');
});

test('enableDefaultDeny false: rules allow and deny without switching default deny on; L7 still applies', () => {
  const w = world(SW + cnp('p', '  endpointSelector: {matchLabels: {class: deathstar}}\n  enableDefaultDeny: {ingress: false}\n  ingress:\n    - fromEndpoints: [{matchLabels: {class: tiefighter}}]\n      toPorts: [{ports: [{port: "80"}], rules: {http: [{method: GET}]}}]\n'));
  const x = w.check(w.pod('xwing'), w.pod('deathstar-0'), 80);
  assert.deepEqual([x.verdict, x.ingress.enforced], ['allowed', false]);
  assert.match(x.ingress.reason, /enableDefaultDeny.ingress false/);
  assert.equal(w.check(w.pod('tiefighter'), w.pod('deathstar-0'), 80, 'TCP', get('POST', '/')).stage, 'l7');
  assert.equal(w.check(w.pod('tiefighter'), w.pod('deathstar-0'), 80, 'TCP', get('GET', '/')).verdict, 'allowed');
});

test('L7 merging: an L4-only rule on the same peer and port lifts the HTTP rules for the peers it selects', () => {
  const l4 = cnp('l4', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress: [{fromEndpoints: [{matchLabels: {class: tiefighter}}], toPorts: [{ports: [{port: "80", protocol: TCP}]}]}]\n');
  const w = world(SW + RULE1_L7 + l4 + pod('bomber', { org: 'empire', class: 'bomber' }));
  const put = w.check(w.pod('tiefighter'), w.pod('deathstar-0'), 80, 'TCP', get('PUT', '/v1/exhaust-port'));
  assert.deepEqual([put.verdict, put.ingress.reason], ['allowed', 'allowed by CiliumNetworkPolicy default/l4 ingress[0]']);
  assert.equal(w.check(w.pod('bomber'), w.pod('deathstar-0'), 80, 'TCP', get('PUT', '/v1/exhaust-port')).stage, 'l7', 'bomber is selected by the L7 rule only');
  assert.equal(w.build.engine.allowedConnections(w.pod('tiefighter'), w.pod('deathstar-0')).l7, false);
});

test('HTTP headers, headerMatches and host', () => {
  const w = world(SW + cnp('h', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - toPorts:\n        - ports: [{port: "80"}]\n          rules:\n            http:\n              - {path: "/a", headers: ["X-Token: s3cret", "X-Trace"]}\n              - {path: "/b", headerMatches: [{name: X-Env, value: prod, mismatch: LOG}]}\n              - {path: "/c", headerMatches: [{name: X-Env, value: prod}]}\n              - {path: "/d", host: "api\\\\.example\\\\.com"}\n              - {path: "(?i)/Exhaust-.*"}\n              - {path: "/f", headers: ["Host: api.example.com"]}\n'));
  const [x, ds] = [w.pod('xwing'), w.pod('deathstar-0')];
  const v = (p: string, h: Record<string, string> = {}, host?: string) => w.check(x, ds, 80, 'TCP', { method: 'GET', path: p, headers: h, ...(host ? { host } : {}) }).verdict;
  assert.equal(v('/a', { 'x-token': 's3cret', 'X-Trace': '1' }), 'allowed');
  assert.equal(v('/a', { 'X-Token': 's3cret' }), 'denied');
  assert.equal(v('/a', { 'X-Token': 'other', 'X-Trace': '' }), 'denied');
  assert.equal(v('/b', { 'X-Env': 'dev' }), 'allowed', 'LOG does not deny');
  assert.equal(v('/c', { 'X-Env': 'dev' }), 'denied', 'an empty mismatch denies');
  assert.equal(v('/c', { 'X-Env': 'prod' }), 'allowed');
  assert.equal(v('/d', {}, 'api.example.com'), 'allowed');
  assert.equal(v('/d', {}, 'apixexample.com'), 'denied');
  // RE2's leading (?i) makes the whole pattern case-insensitive (JavaScript has no inline flag): no error, both cases pass.
  assert.equal(v('/exhaust-port'), 'allowed');
  assert.equal(v('/EXHAUST-PORT'), 'allowed');
  assert.equal(v('/exhaust'), 'denied');
  assert.deepEqual(w.build.diagnostics, []);
  // The request's authority is its Host header (Envoy's :authority), for headers rules too.
  assert.equal(v('/f', {}, 'api.example.com'), 'allowed');
  assert.equal(v('/f', { Host: 'api.example.com' }, 'other.example.com'), 'allowed', 'a Host header given beside it wins');
  assert.equal(v('/f', {}, 'other.example.com'), 'denied');
});

test('entities: world, cluster (local cluster only), host (allow-localhost), remote-node across the mesh', () => {
  const docs = {
    c1: pod('a', { app: 'a' }) + cnp('e', '  endpointSelector: {matchLabels: {app: a}}\n  egress: [{toEntities: [cluster]}, {toEntities: [world], toPorts: [{ports: [{port: "443"}]}]}]\n  ingress: [{fromEntities: [remote-node]}]\n'),
    c2: pod('b', { app: 'b' }),
  };
  const w = world(docs, ['c1', 'c2']);
  const [a, b] = [w.pod('a', 'c1'), w.pod('b', 'c2')];
  assert.equal(w.check(a, b, 80).verdict, 'denied', 'cluster = the local cluster only');
  assert.equal(w.check(a, { kind: 'entity', entity: 'host', cluster: 'c2' }, 80).verdict, 'allowed', 'another cluster\'s node is a remote-node, part of cluster');
  assert.equal(w.check(a, { kind: 'external', ip: '1.1.1.1' }, 443).verdict, 'allowed');
  assert.equal(w.check(a, { kind: 'external', ip: '1.1.1.1' }, 80).verdict, 'denied');
  assert.equal(w.check({ kind: 'entity', entity: 'host', cluster: 'c1' }, a, 9999).verdict, 'allowed', 'own node: allow-localhost');
  assert.equal(w.check({ kind: 'entity', entity: 'host', cluster: 'c2' }, a, 9999).verdict, 'allowed', 'remote-node');
  assert.equal(w.check({ kind: 'entity', entity: 'kube-apiserver', cluster: 'c2' }, a, 9999).verdict, 'allowed', "another cluster's kube-apiserver runs on its nodes: remote-node too");
  // cluster also holds the reserved identities (entity.go InitEntities): init, ingress, health, unmanaged, kube-apiserver, and the nodes.
  const cl = world(pod('a', { app: 'a' }) + cnp('cl', '  endpointSelector: {matchLabels: {app: a}}\n  ingress: [{fromEntities: [cluster]}]\n'));
  assert.deepEqual((['init', 'ingress', 'health', 'unmanaged', 'kube-apiserver'] as const).map((entity) => cl.check({ kind: 'entity', entity, cluster: 'c1' }, cl.pod('a'), 80).verdict), ['allowed', 'allowed', 'allowed', 'allowed', 'allowed']);
  // world-ipv4 and world-ipv6 (Cilium 1.15+, dual-stack clusters) are the world of one family each.
  const fam = world(pod('a', { app: 'a' }) + cnp('f', '  endpointSelector: {matchLabels: {app: a}}\n  egress: [{toEntities: [world-ipv4], toPorts: [{ports: [{port: "443"}]}]}, {toEntities: [world-ipv6], toPorts: [{ports: [{port: "80"}]}]}]\n'));
  const to = (ip: string, port: number) => fam.check(fam.pod('a'), { kind: 'external', ip }, port).verdict;
  assert.deepEqual([to('198.51.100.7', 443), to('2001:db8::7', 443), to('2001:db8::7', 80), to('198.51.100.7', 80)], ['allowed', 'denied', 'allowed', 'denied']);
  assert.equal(w.check({ kind: 'entity', entity: 'health', cluster: 'c1' }, a, 9999).verdict, 'denied');
  assert.equal(w.check(b, a, 80).verdict, 'denied');
});

test('CIDR rules: fromCIDR/toCIDRSet with except match external addresses, never pods', () => {
  const w = world(SW + cnp('c', '  endpointSelector: {matchLabels: {class: xwing}}\n  egress: [{toCIDR: [192.168.1.7], toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}]}]\n'));
  const x = w.pod('xwing');
  assert.equal(w.check(x, { kind: 'external', ip: '192.168.1.7' }, 1).verdict, 'allowed');
  assert.equal(w.check(x, { kind: 'external', ip: '10.1.2.3' }, 1).verdict, 'allowed');
  assert.equal(w.check(x, { kind: 'external', ip: '10.100.0.1' }, 1).verdict, 'denied');
  assert.equal(w.check(x, w.pod('tiefighter'), 1).verdict, 'denied');
  // A bare IPv6 address is that one host (/128), as a bare IPv4 one is a /32.
  const v6 = world(SW + cnp('c', '  endpointSelector: {matchLabels: {class: xwing}}\n  egress: [{toCIDR: ["2001:db8::7"]}]\n'));
  assert.equal(v6.check(v6.pod('xwing'), { kind: 'external', ip: '2001:db8::7' }, 443).verdict, 'allowed');
  assert.equal(v6.check(v6.pod('xwing'), { kind: 'external', ip: '2001:db8::8' }, 443).verdict, 'denied');
});

test('a toPorts-only rule is every peer on those ports, the world included; ANY protocol by default', () => {
  const w = world(SW + cnp('p', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress: [{toPorts: [{ports: [{port: "53"}]}]}]\n'));
  assert.equal(w.check({ kind: 'external', ip: '8.8.8.8' }, w.pod('deathstar-0'), 53, 'UDP').verdict, 'allowed');
  assert.equal(w.check(w.pod('probe'), w.pod('deathstar-0'), 53, 'SCTP').verdict, 'allowed');
  assert.equal(w.check(w.pod('probe'), w.pod('deathstar-0'), 54).verdict, 'denied');
});

test('a peer selector naming the cluster keeps to it; policyDefaultLocalCluster confines unqualified ones', () => {
  const policy = (sel: string) => ({ c1: pod('base', { name: 'rebel-base' }) + cnp('r', `  endpointSelector: {matchLabels: {name: rebel-base}}\n  ingress: [{fromEndpoints: [${sel}]}]\n`), '': pod('xw', { name: 'x-wing' }) });
  const open = world(policy('{matchLabels: {name: x-wing}}'), ['c1', 'c2']);
  assert.equal(open.check(open.pod('xw', 'c2'), open.pod('base'), 80).verdict, 'allowed');
  const scoped = world(policy('{matchLabels: {name: x-wing, io.cilium.k8s.policy.cluster: c1}}'), ['c1', 'c2']);
  assert.equal(scoped.check(scoped.pod('xw', 'c2'), scoped.pod('base'), 80).verdict, 'denied');
  assert.equal(scoped.check(scoped.pod('xw', 'c1'), scoped.pod('base'), 80).verdict, 'allowed');
  const local = world(policy('{matchLabels: {name: x-wing}}'), ['c1', 'c2'], true);
  assert.equal(local.check(local.pod('xw', 'c2'), local.pod('base'), 80).verdict, 'denied');
  const spanning = world(policy('{matchLabels: {name: x-wing}, matchExpressions: [{key: io.cilium.k8s.policy.cluster, operator: Exists}]}'), ['c1', 'c2'], true);
  assert.equal(spanning.check(spanning.pod('xw', 'c2'), spanning.pod('base'), 80).verdict, 'allowed');
});

test('a port decided by a generic L7 parser: unknown, the reason naming the parser (or l7proto when it is not named)', () => {
  const why = (rules: string) => {
    const w = world(pod('client', { app: 'client' }) + pod('server', { app: 'server' }) + `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: r2d2}\nspec:\n  endpointSelector: {matchLabels: {app: server}}\n  ingress: [{toPorts: [{ports: [{port: "4040", protocol: TCP}], rules: ${rules}}]}]\n---\n`);
    return w.build.engine.explain({ from: w.pod('client'), to: w.pod('server'), port: 4040, protocol: 'TCP' });
  };
  const named = why('{l7proto: envoy.filters.network.r2d2, l7: [{cmd: READ}]}');
  assert.equal(named.verdict, 'unknown');
  assert.match(named.ingress.unmodelled ?? '', /envoy\.filters\.network\.r2d2 \(l7proto\) rules decide each request on this port \(not modelled\)/);
  assert.match(why('{l7: [{cmd: READ}]}').ingress.unmodelled ?? '', /: l7proto \(l7proto\) rules decide each request/);
  assert.match(why('{l7proto: envoy.filters.network.r2d2}').ingress.unmodelled ?? '', /envoy\.filters\.network\.r2d2 \(l7proto\) rules decide each request/);
  // An empty parser name names no parser: the port is plain L4.
  assert.equal(why('{l7proto: ""}').verdict, 'allowed');
  // Empty rule lists are no L7 rules (Cilium's PortRuleL7/HTTP lists of length 0): the port is plain L4, every request passes.
  for (const rules of ['{kafka: []}', '{dns: []}', '{l7: []}', '{http: []}']) {
    const v = why(rules);
    assert.deepEqual([v.verdict, v.ingress.unmodelled], ['allowed', undefined], rules);
  }
  // So is an empty serverNames list: no SNI to match.
  const sni = (names: string) => {
    const w = world(pod('client', { app: 'client' }) + pod('server', { app: 'server' }) + cnp('tls', `  endpointSelector: {matchLabels: {app: server}}\n  ingress: [{toPorts: [{ports: [{port: "443", protocol: TCP}], serverNames: ${names}}]}]\n`));
    return w.build.engine.explain({ from: w.pod('client'), to: w.pod('server'), port: 443, protocol: 'TCP' });
  };
  assert.deepEqual([sni('[]').verdict, sni('[]').ingress.unmodelled], ['allowed', undefined]);
  // null is not given: `listener: null` is no Envoy listener, `protocol: null` is ANY (TCP, UDP and SCTP alike).
  const entry = (extra: string, protocol: 'TCP' | 'UDP' = 'TCP') => {
    const w = world(pod('client', { app: 'client' }) + pod('server', { app: 'server' }) + cnp('l4', `  endpointSelector: {matchLabels: {app: server}}\n  ingress: [{toPorts: [{ports: [{port: "443"${extra}}]${extra ? '' : ', listener: null'}}]}]\n`));
    const v = w.build.engine.explain({ from: w.pod('client'), to: w.pod('server'), port: 443, protocol });
    return [v.verdict, v.ingress.unmodelled, w.build.diagnostics.length];
  };
  assert.deepEqual(entry(''), ['allowed', undefined, 0]);
  assert.deepEqual(entry(', protocol: null', 'UDP'), ['allowed', undefined, 0]);
  assert.deepEqual([sni('[api.example.com]').verdict, sni('[api.example.com]').ingress.unmodelled], ['unknown', 'CiliumNetworkPolicy default/tls ingress[0]: serverNames (TLS SNI) decide which connections pass (not modelled)']);
});

test('a toPorts entry without ports matches no traffic (Cilium merges one filter per listed port; issue cilium#2293): allows and denies nothing, with a warning at it', () => {
  const w = world(SW + cnp('landing', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {org: empire}}]\n      toPorts:\n        - rules: {http: [{method: POST, path: /v1/request-landing}]}\n'));
  const [tie, ds] = [w.pod('tiefighter'), w.pod('deathstar-0')];
  const v = w.check(tie, ds, 80, 'TCP', get('POST', '/v1/request-landing'));
  assert.deepEqual([v.verdict, v.verdict === 'denied' && v.stage, v.ingress.reason], ['denied', 'l3-l4', 'default deny: selected by CiliumNetworkPolicy default/landing but no rule allows']);
  const warn = w.build.diagnostics.filter((d) => d.code === 'POLICY_PORTS_EMPTY');
  assert.deepEqual(warn.map((d) => [d.severity, d.message, d.path?.join('.'), d.start?.line]), [['warning', 'this toPorts entry lists no ports: Cilium matches no traffic with it', 'spec.ingress.0.toPorts.0', 29]]);
  assert.match(warn[0]!.hint ?? '', /leave toPorts out/);
  // A deny entry without ports drops nothing either.
  const d = world(SW + cnp('no-ports', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress: [{fromEntities: [cluster]}]\n  ingressDeny: [{fromEndpoints: [{matchLabels: {class: xwing}}], toPorts: [{}]}]\n'));
  assert.equal(d.check(d.pod('xwing'), d.pod('deathstar-0'), 80).verdict, 'allowed');
  assert.deepEqual(d.build.engine.allowedConnections(d.pod('xwing'), d.pod('deathstar-0')).ports.TCP, [[1, 65535]]);
});

test('HTTP rules refuse a request, but another rule on its port is not modelled (mutual authentication): unknown, both reasons given', () => {
  const w = world(SW + cnp('mixed', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {org: empire}}]\n      toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET, path: /v1/}]}}]\n    - fromEndpoints: [{matchLabels: {org: empire}}]\n      authentication: {mode: required}\n'));
  const v = w.build.engine.explain({ from: w.pod('tiefighter'), to: w.pod('deathstar-0'), port: 80, protocol: 'TCP', http: get('PUT', '/v1/exhaust-port') });
  assert.equal(v.verdict, 'unknown');
  assert.equal(v.ingress.reason, 'no HTTP rule of CiliumNetworkPolicy default/mixed ingress[0] matches PUT /v1/exhaust-port: the proxy answers 403 Access denied; but CiliumNetworkPolicy default/mixed ingress[1]: authentication mode required: allowed only if mutual authentication succeeds (not modelled)');
  // Two such rules: both named after the refusal.
  const two = world(SW + cnp('mixed', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {org: empire}}]\n      toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET, path: /v1/}]}}]\n    - fromEndpoints: [{matchLabels: {org: empire}}]\n      authentication: {mode: required}\n    - fromEndpoints: [{matchLabels: {class: tiefighter}}]\n      authentication: {mode: required}\n'));
  const both = two.build.engine.explain({ from: two.pod('tiefighter'), to: two.pod('deathstar-0'), port: 80, protocol: 'TCP', http: get('PUT', '/v1/exhaust-port') });
  assert.equal(both.ingress.reason, 'no HTTP rule of CiliumNetworkPolicy default/mixed ingress[0] matches PUT /v1/exhaust-port: the proxy answers 403 Access denied; but CiliumNetworkPolicy default/mixed ingress[1]: authentication mode required: allowed only if mutual authentication succeeds (not modelled); CiliumNetworkPolicy default/mixed ingress[2]: authentication mode required: allowed only if mutual authentication succeeds (not modelled)');
  // A request the HTTP rules allow is allowed by them, whatever the other rule would say.
  assert.equal(w.build.engine.explain({ from: w.pod('tiefighter'), to: w.pod('deathstar-0'), port: 80, protocol: 'TCP', http: get('GET', '/v1/') }).ingress.decision, 'allowed');
});

test('HTTP rules on ports that are all UDP or SCTP: a warning at the rules (HTTP is parsed on TCP only); none when one port is TCP', () => {
  const warnings = (ports: string) => world(pod('server', { app: 'server' }) + cnp('web', `  endpointSelector: {matchLabels: {app: server}}\n  ingress:\n    - toPorts:\n        - ports: ${ports}\n          rules: {http: [{method: GET}]}\n`)).build.diagnostics.filter((d) => d.code === 'POLICY_HTTP_NOT_TCP');
  const udp = warnings('[{port: "53", protocol: UDP}, {port: "9000", protocol: SCTP}]');
  assert.deepEqual(udp.map((d) => [d.severity, d.message, d.start?.line, d.start?.column]), [['warning', 'HTTP rules apply to TCP only; these ports are not TCP', 14, 25]]);
  assert.deepEqual(warnings('[{port: "53", protocol: UDP}, {port: "80", protocol: TCP}]'), []);
  assert.deepEqual(warnings('[{port: "80"}]'), [], 'no protocol is ANY, TCP among them');
  assert.deepEqual(warnings('[]'), [], 'no ports: its own warning (POLICY_PORTS_EMPTY), not this one');
});

test('an HTTP rule as the allow reason names it: its method, path, host, headers and headerMatches as written, or "any request"', () => {
  const w = world(SW + cnp('h', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - toPorts:\n        - ports: [{port: "80"}]\n          rules:\n            http:\n              - {method: GET, path: /v1/.*, host: "api\\\\.example\\\\.com", headers: ["X-Token:: s3cret", "X-Trace"], headerMatches: [{name: X-Env, value: prod, mismatch: LOG}, {name: X-Team}, {value: orphan}, plain]}\n              - {method: "", path: /any-method}\n              - {}\n'));
  const [x, ds] = [w.pod('xwing'), w.pod('deathstar-0')];
  const first = w.check(x, ds, 80, 'TCP', { method: 'GET', path: '/v1/status', host: 'api.example.com', headers: { 'X-Token': 's3cret', 'X-Trace': '1', 'X-Team': 'core' } });
  // "X-Token:: s3cret": Cilium splits at the first space and trims every ':' from the name.
  assert.equal(first.ingress.l7?.reason, 'GET /v1/status matches CiliumNetworkPolicy default/h ingress[0] http[0] (method GET, path /v1/.*, host api\\.example\\.com, header X-Token:: s3cret, header X-Trace, headerMatch X-Env=prod (LOG), headerMatch X-Team)');
  // method "" is no method: any method, and the text leaves it out.
  assert.equal(w.check(x, ds, 80, 'TCP', get('DELETE', '/any-method')).ingress.l7?.reason, 'DELETE /any-method matches CiliumNetworkPolicy default/h ingress[0] http[1] (path /any-method)');
  assert.equal(w.check(x, ds, 80, 'TCP', get('PATCH', '/elsewhere')).ingress.l7?.reason, 'PATCH /elsewhere matches CiliumNetworkPolicy default/h ingress[0] http[2] (any request)');
  // value "" asks for the header's presence, as no value does.
  const present = world(SW + cnp('p', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - toPorts:\n        - ports: [{port: "80"}]\n          rules: {http: [{headerMatches: [{name: X-Env, value: ""}]}]}\n'));
  const [px, pds] = [present.pod('xwing'), present.pod('deathstar-0')];
  const withEnv = present.check(px, pds, 80, 'TCP', { method: 'GET', path: '/', headers: { 'X-Env': 'anything' } });
  assert.deepEqual([withEnv.verdict, withEnv.ingress.l7?.reason], ['allowed', 'GET / matches CiliumNetworkPolicy default/p ingress[0] http[0] (headerMatch X-Env)']);
  assert.equal(present.check(px, pds, 80, 'TCP', get('GET', '/')).verdict, 'denied');
  // headerMatches entries without a name (the CRD requires one), or not mappings, are errors and skipped, never a crash.
  assert.deepEqual(w.build.diagnostics.map((d) => [d.code, d.message, d.start?.line]), [
    ['POLICY_FIELD_TYPE', 'expected a headerMatch (a mapping)', 31], // the first http rule's line, after the four pods
    ['POLICY_FIELD_MISSING', 'a headerMatch needs a name: the API server refuses the policy without it', 31],
  ]);
});

test('an HTTP rule with a regex that does not compile: an error naming RE2\'s complaint, and the rule matches no request even in its valid fields', () => {
  const w = world(SW + cnp('bad', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          rules: {http: [{method: GET, path: "/v1/(unclosed"}, {path: "(?i)/v2/(unclosed"}, {method: null, path: /v3}]}\n'));
  const errors = w.build.diagnostics.filter((d) => d.code === 'POLICY_REGEX_INVALID');
  assert.deepEqual(errors.map((d) => [d.message, d.hint]), [
    ['invalid regular expression "/v1/(unclosed": Unterminated group', 'Cilium hands these to Envoy as RE2 regexes, matched against the whole value'],
    ['invalid regular expression "(?i)/v2/(unclosed": Unterminated group', 'Cilium hands these to Envoy as RE2 regexes, matched against the whole value'],
  ]);
  // An HTTP rule that is not a mapping: its shape error, and it matches no request.
  const flat = world(SW + cnp('flat', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          rules: {http: [GET]}\n'));
  assert.deepEqual(flat.build.diagnostics.map((d) => d.code), ['POLICY_FIELD_TYPE']);
  assert.equal(flat.build.engine.explain({ from: flat.pod('tiefighter'), to: flat.pod('deathstar-0'), port: 80, protocol: 'TCP', http: get('GET', '/') }).verdict, 'denied');
  // method: null is no method.
  assert.equal(w.build.engine.explain({ from: w.pod('tiefighter'), to: w.pod('deathstar-0'), port: 80, protocol: 'TCP', http: get('OPTIONS', '/v3') }).verdict, 'allowed');
  // (explain itself: the per-pod reference evaluator of w.check has no model of a broken rule)
  const v = w.build.engine.explain({ from: w.pod('tiefighter'), to: w.pod('deathstar-0'), port: 80, protocol: 'TCP', http: get('GET', '/v1/(unclosed') });
  assert.deepEqual([v.verdict, v.stage], ['denied', 'l7']);
  // A header written "Name: value" reads as such, without the no-space warning.
  const ok = world(SW + cnp('hdr', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          rules: {http: [{headers: ["X-Token: abc", "X-Flag"]}]}\n'));
  assert.deepEqual(ok.build.diagnostics, []);
});

test('CiliumNetworkPolicy port ranges: endPort with a port written as a number or a quoted number; ignored, with a warning, beside a name', () => {
  const ranged = (port: string) => world(pod('client', { app: 'client' }) + pod('server', { app: 'server' }, 'default', '[{name: web8080, containerPort: 8080}]') + cnp('range', `  endpointSelector: {matchLabels: {app: server}}\n  ingress: [{toPorts: [{ports: [{port: ${port}, endPort: 8010, protocol: TCP}]}]}]\n`));
  for (const port of ['8000', '"8000"']) {
    const w = ranged(port);
    assert.deepEqual(w.build.diagnostics, [], port);
    assert.equal(w.check(w.pod('client'), w.pod('server'), 8005).verdict, 'allowed', port);
    assert.equal(w.check(w.pod('client'), w.pod('server'), 8011).verdict, 'denied', port);
  }
  // A named port (names may end in digits) takes no range: Cilium ignores endPort there.
  const named = ranged('web8080');
  assert.deepEqual(named.build.diagnostics.map((d) => [d.code, d.severity, d.message]), [['POLICY_PORT_INVALID', 'warning', 'endPort is ignored for a named port']]);
  assert.equal(named.check(named.pod('client'), named.pod('server'), 8080).verdict, 'allowed');
  assert.equal(named.check(named.pod('client'), named.pod('server'), 8081).verdict, 'denied');
  assert.deepEqual(ranged('8080x').build.diagnostics.map((d) => d.message), ['endPort is ignored for a named port', 'no pod in cluster c1 has a container port named "8080x": this port allows nothing'], 'a name that starts with digits');
});

test('HTTP rules of two policies on one port: a refusal names both; a headerMatch on a Secret\'s value makes a present header unknown', () => {
  const l7 = (name: string, path: string) => cnp(name, `  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {org: empire}}]\n      toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET, path: ${path}}]}}]\n`);
  const w = world(SW + l7('landing', '/v1/request-landing') + l7('status', '/v1/status'));
  const put = w.check(w.pod('tiefighter'), w.pod('deathstar-0'), 80, 'TCP', get('PUT', '/v1/exhaust-port'));
  assert.equal(put.ingress.l7?.reason, 'no HTTP rule of CiliumNetworkPolicy default/landing ingress[0], CiliumNetworkPolicy default/status ingress[0] matches PUT /v1/exhaust-port: the proxy answers 403 Access denied');
  // The Secret's value is not known offline: a request carrying the header may or may not match.
  const secret = world(SW + cnp('token', '  endpointSelector: {matchLabels: {class: deathstar}}\n  ingress:\n    - toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{headerMatches: [{name: X-Token, secret: {name: tokens, namespace: default}}]}]}}]\n'));
  const v = secret.build.engine.explain({ from: secret.pod('xwing'), to: secret.pod('deathstar-0'), port: 80, protocol: 'TCP', http: { method: 'GET', path: '/', headers: { 'X-Token': 'abc' } } });
  assert.deepEqual([v.verdict, v.ingress.decision], ['unknown', 'unknown']);
  assert.equal(v.ingress.unmodelled, "whether GET / matches CiliumNetworkPolicy default/token ingress[0] http[0] depends on a secret's value (headerMatches secret, not known offline)");
  // Without the header it surely does not.
  assert.equal(secret.build.engine.explain({ from: secret.pod('xwing'), to: secret.pod('deathstar-0'), port: 80, protocol: 'TCP', http: get('GET', '/') }).verdict, 'denied');
});

// pkg/k8s/apis/cilium.io/utils/utils.go getEndpointSelector: a selector with any reserved: key gets
// neither the namespace nor (policy-default-local-cluster) the cluster of the policy.
test('a selector naming a reserved label beside other terms gets no local-cluster term: it still selects the world', () => {
  const w = world(pod('client', { app: 'client' }) + 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: {matchLabels: {app: client}}\n  egress:\n    - toEndpoints: [{matchLabels: {"reserved:world": ""}, matchExpressions: [{key: app, operator: DoesNotExist}]}]\n      toPorts: [{ports: [{port: "443", protocol: TCP}]}]\n', ['c1'], true);
  assert.equal(w.check(w.pod('client'), { kind: 'external', ip: '192.0.2.10' }, 443).verdict, 'allowed');
});

test('a node given by address alone is remote-node to a pod whose node is unknown, never its host', () => {
  const w = world(pod('web', { app: 'web' }) + pod('client', { app: 'client' }) + 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress: [{fromEntities: [host]}]\n');
  const explain = (node: PeerRef) => w.build.engine.explain({ from: node, to: w.pod('web'), port: 80, protocol: 'TCP' }).verdict;
  assert.equal(explain({ kind: 'node', cluster: 'c1', address: '172.26.0.10' }), 'denied');
  assert.equal(explain({ kind: 'node', cluster: 'c1', address: '172.26.0.10', relation: 'local' }), 'allowed', 'the same node said to be the pod\'s own is its host');
  assert.equal(explain({ kind: 'node', cluster: 'c2', name: 'wk1', relation: 'local' }), 'denied', 'a node of another cluster is never the pod\'s host');
  assert.equal(explain({ kind: 'node', cluster: 'c1', name: 'cp1', controlPlane: true, relation: 'remote' }), 'denied', 'a control-plane node elsewhere is remote-node and kube-apiserver, not host');
  assert.equal(explain(w.pod('client')), 'denied', 'a pod is not the host entity');
});

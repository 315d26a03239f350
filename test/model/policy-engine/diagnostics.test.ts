import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../../src/manifests/index.js';
import { buildPolicyEngine } from '../../../src/model/policy-engine/index.js';
import { pod, world } from './helpers.js';

function diags(text: string) {
  const { objects } = parseManifestText('p.yaml', text);
  return buildPolicyEngine({ objects, clusters: ['c1'], options: { policyDefaultLocalCluster: false } }).diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, hint: d.hint, line: d.start?.line, column: d.start?.column }));
}
const cnp = (spec: string) => `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: {}\n${spec}`;

test('an unknown field is an error at its key, with "did you mean"', () => {
  const d = diags(cnp('  ingress:\n    - fromEndpoint: [{}]\n'));
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.line, x.column]), [['POLICY_UNKNOWN_FIELD', 'error', 7, 7]]);
  assert.match(d[0]!.message, /unknown field "fromEndpoint" in an ingress rule; did you mean "fromEndpoints"\?/);
  const np = diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {matchLabel: {a: b}}\n');
  assert.match(np[0]!.message, /"matchLabel".*did you mean "matchLabels"/);
  // NetworkPolicy: at the key, in spec and in its podSelector.
  assert.deepEqual([np[0]!.line, np[0]!.column], [5, 17]);
  const spec = diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  policyType: [Ingress]\n');
  assert.deepEqual(spec.map((x) => [x.code, x.line, x.column]), [['POLICY_UNKNOWN_FIELD', 6, 3]]);
  assert.match(spec[0]!.message, /did you mean "policyTypes"/);
  const op = diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector:\n    matchExpressions: [{key: app, operator: Equals, values: [web]}]\n');
  assert.deepEqual(op.map((x) => [x.code, x.line]), [['POLICY_SELECTOR_INVALID', 6]]);
});

test('invalid selector operator, CIDR, regex, port and entity are positioned errors; the engine still builds', () => {
  const d = diags(cnp(`  ingress:
    - fromEndpoints: [{matchExpressions: [{key: a, operator: Equals, values: [b]}]}]
    - fromCIDRSet: [{cidr: 10.0.0.0/33}]
    - fromEntities: [wrold]
    - toPorts:
        - ports: [{port: "70000"}]
        - ports: [{port: "80"}]
          rules: {http: [{path: "/a(b"}, {path: "/(?=x)"}]}
`));
  assert.deepEqual(d.map((x) => [x.code, x.line]), [['POLICY_SELECTOR_INVALID', 7], ['POLICY_CIDR_INVALID', 8], ['POLICY_ENTITY_UNKNOWN', 9], ['POLICY_PORT_INVALID', 11], ['POLICY_REGEX_INVALID', 13], ['POLICY_REGEX_INVALID', 13]]);
  // At the operator's value, not the rule that holds it: "    - fromEndpoints: [{matchExpressions: [{key: a, operator: " is 61 characters.
  assert.equal(d[0]!.column, 62);
  assert.match(d[2]!.message, /did you mean "world"/);
  assert.match(d[5]!.message, /RE2 has no lookaround/);
});

test('an except outside its cidr is an error; a port name no pod defines is a warning', () => {
  const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}}]\n      ports: [{port: htpp}, {port: http}]\n';
  const d = diags(pod('w', { a: 'b' }, 'default', '[{name: http, containerPort: 80}]') + np);
  assert.deepEqual(d.map((x) => [x.code, x.severity]), [['POLICY_CIDR_INVALID', 'error'], ['POLICY_NAMED_PORT_UNKNOWN', 'warning']]);
  assert.deepEqual([d[0]!.message, d[0]!.hint], ['except 11.0.0.0/16 is not inside 10.0.0.0/8', 'every except entry must lie within the cidr']);
  assert.match(d[1]!.message, /no pod .*has a container port named "htpp"/);
});

test('features and kinds not modelled are warnings, never silently ignored', () => {
  const d = diags(
    cnp('  egress:\n    - toFQDNs: [{matchName: example.com}]\n    - toServices: [{k8sService: {serviceName: s}}]\n    - toPorts: [{ports: [{port: "53", protocol: UDP}], rules: {dns: [{matchPattern: "*"}]}}]\n  ingress:\n    - fromRequires: [{matchLabels: {env: prod}}]\n    - icmps: [{fields: [{type: 8}]}]\n') +
      '---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: a}\nspec: {}\n---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: c}\nspec: {}\n',
  );
  assert.deepEqual(d.map((x) => [x.code, x.severity]), Array(7).fill(['POLICY_NOT_MODELLED', 'warning']));
  assert.deepEqual(d.map((x) => x.message.split(':')[0]), ['toFQDNs', 'toServices', 'dns', 'fromRequires', 'icmps', 'AdminNetworkPolicy a', 'projectcalico.org/v3 NetworkPolicy c is not modelled']);
});

test('a toFQDNs rule does not become "every peer": an outside address on its port is unknown, a pod or another port is denied', () => {
  const { objects } = parseManifestText('p.yaml', pod('w', { a: 'b' }) + pod('v', { a: 'c' }) + cnp('  egress:\n    - toFQDNs: [{matchName: example.com}]\n      toPorts: [{ports: [{port: "443"}]}]\n'));
  const b = buildPolicyEngine({ objects, clusters: ['c1'], options: { policyDefaultLocalCluster: false } });
  const w = { kind: 'endpoint' as const, endpoint: b.endpoints.find((e) => e.name === 'w')! };
  const v = { kind: 'endpoint' as const, endpoint: b.endpoints.find((e) => e.name === 'v')! };
  const out = b.engine.explain({ from: w, to: { kind: 'external', ip: '93.184.216.34' }, port: 443, protocol: 'TCP' });
  assert.equal(out.verdict, 'unknown');
  assert.match(out.egress.unmodelled ?? '', /toFQDNs/);
  assert.equal(b.engine.explain({ from: w, to: { kind: 'external', ip: '93.184.216.34' }, port: 80, protocol: 'TCP' }).verdict, 'denied');
  assert.equal(b.engine.explain({ from: w, to: v, port: 443, protocol: 'TCP' }).verdict, 'denied');
});

test('a CiliumNetworkPolicy selecting another namespace: warned, its own namespace used (pkg/policy/api Sanitize adds it); its own namespace written out: nothing said', () => {
  const ns = (value: string) => diags(`apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: ${value}, app: web}}\n  ingress: [{}]\n`);
  assert.deepEqual(ns('payments').map((x) => [x.code, x.severity, x.line]), [['POLICY_NAMESPACE_REPLACED', 'warning', 5]]);
  assert.deepEqual(ns('shop'), []);
  assert.deepEqual(ns('payments').map((x) => [x.message, x.hint]), [[
    'the endpointSelector of a CiliumNetworkPolicy always selects its own namespace (shop); the namespace written here is replaced',
    'use a CiliumClusterwideNetworkPolicy to select pods of other namespaces',
  ]]);
  // Written as an expression: only `In [shop]` is the policy's own namespace; NotIn, Exists or a second value are replaced too.
  const expr = (e: string) => diags(`apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {matchExpressions: [${e}]}\n  ingress: [{}]\n`).map((x) => x.code);
  assert.deepEqual(expr('{key: k8s:io.kubernetes.pod.namespace, operator: In, values: [shop]}'), []);
  for (const e of ['{key: k8s:io.kubernetes.pod.namespace, operator: NotIn, values: [shop]}', '{key: k8s:io.kubernetes.pod.namespace, operator: In, values: [shop, payments]}', '{key: k8s:io.kubernetes.pod.namespace, operator: Exists}']) {
    assert.deepEqual(expr(e), ['POLICY_NAMESPACE_REPLACED'], e);
  }
  // The written namespace is replaced, not added beside: the policy selects app=web of shop, not nothing.
  const text = pod('web', { app: 'web' }, 'shop') + pod('client', { app: 'client' }, 'shop') + pod('web', { app: 'web' }, 'payments') +
    'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: payments, app: web}}\n  ingress: [{}]\n';
  const b = world(text).build;
  const at = (namespace: string, name: string) => ({ kind: 'endpoint' as const, endpoint: b.endpoints.find((e) => e.namespace === namespace && e.name === name)! });
  const toShop = b.engine.explain({ from: at('shop', 'client'), to: at('shop', 'web'), port: 80, protocol: 'TCP' });
  assert.deepEqual([toShop.verdict, toShop.ingress.selectedBy], ['denied', ['CiliumNetworkPolicy shop/p']]);
  assert.equal(b.engine.explain({ from: at('shop', 'client'), to: at('payments', 'web'), port: 80, protocol: 'TCP' }).verdict, 'allowed');
});

test('a CiliumNetworkPolicy whose specs list is empty: a warning at the object, it does nothing; one with neither key, or both null, is refused (cnp_types.go ErrEmptyCNP: both nil)', () => {
  const d = diags('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: empty}\nspecs: []\n');
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.message, x.line]), [['POLICY_EMPTY', 'warning', 'CiliumNetworkPolicy empty has an empty specs list and no spec: it does nothing', 1]]);
  assert.deepEqual(diags('apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: empty}\nspec: null\nspecs: []\n').map((x) => x.message), ['CiliumClusterwideNetworkPolicy empty has an empty specs list and no spec: it does nothing']);
  for (const rest of ['spec: null\n', 'spec: ~\nspecs: null\n']) {
    assert.deepEqual(diags(`apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: nothing}\n${rest}`).map((x) => [x.code, x.severity, x.message]), [
      ['POLICY_SPEC_MISSING', 'error', 'CiliumNetworkPolicy nothing has no spec or specs: Cilium refuses it ("Invalid CiliumNetworkPolicy spec(s): empty policy")'],
    ], rest);
  }
  assert.deepEqual(diags('apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: nothing}\nspec: null\n').map((x) => x.message), ['CiliumClusterwideNetworkPolicy nothing has no spec or specs: Cilium refuses it ("Invalid CiliumClusterwideNetworkPolicy spec(s): empty policy")']);
});

test('a rule without endpointSelector is an error; spec: null beside specs reads the specs', () => {
  assert.deepEqual(diags(cnp('').replace('  endpointSelector: {}\n', '  ingress: [{}]\n')).map((x) => [x.code, x.severity, x.line, x.message]), [['POLICY_SELECTOR_MISSING', 'error', 5, 'a rule needs an endpointSelector (or a nodeSelector)']]);
  const both = diags('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec: null\nspecs:\n  - endpointSelector: {}\n    ingress: [{fromEntiti: [world]}]\n');
  assert.deepEqual(both.map((x) => [x.code, x.line]), [['POLICY_UNKNOWN_FIELD', 7]]);
});

test('a NetworkPolicy peer with ipBlock and podSelector together is an error (networking/v1 validation: ipBlock excludes the other two) and matches nothing', () => {
  const text = pod('w', { app: 'w' }) + 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n    - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]\n';
  const d = diags(text);
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.line]), [['POLICY_PEER_INVALID', 'error', 12]]);
  assert.match(d[0]!.message, /^ipBlock cannot be combined with podSelector or namespaceSelector in one peer/);
  assert.equal(d[0]!.hint, 'make them two items of the list');
  // null is no selector (Go decodes it to a nil pointer): such a peer is the ipBlock alone, or the selector alone.
  const np = (peer: string) => diags(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ${peer}\n`);
  assert.deepEqual(np('{ipBlock: {cidr: 10.0.0.0/8}, podSelector: null}'), []);
  assert.deepEqual(np('{ipBlock: {cidr: 10.0.0.0/8}, namespaceSelector: null}'), []);
  assert.deepEqual(np('{ipBlock: null, podSelector: {}}'), []);
  // The ipBlock's own errors at their field: its cidr, each except entry.
  assert.deepEqual(np('ipBlock:\n            cidr: 10.0.0.0/33').map((x) => [x.message, x.line, x.column]), [['invalid CIDR "10.0.0.0/33"', 9, 19]]);
  assert.deepEqual(np('ipBlock:\n            cidr: 10.0.0.0/8\n            except: [10.1.0.0/16, 172.16.0.0/12]').map((x) => [x.message, x.line, x.column]), [['except 172.16.0.0/12 is not inside 10.0.0.0/8', 10, 35]]);
  // A namespace selector's errors at their field (here the operator's value).
  assert.deepEqual(np('podSelector: {matchLabels: {app: web}}\n          namespaceSelector:\n            matchExpressions: [{key: team, operator: Equals, values: [a]}]').map((x) => [x.message, x.line, x.column]), [['invalid selector operator "Equals"', 10, 54]]);
});

test('a CIDR set given by cidrGroupSelector (Cilium 1.17; 1.16\'s CIDRRule has cidr, cidrGroupRef, except): one unknown-field error, not also a missing cidr', () => {
  const d = diags(cnp('  ingress: [{fromCIDRSet: [{cidrGroupSelector: {matchLabels: {team: edge}}}]}]\n'));
  assert.deepEqual(d.map((x) => [x.code, x.message]), [['POLICY_UNKNOWN_FIELD', 'unknown field "cidrGroupSelector" in a CIDR rule']]);
});

test('NetworkPolicy ports: a protocol other than TCP, UDP or SCTP, and endPort after a named port, are errors at their field (networking/v1 NetworkPolicyPort)', () => {
  const np = (ports: string) => diags(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n    - ports:\n        - ${ports}\n`);
  const proto = np('{port: 80, protocol: ICMP}');
  assert.deepEqual(proto.map((x) => [x.code, x.message, x.line, x.column]), [['POLICY_PORT_INVALID', 'protocol "ICMP" is not TCP, UDP or SCTP', 8, 32]]);
  const named = np('{port: http, endPort: 8090}');
  assert.deepEqual(named.map((x) => [x.code, x.message, x.line, x.column]), [['POLICY_PORT_INVALID', 'endPort needs a numeric port, not a named one', 8, 33]]);
  // A name may start with digits (web8080 and 8080x are IANA-style names); a quoted number is a quoted number, not a name.
  // networking/v1: endPort from port to 65535, an integer, not quoted.
  const end = (e: string) => np(`{port: 8080, endPort: ${e}}`).map((x) => x.message);
  assert.deepEqual(np('{port: 8080, endPort: 8079}').map((x) => [x.line, x.column]), [[8, 33]], 'at the endPort\'s value: "        - {port: 8080, endPort: " is 32 characters');
  assert.deepEqual(['8080', '65535', '8079', '65536', '"x8090"', '"8090"'].map(end), [[], [], ['endPort 8079 must be a number from port (8080) to 65535'], ['endPort 65536 must be a number from port (8080) to 65535'], ['endPort x8090 must be a number from port (8080) to 65535'], ['endPort "8090" is a string; endPort is written as a number, without quotes']]);
  // An empty `endPort:` is null: no endPort, one port.
  assert.deepEqual(np('{port: 8080, endPort: null}'), []);
  // validation.IsValidPortNum: an integer 1-65535.
  const range = (port: string) => np(`{port: ${port}}`).filter((x) => x.code === 'POLICY_PORT_INVALID').map((x) => x.message);
  assert.deepEqual(np('{port: 65536}').map((x) => [x.line, x.column]), [[8, 18]], 'at the port\'s value: "        - {port: " is 17 characters');
  assert.deepEqual(['1', '65535', '65536', '0', '-1', '80.5'].map(range), [[], [], ['port 65536 is out of range 1-65535'], ['port 0 is out of range 1-65535'], ['port -1 is out of range 1-65535'], ['port 80.5 is out of range 1-65535']]);
  // validation.IsValidPortName: 1 to 15 characters; a 16th is refused.
  assert.deepEqual(np('{port: a}').filter((x) => x.code === 'POLICY_PORT_INVALID'), []);
  assert.deepEqual(np('{port: metrics-export1}').filter((x) => x.code === 'POLICY_PORT_INVALID'), []);
  assert.deepEqual(np('{port: metrics-export12}').map((x) => [x.code, x.message, x.hint]), [['POLICY_PORT_INVALID', 'invalid port "metrics-export12"', 'a port is a number 1-65535 or a container port name (up to 15 letters, digits and dashes)']]);
  assert.deepEqual(np('{port: 8080x, endPort: 8090}').map((x) => x.message), ['endPort needs a numeric port, not a named one']);
  assert.deepEqual(np('{port: web8080, endPort: 8090}').map((x) => x.message), ['endPort needs a numeric port, not a named one']);
  // protocol: null is no protocol: TCP by default (SetDefaults_NetworkPolicyPort), no error.
  assert.deepEqual(np('{port: 80, protocol: null}'), []);
  assert.deepEqual(np('{port: "8080", endPort: 8090}').map((x) => x.message), ['port "8080" is a string; a NetworkPolicy port number is written without quotes']);
});

test('CiliumNetworkPolicy ports: ICMP as a port protocol is an error with the icmps hint; endPort after a named port is ignored, with a warning; both at their field', () => {
  const ports = (p: string) => diags(cnp(`  ingress:\n    - toPorts:\n        - ports: [${p}]\n`)).map((x) => [x.code, x.severity, x.message, x.line, x.column]);
  assert.deepEqual(ports('{port: "0", protocol: ICMP}'), [['POLICY_PORT_INVALID', 'error', 'protocol "ICMP" is not TCP, UDP, SCTP or ANY', 8, 41]]);
  assert.equal(diags(cnp('  ingress:\n    - toPorts:\n        - ports: [{port: "0", protocol: ICMP}]\n'))[0]!.hint, 'ICMP is written with icmps, not as a port protocol');
  assert.deepEqual(ports('{port: http, endPort: 8090}'), [
    ['POLICY_PORT_INVALID', 'warning', 'endPort is ignored for a named port', 8, 41],
    // No pod here defines the name either.
    ['POLICY_NAMED_PORT_UNKNOWN', 'warning', 'no pod in cluster c1 has a container port named "http": this port allows nothing', 8, 26],
  ]);
});

test('an endpointSelector error is placed in the endpointSelector', () => {
  const d = diags('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector:\n    matchExpressions: [{key: app, operator: Equals, values: [web]}]\n  ingress: [{}]\n');
  assert.deepEqual(d.map((x) => [x.code, x.line]), [['POLICY_SELECTOR_INVALID', 6]]);
});

test('HTTP rules: a header written "Name:value" (no space) is read as a header named so, with a warning; a mismatch action Cilium does not have is an error; both at their place', () => {
  const http = (rule: string) => diags(cnp(`  ingress:\n    - toPorts:\n        - ports: [{port: "80"}]\n          rules: {http: [${rule}]}\n`)).map((x) => [x.code, x.severity, x.message, x.hint, x.line, x.column]);
  assert.deepEqual(http('{headers: ["X-Token:abc"]}'), [['POLICY_HTTP_HEADER', 'warning', 'header "X-Token:abc" has no space after ":", so Cilium reads it as the presence of a header named "X-Token:abc"', 'write "Name: value"', 9, 37]]);
  assert.deepEqual(http('{headerMatches: [{name: X-Token, value: abc, mismatch: DROP}]}'), [['POLICY_HTTP_MISMATCH', 'error', 'headerMatches mismatch "DROP" is not one of LOG, ADD, DELETE, REPLACE (or empty)', undefined, 9, 81]]);
});

test('a field of the wrong shape is an error at it, saying what was expected (the CRD and networking/v1 schemas refuse such objects)', () => {
  const c = diags(cnp(`  ingress: allow
  egress:
    - toPorts:
        - ports: [{port: [80, 443]}]
    - toCIDRSet: [{cidr: 10.0.0.0/8, except: 10.1.0.0/16}]
    - toEndpoints: [{matchLabels: [app, web]}]
    - nonsense
`));
  assert.deepEqual(c.map((x) => [x.code, x.message, x.line]), [
    ['POLICY_FIELD_TYPE', 'ingress must be a list', 6],
    ['POLICY_FIELD_TYPE', 'port must be a single value', 9],
    ['POLICY_FIELD_TYPE', 'except must be a list', 10],
    ['POLICY_FIELD_TYPE', 'matchLabels must be a mapping', 11],
    ['POLICY_FIELD_TYPE', 'expected an egress rule (a mapping)', 12],
  ]);
  const np = diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector:\n    matchExpressions: [{key: app, operator: In, values: [{a: b}], valus: [web]}]\n  ingress:\n    - from: [{podSelectr: {}}, {ipBlock: {cidr: 10.0.0.0/8, excpt: [10.1.0.0/16]}}]\n      ports: [{prot: TCP}]\n      form: []\n  egress:\n    - too: []\n  ingres: []\n');
  assert.deepEqual(np.map((x) => [x.code, x.message]), [
    ['POLICY_FIELD_TYPE', 'values[0] must be a single value'],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "valus" in a selector requirement; did you mean "values"?'],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "podSelectr" in a NetworkPolicy peer; did you mean "podSelector"?'],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "excpt" in an ipBlock; did you mean "except"?'],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "prot" in a NetworkPolicy port; did you mean "port"?'],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "form" in a NetworkPolicy ingress rule; did you mean "from"?'],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "too" in a NetworkPolicy egress rule; did you mean "to"?'],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "ingres" in a NetworkPolicy spec; did you mean "ingress"?'],
  ]);
});

test('CIDR and port values: each wrong one is an error at its own field, naming the value', () => {
  const np = diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to: [{ipBlock: {except: [10.1.0.0/16]}}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/33]}}]\n      ports: [{port: "8080"}, {port: http_alt}, {endPort: 9000}]\n');
  assert.deepEqual(np.map((x) => [x.code, x.message, x.line, x.column]), [
    ['POLICY_CIDR_INVALID', 'invalid CIDR null', 8, 22], // no cidr: at the ipBlock,
    ['POLICY_CIDR_INVALID', 'invalid CIDR "10.1.0.0/33" in except', 8, 86],
    ['POLICY_PORT_INVALID', 'port "8080" is a string; a NetworkPolicy port number is written without quotes', 9, 22],
    ['POLICY_PORT_INVALID', 'invalid port "http_alt"', 9, 38],
    ['POLICY_PORT_INVALID', 'endPort needs a numeric port', 9, 59],
  ]);
  assert.equal(diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]\n')[0]!.hint, 'write an address and a prefix length, e.g. 10.0.0.0/8');
  // Cilium parses CIDRs with netip.ParsePrefix (api.CIDR sanitize), which takes no spaces; so does the API server's ipBlock.
  assert.deepEqual(diags(cnp('  egress: [{toCIDR: [" 10.0.0.1"]}, {toCIDRSet: [{cidr: "10.0.0.0/8 ", except: ["10.1.0.0/16 "]}]}]\n')).map((x) => x.message), ['invalid CIDR " 10.0.0.1"', 'invalid CIDR "10.0.0.0/8 "']);
  assert.deepEqual(diags(cnp('  egress: [{toCIDRSet: [{cidr: "10.0.0.0/8", except: ["10.1.0.0/16 "]}]}]\n')).map((x) => x.message), ['invalid CIDR "10.1.0.0/16 " in except']);
  // An except entry that is a number is an invalid CIDR; one that is a mapping or a list is one
  // error, its shape (as for toCIDR and cidr), not a second one for its value.
  assert.deepEqual(diags(cnp('  egress: [{toCIDRSet: [{cidr: "10.0.0.0/8", except: [10, {cidr: 10.1.0.0/16}, null]}]}, {toCIDR: [[10.0.0.0/8]]}, {toCIDRSet: [{cidr: {ip: 10.0.0.0}}]}]\n')).map((x) => x.message), [
    'except[1] must be a single value',
    'except[2] is null: the API server refuses the policy (its CRD schema has no nullable list items)',
    'toCIDR[0] must be a single value',
    'cidr must be a single value',
    'invalid CIDR 10 in except',
  ]);
  // Names that merely start or end with digits are names (IANA service names need one letter), not quoted numbers.
  assert.deepEqual(diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress: [{ports: [{port: web8080}, {port: 8080x}]}]\n').map((x) => x.message), [
    'no pod in cluster c1 has a container port named "web8080": this port allows nothing',
    'no pod in cluster c1 has a container port named "8080x": this port allows nothing',
  ]);
  const c = diags(cnp('  egress:\n    - toPorts: [{ports: [{port: "80", endPort: "9x"}, {port: "80", endPort: "90"}]}]\n'));
  // endPort is `type: integer` in the CRD (cilium-crds-v1.16 ciliumnetworkpolicies.yaml), unlike port: a quoted number is refused.
  assert.deepEqual(c.map((x) => [x.code, x.message]), [['POLICY_PORT_INVALID', 'endPort 9x must be a number from port (80) to 65535'], ['POLICY_PORT_INVALID', 'endPort "90" is a string; endPort is written as a number, without quotes']]);
  assert.deepEqual(diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress: [{ports: [{port: 80, endPort: "90"}]}]\n').map((x) => [x.message, x.line, x.column]), [['endPort "90" is a string; endPort is written as a number, without quotes', 6, 42]]);
});

test('label selectors: a value that is not a string, a selector that is not a mapping, a requirement without key', () => {
  const np = (sel: string) => diags(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: ${sel}\n`).map((x) => [x.code, x.message, x.hint, x.line]);
  assert.deepEqual(np('{matchLabels: {version: 2}}'), [['POLICY_SELECTOR_INVALID', 'matchLabels value of "version" must be a string, not number 2', 'quote it: "2"', 5]]);
  assert.deepEqual(np('{matchLabels: {version: null}}'), [['POLICY_SELECTOR_INVALID', 'matchLabels value of "version" must be a string', undefined, 5]]);
  assert.deepEqual(np('app=web'), [['POLICY_FIELD_TYPE', 'expected a label selector (a mapping)', undefined, 5]], 'one error for one mistake');
  assert.deepEqual(np('{matchExpressions: [{operator: Exists}]}'), [['POLICY_SELECTOR_INVALID', 'a selector requirement needs a key', undefined, 5]]);
  assert.deepEqual(np('{matchExpressions: [{key: "", operator: Exists}]}'), [['POLICY_SELECTOR_INVALID', 'a selector requirement needs a key', undefined, 5]], 'an empty key is no key');
  // Each at its value: `  podSelector: {matchLabels: {version: ` puts the value at column 40.
  const at = (sel: string) => diags(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: ${sel}\n`).map((x) => [x.line, x.column]);
  assert.deepEqual(at('{matchLabels: {version: 2}}'), [[5, 40]]);
  assert.deepEqual(at('{matchLabels: {version: null}}'), [[5, 40]]);
  // The number is read as its text, as the API server would refuse but a careless edit means: version=2 is selected.
  const w = world(pod('v2', { version: '2' }) + pod('v3', { version: '3' }) + 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {matchLabels: {version: 2}}\n  ingress: []\n');
  assert.deepEqual([w.check(w.pod('v3'), w.pod('v2'), 80).verdict, w.check(w.pod('v2'), w.pod('v3'), 80).verdict], ['denied', 'allowed']);
});

// The API server would default a NetworkPolicy without spec to podSelector {} (deny all ingress of the namespace);
// a forgotten or misspelt spec is far likelier than that intent, so it stops the command instead.
test('a policy object: an unknown top-level field is an error with "did you mean"; no spec at all is an error', () => {
  assert.deepEqual(diags('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec: {endpointSelector: {}}\nzzzzzz: 1\n').map((x) => x.message), ['unknown field "zzzzzz" in CiliumNetworkPolicy p'], 'nothing close: no guess');
  const d = diags('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspecc:\n  endpointSelector: {}\n  ingress: [{}]\n');
  assert.deepEqual(d.map((x) => [x.code, x.message, x.hint, x.line]), [
    ['POLICY_UNKNOWN_FIELD', 'unknown field "specc" in CiliumNetworkPolicy p; did you mean "spec"?', 'known fields: apiVersion, kind, metadata, status, spec, specs', 4],
    ['POLICY_SPEC_MISSING', 'CiliumNetworkPolicy p has no spec or specs: Cilium refuses it ("Invalid CiliumNetworkPolicy spec(s): empty policy")', 'add spec: with the policy\'s selector and rules', 1],
  ]);
  // The message says what the cluster would do instead (pkg/apis/networking/v1 defaults.go SetDefaults_NetworkPolicy).
  const deny = 'NetworkPolicy p has no spec: the API server takes it as podSelector {} with policyTypes [Ingress], cutting every pod of its namespace off from all ingress';
  assert.deepEqual(diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n').map((x) => [x.code, x.severity, x.message]), [['POLICY_SPEC_MISSING', 'error', deny]]);
  assert.deepEqual(diags('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: null\n').map((x) => x.message), [deny], 'null is no spec');
});

test('a named port is looked up in the clusters the policy applies to: one defining it is enough; the warning names the cluster only when there is one', () => {
  const policy = cnp('  ingress:\n    - toPorts: [{ports: [{port: metrics, protocol: TCP}]}]\n');
  const warnings = (docs: Record<string, string>, clusters: string[]) => world(docs, clusters).build.diagnostics.filter((d) => d.code === 'POLICY_NAMED_PORT_UNKNOWN').map((d) => d.message);
  const exporter = pod('exporter', { app: 'x' }, 'default', '[{name: metrics, containerPort: 9100}]');
  // The policy file is read for both clusters; only c2 runs a pod naming the port: no warning.
  assert.deepEqual(warnings({ '': policy, c2: exporter }, ['c1', 'c2']), []);
  assert.deepEqual(warnings({ '': policy }, ['c1', 'c2']), ['no pod has a container port named "metrics": this port allows nothing']);
  // A policy placed in c1 alone does not count c2's pods.
  assert.deepEqual(warnings({ c1: policy, c2: exporter }, ['c1', 'c2']), ['no pod in cluster c1 has a container port named "metrics": this port allows nothing']);
  // Without a platform the one cluster is "default": not worth naming.
  assert.deepEqual(warnings({ '': policy }, ['default']), ['no pod has a container port named "metrics": this port allows nothing']);
  const hint = world(policy).build.diagnostics[0]!.hint;
  assert.equal(hint, "named ports are resolved on the destination pod's containers[].ports[].name");
});

test('externalBlocks: ingress, egress and both are cut by their own rules, asked in any order', () => {
  const b = world(cnp('  ingress: [{fromCIDR: [10.0.0.0/8]}]\n  egress: [{toCIDR: [192.168.0.0/16]}]\n')).build;
  const ingress = [['0.0.0.0', '9.255.255.255'], ['10.0.0.0', '10.255.255.255'], ['11.0.0.0', '255.255.255.255']];
  const egress = [['0.0.0.0', '192.167.255.255'], ['192.168.0.0', '192.168.255.255'], ['192.169.0.0', '255.255.255.255']];
  assert.deepEqual(b.engine.externalBlocks('ingress'), ingress);
  assert.deepEqual(b.engine.externalBlocks('egress'), egress);
  assert.equal(b.engine.externalBlocks().length, 5);
  assert.deepEqual(b.engine.externalBlocks('ingress'), ingress, 'asked again: the same');
});

test('each feature not modelled says what it does to the verdicts; unknown fields name the shape they are in', () => {
  const d = diags(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: p}
spec:
  endpointSelector: {}
  ingress:
    - fromRequires: [{matchLabels: {env: prod}}]
    - icmps: [{fields: [{type: 8}]}]
    - fromEndpoints: [{}]
      authentication: {mode: required}
    - fromCIDRSet: [{cidrGroupRef: office}]
    - toPorts: [{ports: [{port: "80"}], rules: {http: [{methd: GET, headerMatches: [{name: X-Token, secret: {name: s}, valeu: x}]}], htp: []}}]
    - toPorts: [{ports: [{port: "443"}], terminatingTLS: {secret: {name: t}}, serverNames: [a.example.com]}]
    - fromEndpoints: [{}]
      toPorts: [{ports: [{port: "8080"}], rules: {kafka: [{topic: t}]}}]
  egress:
    - toGroups: [{aws: {securityGroupsIds: [sg-1]}}]
    - toPorts: [{ports: [{port: "80", protocl: TCP}], listener: {name: l, envoyConfig: {kind: CiliumEnvoyConfig, name: c}}}]
  egressDeny:
    - toPorts: [{ports: [{port: "25"}], rules: {http: [{}]}}]
    - toNodes: [{}]
`);
  assert.deepEqual(d.map((x) => [x.code, x.message, x.line]), [
    ['POLICY_NOT_MODELLED', 'fromRequires: not modelled: every allow of the endpoints it selects becomes unknown (a requirement can only take away)', 7],
    ['POLICY_NOT_MODELLED', 'icmps: ICMP is not modelled: an entry with only icmps allows no TCP/UDP/SCTP', 8],
    ['POLICY_NOT_MODELLED', 'authentication: mutual authentication is not modelled: what this rule allows gets the verdict unknown', 10],
    ['POLICY_NOT_MODELLED', 'cidrGroupRef: CiliumCIDRGroup is not modelled: outside addresses this entry could match get the verdict unknown', 11],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "methd" in an HTTP rule; did you mean "method"?', 12],
    ['POLICY_NOT_MODELLED', "secret: the secret's value is unknown offline: a request carrying this header gets the verdict unknown", 12],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "valeu" in a headerMatch; did you mean "value"?', 12],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "htp" in L7 rules; did you mean "http"?', 12],
    ['POLICY_NOT_MODELLED', 'terminatingTLS: TLS interception is not modelled: ignored (it decides nothing by itself)', 13],
    ['POLICY_NOT_MODELLED', 'serverNames: SNI matching is not modelled: connections on this port get the verdict unknown', 13],
    ['POLICY_NOT_MODELLED', 'kafka: only HTTP L7 rules are modelled: requests on this port get the verdict unknown', 15],
    ['POLICY_NOT_MODELLED', 'toGroups: this peer is not modelled: a verdict it could decide is unknown', 17],
    ['POLICY_UNKNOWN_FIELD', 'unknown field "protocl" in a port; did you mean "protocol"?', 18],
    ['POLICY_NOT_MODELLED', 'listener: Envoy listeners are not modelled: traffic on this port gets the verdict unknown', 18],
    // Cilium's PortDenyRule has ports only: a deny cannot carry L7 rules.
    ['POLICY_UNKNOWN_FIELD', 'unknown field "rules" in a deny toPorts entry', 20],
    ['POLICY_NOT_MODELLED', 'toNodes: this peer is not modelled: a verdict it could decide is unknown', 21],
  ]);
});

test('selector requirements: an unknown operator, In without values, Exists with values (metav1 LabelSelectorRequirement validation)', () => {
  const req = (r: string) => diags(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector:\n    matchExpressions: [${r}]\n`).map((x) => [x.message, x.hint, x.column]);
  assert.deepEqual(req('{key: app, operator: Equals, values: [web]}'), [['invalid selector operator "Equals"', 'use one of In, NotIn, Exists, DoesNotExist', 45]]);
  assert.deepEqual(req('{key: app}'), [['invalid selector operator null', 'use one of In, NotIn, Exists, DoesNotExist', 24]], 'no operator: at the requirement');
  assert.deepEqual(req('{key: app, operator: NotIn, values: []}'), [['operator NotIn needs at least one value', undefined, 24]]);
  assert.deepEqual(req('{key: app, operator: Exists, values: [web]}'), [['operator Exists takes no values', undefined, 61]]);
  assert.deepEqual(req('{key: app, operator: DoesNotExist, values: [web]}'), [['operator DoesNotExist takes no values', undefined, 67]]);
});

test('fields a direction or a deny rule does not have (pkg/policy/api IngressRule, IngressDenyRule, EgressDenyRule) are unknown there', () => {
  const d = diags(cnp('  ingress: [{toServices: [{k8sService: {serviceName: s}}]}]\n  ingressDeny: [{fromEndpoints: [{}], authentication: {mode: required}}]\n  egressDeny: [{toFQDNs: [{matchName: example.com}]}]\n'));
  assert.deepEqual(d.map((x) => x.message), [
    'unknown field "toServices" in an ingress rule',
    'unknown field "authentication" in an ingress deny rule',
    'unknown field "toFQDNs" in an egress deny rule',
  ]);
});

test('an unknown entity: its name, the closest entity when one is close, and the list of entities as the hint', () => {
  const d = diags(cnp('  ingress: [{fromEntities: [wrold, everything]}]\n'));
  assert.deepEqual(d.map((x) => [x.code, x.message, x.line, x.column]), [
    ['POLICY_ENTITY_UNKNOWN', 'unknown entity "wrold"; did you mean "world"?', 6, 29],
    ['POLICY_ENTITY_UNKNOWN', 'unknown entity "everything"', 6, 36],
  ]);
  // pkg/policy/api/entity.go: the entities a rule may name, listed whole.
  const listed = d[1]!.hint!.replace(/^entities: /, '').split(', ').sort();
  assert.deepEqual(listed, ['all', 'cluster', 'health', 'host', 'ingress', 'init', 'kube-apiserver', 'none', 'remote-node', 'unmanaged', 'world', 'world-ipv4', 'world-ipv6']);
});

test('a CIDR rule: an error in its cidr or except at that field, line and column; cidr beside cidrGroupRef refused (the CRD\'s oneOf)', () => {
  const d = diags(cnp('  egress:\n    - toCIDRSet:\n        - cidr: 10.0.0.0/33\n        - cidr: 10.0.0.0/8\n          except:\n            - 10.1.0.0/16\n            - 192.168.0.0/16\n        - cidr: 172.16.0.0/12\n          cidrGroupRef: office\n'));
  assert.deepEqual(d.filter((x) => x.severity === 'error').map((x) => [x.code, x.message, x.line, x.column]), [
    ['POLICY_CIDR_INVALID', 'invalid CIDR "10.0.0.0/33"', 8, 17],
    ['POLICY_CIDR_INVALID', 'except 192.168.0.0/16 is not inside 10.0.0.0/8', 12, 15],
    ['POLICY_PEER_INVALID', 'a CIDR rule takes one of cidr and cidrGroupRef, not both: the API server refuses the policy (oneOf in the CRD schema)', 13, 11],
  ]);
  assert.equal(d.find((x) => x.code === 'POLICY_PEER_INVALID')!.hint, 'make them two entries of toCIDRSet');
  // The refused entry matches nothing: its rule, ports and all, allows no peer (a rule left with no peers would allow every one).
  const text = pod('a', { app: 'a' }) + pod('b', { app: 'b' }) + 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: {matchLabels: {app: a}}\n  egress: [{toCIDRSet: [{cidr: 10.0.0.0/8, cidrGroupRef: office}], toPorts: [{ports: [{port: "80", protocol: TCP}]}]}]\n';
  const w = world(text);
  assert.equal(w.build.engine.explain({ from: w.pod('a'), to: { kind: 'external', ip: '8.8.8.8' }, port: 80, protocol: 'TCP' }).verdict, 'denied');
  assert.equal(w.build.engine.explain({ from: w.pod('a'), to: w.pod('b'), port: 80, protocol: 'TCP' }).verdict, 'denied');
  // null is not given: such an entry is the other key alone.
  assert.deepEqual(diags(cnp('  egress: [{toCIDRSet: [{cidr: 10.0.0.0/8, cidrGroupRef: null}]}]\n')), []);
  assert.deepEqual(diags(cnp('  egress: [{toCIDRSet: [{cidr: null, cidrGroupRef: office}]}]\n')).map((x) => x.code), ['POLICY_NOT_MODELLED']);
  // cidrGroupSelector (1.17; an unknown field in 1.16) beside a cidr: that error alone, and the cidr is read.
  const sel = world(pod('a', { app: 'a' }) + 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: {matchLabels: {app: a}}\n  egress: [{toCIDRSet: [{cidr: 8.8.8.0/24, cidrGroupSelector: {matchLabels: {team: dns}}}]}]\n');
  assert.deepEqual(sel.build.diagnostics.map((d) => d.code), ['POLICY_UNKNOWN_FIELD']);
  assert.equal(sel.build.engine.explain({ from: sel.pod('a'), to: { kind: 'external', ip: '8.8.8.8' }, port: 53, protocol: 'UDP' }).verdict, 'allowed');
});

test('an ipBlock, a CIDR rule or specs of the wrong shape: one error, its shape', () => {
  const np = (peer: string) => diags(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress: [{from: [${peer}]}]\n`).map((x) => x.message);
  assert.deepEqual(np('{ipBlock: [10.0.0.0/8]}'), ['expected an ipBlock (a mapping)']);
  assert.deepEqual(np('{ipBlock: "10.0.0.0/8"}'), ['expected an ipBlock (a mapping)']);
  assert.deepEqual(diags(cnp('  egress: [{toCIDRSet: ["10.0.0.0/8"]}]\n')).map((x) => x.message), ['expected a CIDR rule (a mapping)']);
  assert.deepEqual(diags(cnp('  egress: [{toPorts: [80]}]\n')).map((x) => x.message), ['expected a toPorts entry (a mapping)']);
  // and matches nothing: a rule with ports whose only peer is misshapen allows no peer.
  const w = world(pod('a', { app: 'a' }) + 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: {matchLabels: {app: a}}\n  egress: [{toCIDRSet: ["8.8.8.0/24"], toPorts: [{ports: [{port: "53", protocol: UDP}]}]}]\n');
  assert.equal(w.build.engine.explain({ from: w.pod('a'), to: { kind: 'external', ip: '8.8.8.8' }, port: 53, protocol: 'UDP' }).verdict, 'denied');
  for (const specs of ['foo', '{}']) {
    assert.deepEqual(diags(`apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspecs: ${specs}\n`).map((x) => [x.code, x.severity, x.message, x.line]), [['POLICY_FIELD_TYPE', 'error', 'specs must be a list of rules', 4]], specs);
  }
});

test('policy kinds the engine does not evaluate: each named with why, at its kind; other objects of the same API groups are no policies', () => {
  const obj = (apiVersion: string, kind: string, name: string, spec = '{}') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n---\n`;
  const text = [
    obj('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', 'cluster-guard'),
    obj('policy.networking.k8s.io/v1alpha1', 'BaselineAdminNetworkPolicy', 'default'),
    obj('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', 'tiered'),
    obj('cilium.io/v2alpha1', 'CiliumCIDRGroup', 'office'),
    obj('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', 'calico-deny'),
    obj('k8s.cni.cncf.io/v1beta1', 'MultiNetworkPolicy', 'macvlan'),
    obj('security.example.com/v1', 'TenantNetworkPolicy', 'tenant'),
    // Not policies: Cilium's pools and announcement policies, a networking.k8s.io Ingress, a NetworkPolicy of another group.
    obj('cilium.io/v2alpha1', 'CiliumLoadBalancerIPPool', 'pool', '{blocks: [{cidr: 172.26.0.100/30}]}'),
    obj('cilium.io/v2alpha1', 'CiliumL2AnnouncementPolicy', 'l2', '{loadBalancerIPs: true}'),
    obj('networking.k8s.io/v1', 'Ingress', 'web', '{rules: []}'),
    // A Cilium kind outside cilium.io is not Cilium's; Antrea's NetworkPolicyEvaluation is a query, not a policy.
    obj('example.com/v1', 'CiliumNetworkPolicy', 'lookalike'),
    obj('controlplane.antrea.io/v1beta2', 'NetworkPolicyEvaluation', 'query', '{}'),
  ].join('');
  const d = diags(text);
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.message, x.line]), [
    ['POLICY_NOT_MODELLED', 'warning', 'AdminNetworkPolicy cluster-guard: AdminNetworkPolicy (sig-network policy API) is not enforced by Cilium 1.16 and not modelled', 2],
    ['POLICY_NOT_MODELLED', 'warning', 'BaselineAdminNetworkPolicy default: BaselineAdminNetworkPolicy is not enforced by Cilium 1.16 and not modelled', 7],
    ['POLICY_NOT_MODELLED', 'warning', 'ClusterNetworkPolicy tiered: ClusterNetworkPolicy (sig-network policy API) is not enforced by Cilium 1.16 and not modelled', 12],
    ['POLICY_NOT_MODELLED', 'warning', 'CiliumCIDRGroup office: CiliumCIDRGroup is not modelled: cidrGroupRef entries match no address', 17],
    ['POLICY_NOT_MODELLED', 'warning', 'GlobalNetworkPolicy calico-deny: Calico GlobalNetworkPolicy is not enforced by Cilium and not modelled', 22],
    ['POLICY_NOT_MODELLED', 'warning', 'MultiNetworkPolicy macvlan: MultiNetworkPolicy (secondary networks) is not modelled', 27],
    ['POLICY_NOT_MODELLED', 'warning', 'security.example.com/v1 TenantNetworkPolicy tenant is not modelled: only networking.k8s.io NetworkPolicy and cilium.io CiliumNetworkPolicy/CiliumClusterwideNetworkPolicy are', 32],
    ['POLICY_NOT_MODELLED', 'warning', 'example.com/v1 CiliumNetworkPolicy lookalike is not modelled: only networking.k8s.io NetworkPolicy and cilium.io CiliumNetworkPolicy/CiliumClusterwideNetworkPolicy are', 52],
  ]);
});

test('selectors with the same words in other groupings are different selectors (the selector cache keeps them apart)', () => {
  // `app In (a, b)` and `app In (ab)`: one cache entry for both would make one of them match the wrong pods.
  const w = world(pod('a', { app: 'a' }) + pod('ab', { app: 'ab' }) + pod('client', { app: 'client' }) +
    'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: {matchLabels: {app: client}}\n  egress:\n    - toEndpoints: [{matchExpressions: [{key: app, operator: In, values: [a, b]}]}]\n      toPorts: [{ports: [{port: "80", protocol: TCP}]}]\n    - toEndpoints: [{matchExpressions: [{key: app, operator: In, values: [ab]}]}]\n      toPorts: [{ports: [{port: "443", protocol: TCP}]}]\n');
  assert.equal(w.check(w.pod('client'), w.pod('a'), 80).verdict, 'allowed');
  assert.equal(w.check(w.pod('client'), w.pod('a'), 443).verdict, 'denied');
  assert.equal(w.check(w.pod('client'), w.pod('ab'), 443).verdict, 'allowed');
  assert.equal(w.check(w.pod('client'), w.pod('ab'), 80).verdict, 'denied');
});

test('a null list item: a Cilium policy is refused by the API server (one error, and it matches nothing); a NetworkPolicy decodes it as an empty rule', () => {
  const cnpNull = (section: string) => world(pod('api', { app: 'api' }) + pod('web', { app: 'web' }) + `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n${section}`);
  for (const [section, field] of [['  ingress: [null]\n', 'ingress[0]'], ['  ingress: [{fromEndpoints: [null]}]\n', 'fromEndpoints[0]'], ['  ingress: [{fromEntities: [null]}]\n', 'fromEntities[0]'], ['  ingress: [{fromCIDR: [~]}]\n', 'fromCIDR[0]']] as const) {
    const w = cnpNull(section);
    assert.deepEqual(w.build.diagnostics.map((d) => [d.code, d.message]), [['POLICY_FIELD_TYPE', `${field} is null: the API server refuses the policy (its CRD schema has no nullable list items)`]], section);
    // Upstream would not store the policy at all; after the error, the engine reads the item as matching nothing
    // (never "every endpoint", as an empty selector would), so nothing is allowed that the user did not write.
    assert.equal(w.build.engine.explain({ from: w.pod('api'), to: w.pod('web'), port: 80, protocol: 'TCP' }).verdict, 'denied', section);
  }
  const specs = world('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspecs:\n- endpointSelector: {}\n-\n');
  assert.deepEqual(specs.build.diagnostics.map((d) => [d.code, d.message, d.start?.line]), [['POLICY_FIELD_TYPE', 'specs[1] is null: the API server refuses the policy (its CRD schema has no nullable list items)', 6]]);
  // A null field is pruned by the API server, as if absent: no finding.
  assert.deepEqual(cnpNull('  ingress: [{fromEndpoints: [{}], toPorts: null}]\n').build.diagnostics, []);
  // Built-in types decode null as the zero value: ingress [null] is one rule that allows every peer on every port.
  const np = world(pod('api', { app: 'api' }) + pod('web', { app: 'web' }) + 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [null]\n');
  assert.deepEqual(np.build.diagnostics, []);
  assert.equal(np.check(np.pod('api'), np.pod('web'), 80).verdict, 'allowed');
});

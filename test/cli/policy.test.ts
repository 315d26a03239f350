import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden.js';

const PAY = 'test/fixtures/policy-cli/payments';
const SW = 'test/fixtures/policy/starwars';
const LAB = 'examples/reference-lab/platform.yaml';
const DEMO = 'test/fixtures/manifests/clustermesh-demo';

describe('meshwright policy matrix', () => {
  test('-o connlist prints netpol-analyzer\'s list format, line for line', async () => {
    const r = await cli(['policy', 'matrix', '-f', PAY, '-o', 'connlist']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(`${PAY}/expected.connlist`, 'utf8'));
  });

  test('--port: a verdict per identity pair, as markdown and JSON', async () => {
    const md = await cli(['policy', 'matrix', '-f', PAY, '--port', '8080', '-o', 'markdown']);
    assert.equal(md.code, 0, md.stderr);
    assertGolden('policy-matrix-payments.md', md.stdout);
    const json = JSON.parse((await cli(['policy', 'matrix', '-f', PAY, '--port', '5432', '-o', 'json'])).stdout) as { kind: string; identities: { name: string }[]; cells: { from: string; to: string; verdict: string }[] };
    assert.equal(json.kind, 'PolicyMatrix');
    const allowed = json.cells.filter((c) => c.verdict === 'allowed').map((c) => `${c.from} -> ${c.to}`);
    assert.ok(allowed.includes('payments/gateway[Deployment] -> payments/ledger[StatefulSet]'));
    assert.ok(!allowed.includes('backend/checkout[Deployment] -> payments/ledger[StatefulSet]'));
  });

  test('without --port: the allowed connections per pair', async () => {
    const r = await cli(['policy', 'matrix', '-f', PAY]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /backend\/checkout\[Deployment\]\s.*TCP 8080/);
  });
});

describe('meshwright policy explain', () => {
  test('a Service port is translated to the target port; the deciding rule is named with file:line', async () => {
    const r = await cli(['policy', 'explain', '-f', PAY, '--from', 'backend/checkout', '--to', 'payments/svc/gateway', '--port', '443', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as { verdict: string; cases: { port: number; ingress: { rule?: { name: string; section: string; index: number; file: string; line: number } } }[] };
    assert.equal(x.verdict, 'allowed');
    assert.equal(x.cases[0]!.port, 8080);
    const rule = x.cases[0]!.ingress.rule!;
    assert.deepEqual([rule.name, rule.section, rule.index, rule.file], ['gateway-from-checkout', 'ingress', 0, `${PAY}/policies.yaml`]);
    assert.ok(rule.line > 0);
  });

  test('default deny names the policies that select the destination; exit 0 on a denied verdict', async () => {
    const r = await cli(['policy', 'explain', '-f', PAY, '--from', 'payments/ledger', '--to', 'payments/gateway', '--port', '8080']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ingress\s+denied: default deny: selected by .*NetworkPolicy payments\/(default-deny-ingress|gateway-from-checkout)/);
    assert.match(r.stdout, /VERDICT\s+denied/);
    assert.match(r.stdout, /dropped/);
  });

  test('Star Wars L7: PUT /v1/exhaust-port from the tiefighter gets 403 "Access denied" from the proxy', async () => {
    const r = await cli(['policy', 'explain', '-f', `${SW}/http-sw-app.yaml`, '-f', `${SW}/sw_l3_l4_l7_policy.yaml`, '--from', 'default/tiefighter', '--to', 'default/svc/deathstar', '--port', '80', '--http', 'PUT /v1/exhaust-port', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as { verdict: string; cases: { stage?: string; httpStatus?: number }[] };
    assert.equal(x.verdict, 'denied');
    assert.deepEqual([x.cases[0]!.stage, x.cases[0]!.httpStatus], ['l7', 403]);
    const landing = await cli(['policy', 'explain', '-f', `${SW}/http-sw-app.yaml`, '-f', `${SW}/sw_l3_l4_l7_policy.yaml`, '--from', 'default/tiefighter', '--to', 'default/deathstar', '--port', '80', '--http', 'POST /v1/request-landing']);
    assert.match(landing.stdout, /VERDICT\s+allowed/);
    const xwing = await cli(['policy', 'explain', '-f', `${SW}/http-sw-app.yaml`, '-f', `${SW}/sw_l3_l4_l7_policy.yaml`, '--from', 'default/xwing', '--to', 'default/deathstar', '--port', '80', '--http', 'POST /v1/request-landing']);
    assert.match(xwing.stdout, /VERDICT\s+denied/);
    assert.match(xwing.stdout, /at L3\/L4/);
  });

  test('across the mesh: x-wing in cluster 2 to rebel-base in cluster 1, with and without a cluster-scoped selector', async () => {
    const base = ['policy', 'explain', '--platform', LAB, '-f', `k8s-cilium-01=${DEMO}/cluster1.yaml`, '-f', `k8s-cilium-02=${DEMO}/cluster2.yaml`, '-f', `${DEMO}/global-service-example.yaml`, '--from', 'k8s-cilium-02/default/x-wing', '--to', 'k8s-cilium-01/default/rebel-base', '--port', '80', '-o', 'json'];
    const open = JSON.parse((await cli([...base, '-f', 'k8s-cilium-01=test/fixtures/policy-cli/mesh/rebel-base-from-x-wing.yaml'])).stdout) as { verdict: string };
    assert.equal(open.verdict, 'allowed', 'Cilium 1.16: an unqualified selector matches x-wing in every cluster');
    const scoped = JSON.parse((await cli([...base, '-f', 'k8s-cilium-01=test/fixtures/policy-cli/mesh/rebel-base-from-local-x-wing.yaml'])).stdout) as { verdict: string };
    assert.equal(scoped.verdict, 'denied');
    const local = JSON.parse((await cli([...base, '--policy-default-local-cluster', '-f', 'k8s-cilium-01=test/fixtures/policy-cli/mesh/rebel-base-from-x-wing.yaml'])).stdout) as { verdict: string };
    assert.equal(local.verdict, 'denied', 'policy-default-local-cluster: unqualified means the local cluster');
  });

  test('a global Service that one cluster does not share: its backends there are named as not reachable from the other cluster', async () => {
    // Cilium docs (Load-balancing with Global Services): service.cilium.io/shared "false" keeps a
    // cluster's backends from remote clusters; that cluster's own clients still reach every cluster's.
    const files = ['--platform', LAB, '-f', `k8s-cilium-01=${DEMO}/cluster1.yaml`, '-f', `k8s-cilium-02=${DEMO}/cluster2.yaml`, '-f', 'k8s-cilium-01=test/fixtures/policy-cli/mesh/rebel-base-not-shared.yaml', '-f', `k8s-cilium-02=${DEMO}/global-service-example.yaml`];
    type X = { verdict: string; cases: { to: string }[]; unreachable: string[] };
    const ask = async (from: string) => JSON.parse((await cli(['policy', 'explain', ...files, '--from', from, '--to', 'default/svc/rebel-base', '--port', '80', '-o', 'json'])).stdout) as X;
    const remote = await ask('k8s-cilium-02/default/x-wing');
    assert.deepEqual(remote.cases.map((c) => c.to.split('/')[0]), ['k8s-cilium-02']);
    assert.equal(remote.unreachable.length, 2);
    for (const line of remote.unreachable) assert.match(line, /^k8s-cilium-01\/default\/rebel-base-[a-z0-9]+-[a-z0-9]{5}: not reachable from k8s-cilium-02 through default\/svc\/rebel-base$/);
    const home = await ask('k8s-cilium-01/default/x-wing');
    assert.deepEqual(home.cases.map((c) => c.to.split('/')[0]).sort(), ['k8s-cilium-01', 'k8s-cilium-02']);
    assert.deepEqual(home.unreachable, []);
  });

  test('pods as `kubectl get pods -o json` prints them (a List), beside YAML policies', async () => {
    const r = await cli(['policy', 'explain', '-f', 'test/fixtures/policy-cli/pods-list.json', '-f', `${PAY}/policies.yaml`, '--from', 'backend/checkout-7d9f6c5b8-x2x4q', '--to', 'payments/gateway-5c6d8f7b9-k8s2m', '--port', '8080', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { verdict: string }).verdict, 'allowed');
  });

  test('a policy with a misspelt field stops with a positioned error, exit 1', async () => {
    const dir = 'test/fixtures/policy/diagnostics';
    const r = await cli(['policy', 'matrix', '-f', dir, '--port', '80']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /test\/fixtures\/policy\/diagnostics\/[\w-]+\.yaml:\d+:\d+: error\[POLICY_[A-Z_]+\]/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, '');
  });

  test('a pod can always reach itself; a NotIn-only namespaceSelector selects pods, never the world', async () => {
    const R = 'test/fixtures/policy-cli/review/lockdown.yaml';
    const self = JSON.parse((await cli(['policy', 'explain', '-f', R, '--from', 'a/web', '--to', 'a/web', '--port', '8080', '-o', 'json'])).stdout) as { verdict: string };
    assert.equal(self.verdict, 'allowed');
    const world = JSON.parse((await cli(['policy', 'explain', '-f', R, '--from', '203.0.113.7', '--to', 'a/web', '--port', '8080', '-o', 'json'])).stdout) as { verdict: string };
    assert.equal(world.verdict, 'denied');
  });

  test('pods from a typed PodList are one workload, named by their controller as written (netpol-analyzer keeps the ReplicaSet and its hash)', async () => {
    const r = await cli(['policy', 'matrix', '-f', 'test/fixtures/policy-cli/review/typed-podlist.json', '-o', 'connlist']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['0.0.0.0-255.255.255.255[External] => a/web-7d9f6c5b8[ReplicaSet] : All Connections', 'a/web-7d9f6c5b8[ReplicaSet] => 0.0.0.0-255.255.255.255[External] : All Connections']);
    const x = JSON.parse((await cli(['policy', 'explain', '-f', 'test/fixtures/policy-cli/review/typed-podlist.json', '--from', 'a/web', '--to', 'a/web-7d9f6c5b8-k8s2m', '--port', '8080', '-o', 'json'])).stdout) as { cases: { pairs: number }[] };
    assert.equal(x.cases.length, 1, 'identical outcomes for the two pods read as one case');
  });

  test('a misspelt spec is an error with "did you mean", not an empty policy', async () => {
    const r = await cli(['policy', 'matrix', '-f', 'test/fixtures/policy-cli/review/misspelt-spec.yaml', '-f', 'test/fixtures/policy-cli/review/lockdown.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /misspelt-spec\.yaml:6:1: error\[POLICY_UNKNOWN_FIELD\]: unknown field "sepc".*did you mean "spec"/);
  });

  test('a Service without the asked port: exit 1 with its ports; CLUSTER=PATH needs --platform; the same object twice warns', async () => {
    const noPort = await cli(['policy', 'explain', '-f', PAY, '--from', 'backend/checkout', '--to', 'payments/svc/gateway', '--port', '8443']);
    assert.equal(noPort.code, 1);
    assert.match(noPort.stderr, /error\[NOTHING_TO_JUDGE\].*\n.*hint: the Service's ports: 443\/TCP/);
    const placed = await cli(['policy', 'matrix', '-f', `k8s-cilium-01=${PAY}`]);
    assert.equal(placed.code, 2);
    assert.match(placed.stderr, /hint: add --platform platform\.yaml/);
    const twice = await cli(['policy', 'matrix', '-f', `${SW}/http-sw-app.yaml`, '-f', `${SW}/sw_l3_l4_policy.yaml`, '-f', `${SW}/sw_l3_l4_l7_policy.yaml`, '--port', '80']);
    assert.equal(twice.code, 0);
    assert.match(twice.stderr, /sw_l3_l4_l7_policy\.yaml:\d+:\d+: warning\[DUPLICATE_OBJECT\]: CiliumNetworkPolicy default\/rule1 is also defined in .*sw_l3_l4_policy\.yaml/);
  });

  test('an unknown peer: one error with a hint, exit 1; a bad port: usage, exit 2', async () => {
    const r = await cli(['policy', 'explain', '-f', PAY, '--from', 'backend/nope', '--to', 'payments/gateway', '--port', '8080']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[PEER_NOT_FOUND\]: "backend\/nope": no pod, workload or Service named nope/);
    assert.equal((await cli(['policy', 'explain', '-f', PAY, '--from', 'backend/checkout', '--to', 'payments/gateway', '--port', '99999'])).code, 2);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cli } from '../helpers/cli.js';

const EX = 'test/fixtures/upstream/cilium-examples/examples';
const APP = 'test/fixtures/policy-cli/upstream-app';

describe('policy on Cilium\'s own example files', () => {
  test('the Star Wars demo as shipped: exit 0, the warning with its hint on stderr, the verdict marked as depending on the fix', async () => {
    const r = await cli(['policy', 'explain', '-f', `${EX}/minikube/http-sw-app.yaml`, '-f', `${EX}/minikube/sw_l3_l4_policy.yaml`, '--from', 'default/tiefighter', '--to', 'default/svc/deathstar', '--port', '80']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /sw_l3_l4_policy\.yaml:3:1: warning\[POLICY_FIELD_PRUNED\]: "description" is not a top-level field of CiliumNetworkPolicy/);
    assert.match(r.stderr, /hint: move description under spec/);
    assert.match(r.stdout, /depends\s+kubectl apply refuses CiliumNetworkPolicy rule1 until the top-level description/);
    assert.match(r.stdout, /VERDICT\s+allowed/);
  });

  test('a CCNP with a top-level description is judged too, and its verdicts depend on the fix (JSON)', async () => {
    const r = await cli(['policy', 'explain', '-f', `${APP}/service-app.yaml`, '-f', `${APP}/ccnp-description.yaml`, '--from', 'default/client', '--to', 'default/service', '--port', '80', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /ccnp-description\.yaml:5:1: warning\[POLICY_FIELD_PRUNED\]: "description" is not a top-level field of CiliumClusterwideNetworkPolicy/);
    const x = JSON.parse(r.stdout) as { verdict: string; cases: { ingress: { decision: string; dependsOn?: string[] } }[] };
    assert.equal(x.verdict, 'denied');
    assert.match(x.cases[0]!.ingress.dependsOn?.[0] ?? '', /CiliumClusterwideNetworkPolicy service-from-prod/);
  });
});

describe('not-modelled rules on the deciding path', () => {
  const UN = 'test/fixtures/policy/unmodelled';
  test('explain: the table says unknown with the rule; -o json carries verdict unknown, the reason and the warnings', async () => {
    const args = ['policy', 'explain', '-f', `${UN}/app.yaml`, '-f', `${EX}/policies/l7/kafka/kafka.yaml`, '--from', 'default/empire-hq', '--to', 'default/kafka', '--port', '9092'];
    const t = await cli(args);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /ingress\s+unknown: CiliumNetworkPolicy default\/rule1 ingress\[0\]: Kafka rules decide each request/);
    assert.match(t.stdout, /VERDICT\s+unknown/);
    const j = await cli([...args, '-o', 'json']);
    const x = JSON.parse(j.stdout) as { verdict: string; cases: { verdict: string; ingress: { unmodelled?: string } }[]; warnings: { code: string; message: string; line?: number }[] };
    assert.equal(x.verdict, 'unknown');
    assert.match(x.cases[0]!.ingress.unmodelled ?? '', /Kafka/);
    assert.ok(x.warnings.some((w) => w.code === 'POLICY_NOT_MODELLED' && /kafka/.test(w.message)), JSON.stringify(x.warnings));
    assert.ok(x.warnings.some((w) => w.code === 'POLICY_FIELD_PRUNED' && w.line === 3));
  });

  test('matrix --port: the cell says unknown and a note below names the rule', async () => {
    const r = await cli(['policy', 'matrix', '-f', `${UN}/app.yaml`, '-f', `${UN}/requires.yaml`, '--port', '8080']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /unknown\s+default\/tester\[Pod\] → default\/api\[Pod\]: .*fromRequires/);
  });
});

describe('node traffic on the command line', () => {
  const LAB = 'examples/reference-lab/platform.yaml';
  const SW = 'test/fixtures/upstream/cilium-examples/examples/minikube';
  const ENT = 'test/fixtures/upstream/cilium-examples/examples/policies/l3/entities';
  const base = ['policy', 'explain', '--platform', LAB, '-f', `k8s-cilium-01=${SW}/http-sw-app.yaml`, '-f', `k8s-cilium-01=${ENT}/world.yaml`, '-f', `k8s-cilium-01=test/fixtures/policy-cli/upstream-app/service-app.yaml`];

  test('--from node:NAME and --from a node address are the node (remote-node to the pod), not the world', async () => {
    for (const from of ['node:k8s-cilium-02-wk01', '172.26.0.146']) {
      const r = await cli([...base, '--from', from, '--to', 'k8s-cilium-01/default/xwing', '--port', '80', '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const x = JSON.parse(r.stdout) as { verdict: string; from: { resolvedAs: string }; cases: { from: string }[] };
      assert.equal(x.from.resolvedAs, 'node');
      assert.match(x.cases[0]!.from, /node:k8s-cilium-02-wk01 \(172\.26\.0\.146\)/);
      assert.equal(x.verdict, 'allowed', 'no policy selects the xwing');
    }
  });

  test('host is the pod\'s own node, remote-node another: nodes.yaml admits both into env=dev; an outside address is dropped', async () => {
    const args = (from: string) => ['policy', 'explain', '--platform', LAB, '-f', `k8s-cilium-01=test/fixtures/policy-cli/upstream-app/service-app.yaml`, '-f', `k8s-cilium-01=${ENT}/nodes.yaml`, '--from', from, '--to', 'k8s-cilium-01/default/service', '--port', '80'];
    const host = await cli(args('host'));
    assert.equal(host.code, 0, host.stderr);
    assert.match(host.stdout, /host \(the pod's own node\) → k8s-cilium-01\/default\/service/);
    assert.match(host.stdout, /VERDICT\s+allowed/);
    const remote = await cli(args('remote-node'));
    assert.match(remote.stdout, /ingress\s+allowed: allowed by CiliumNetworkPolicy default\/to-dev-from-nodes-in-cluster ingress\[0\]/);
    const outside = await cli(args('203.0.113.9'));
    assert.match(outside.stdout, /VERDICT\s+denied/);
  });

  test('node:NAME that does not exist: exit 1 listing the nodes; node/NAME reads as a pod in namespace node', async () => {
    const r = await cli([...base, '--from', 'node:nope', '--to', 'k8s-cilium-01/default/xwing', '--port', '80']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no node named nope; nodes: k8s-cilium-01-cp, k8s-cilium-01-wk01/);
    const slash = await cli([...base, '--from', 'node/k8s-cilium-01-cp', '--to', 'k8s-cilium-01/default/xwing', '--port', '80']);
    assert.equal(slash.code, 1);
    assert.match(slash.stderr, /no pod, workload or Service named k8s-cilium-01-cp in namespace node/);
  });

  test('matrix on a folder where every pod is host-networked: the nodes are its rows, with a warning naming the pods', async () => {
    const r = await cli(['policy', 'matrix', '--platform', LAB, '-f', 'k8s-cilium-01=test/fixtures/policy-cli/host-network']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning\[POLICY_HOST_NETWORK\]: cluster k8s-cilium-01: .* use the host network: Cilium gives their traffic the node's identity/);
    assert.match(r.stderr, /ingress\/edge-proxy \(node k8s-cilium-01-wk01\)/);
    assert.match(r.stderr, /monitoring\/node-exporter-\w+ \(node k8s-cilium-01-wk01\)/);
    assert.match(r.stdout, /node:k8s-cilium-01-wk01 \[host network: .*monitoring\/node-exporter-/);
    assert.notEqual(r.stdout.trim(), '');
  });
});

describe('exit codes for CI gates', () => {
  const PAY = 'test/fixtures/policy-cli/payments';
  test('explain --expect: exit 0 when the verdict matches, 1 with the reason when it does not; unknown matches neither', async () => {
    const args = ['policy', 'explain', '-f', PAY, '--from', 'payments/ledger', '--to', 'payments/gateway', '--port', '8080'];
    assert.equal((await cli([...args, '--expect', 'denied'])).code, 0);
    const wrong = await cli([...args, '--expect', 'allowed']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /expected allowed, got denied: payments\/ledger → payments\/gateway port 8080/);
    const UN = 'test/fixtures/policy/unmodelled';
    const unknown = await cli(['policy', 'explain', '-f', `${UN}/app.yaml`, '-f', `${UN}/requires.yaml`, '--from', 'default/tester', '--to', 'default/api', '--port', '8080', '--expect', 'allowed']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /expected allowed, got unknown/);
    assert.equal((await cli([...args, '--expect', 'maybe'])).code, 2);
  });

  test('matrix --baseline (connlist): no change -> "No connections diff", exit 0; a dropped policy file -> netpol-analyzer diff lines, exit 1', async () => {
    const same = await cli(['policy', 'matrix', '-f', `${PAY}/workloads.yaml`, '-f', `${PAY}/policies.yaml`, '--baseline', `${PAY}/expected.connlist`]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, 'No connections diff\n');
    const changed = await cli(['policy', 'matrix', '-f', `${PAY}/workloads.yaml`, '--baseline', `${PAY}/expected.connlist`]);
    assert.equal(changed.code, 1);
    const lines = changed.stdout.trim().split('\n');
    assert.equal(lines[0], 'Connectivity diff:');
    assert.ok(lines.includes('diff-type: changed, source: backend/checkout[Deployment], destination: payments/gateway[Deployment], old: TCP 8080, new: All Connections'), changed.stdout);
    assert.ok(lines.includes('diff-type: added, source: 0.0.0.0-255.255.255.255[External], destination: payments/ledger[StatefulSet], old: No Connections, new: All Connections'));
    // changed lines come before added ones, as netpol-analyzer orders them
    assert.ok(lines.findIndex((l) => l.startsWith('diff-type: added')) > lines.findLastIndex((l) => l.startsWith('diff-type: changed')));
  });

  test('matrix --baseline (a saved -o json with --port): a changed verdict is printed; a baseline saved with another --port is a usage error', async () => {
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/mw-baseline-`);
    const saved = await cli(['policy', 'matrix', '-f', PAY, '--port', '8080', '-o', 'json']);
    (await import('node:fs')).writeFileSync(`${dir}/base.json`, saved.stdout);
    const open = await cli(['policy', 'matrix', '-f', `${PAY}/workloads.yaml`, '--port', '8080', '--baseline', `${dir}/base.json`]);
    assert.equal(open.code, 1);
    assert.match(open.stdout, /diff-type: added, source: payments\/ledger\[StatefulSet\], destination: payments\/gateway\[Deployment\], old: No Connections, new: allowed/);
    assert.equal((await cli(['policy', 'matrix', '-f', PAY, '--baseline', `${dir}/base.json`])).code, 2);
    const missing = await cli(['policy', 'matrix', '-f', PAY, '--baseline', `${dir}/nope.json`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /BASELINE_UNREADABLE/);
  });
});

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { bin, cli } from '../helpers/cli.js';
import { REPO_ROOT, TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary } from '../helpers/lab.js';

const PLATFORM = readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8');
const MINIKUBE = join(TEST_ROOT, 'fixtures', 'upstream', 'cilium-examples', 'examples', 'minikube');
/** Cilium's Star Wars demo (Documentation/gettingstarted/demo.rst): the app and the L7 policy, as a user keeps them beside the platform. */
const STARWARS = ['http-sw-app.yaml', 'sw_l3_l4_l7_policy.yaml'];

/** A CiliumNetworkPolicy a colleague applies by hand: the tiefighter may no longer reach the deathstar (deny wins over allow). */
const DENY_TIEFIGHTER = ['apiVersion: cilium.io/v2', 'kind: CiliumNetworkPolicy', 'metadata: {name: deny-tiefighter, namespace: default}', 'spec:', '  endpointSelector: {matchLabels: {org: empire, class: deathstar}}', '  ingressDeny:', '    - fromEndpoints: [{matchLabels: {class: tiefighter}}]', ''].join('\n');

/** The same policy with the cluster dropped from its selector, as someone "simplifies" it by hand: in Cilium 1.16 it admits x-wing of every cluster. */
const EVERY_CLUSTER_X_WING = readFileSync(join(TEST_ROOT, 'fixtures', 'verify-policy', 'rebel-base-from-local-x-wing.yaml'), 'utf8').replace('        io.cilium.k8s.policy.cluster: k8s-cilium-01\n', '');

/** The table's rows of one check (cells split on the 3-space padding). */
function rowsOf(stdout: string, check: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`${check} `))
    .map((l) => l.trim().split(/\s{3,}/));
}

const failedChecks = (stdout: string) => [...new Set(stdout.split('\n').filter((l) => /\sFAIL\s/.test(l)).map((l) => l.split(/\s+/)[0]))];

describe('verify policy-verdicts on the reference lab with the Star Wars demo in k8s-cilium-01', () => {
  const kube = kubectlBinary('newest').path;
  let dir: string;
  const k = async (args: string[], input?: string) => {
    const r = await kubectl(kube, join(dir, '.meshwright', 'lab', 'kubeconfig'), join(dir, 'kube-cache'), args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const verify = (args: string[] = []) => cli(['verify', '--seed', '7', '-f', 'k8s-cilium-01=starwars', ...args], { cwd: dir });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-verify-policy-'));
    writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
    mkdirSync(join(dir, 'starwars'));
    for (const f of STARWARS) copyFileSync(join(MINIKUBE, f), join(dir, 'starwars', f));
    const r = bin(['apply'], { cwd: dir, env: { HOME: dir } });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    await k(['--context', 'k8s-cilium-01', 'apply', '-f', join(dir, 'starwars')]);
    await k(['--context', 'k8s-cilium-01', 'rollout', 'status', 'deployment/deathstar', '--timeout=60s']);
    await k(['--context', 'k8s-cilium-01', 'wait', '--for=condition=Ready', 'pod/tiefighter', 'pod/xwing', '--timeout=60s']);
  });
  after(() => {
    bin(['lab', 'down'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies green: the rule’s request lands, one it does not name gets 403 "Access denied", xwing is dropped', async () => {
    const r = await verify();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const rows = rowsOf(r.stdout, 'policy-verdicts').map((x) => x.slice(1, 4).join(' | '));
    // demo.rst rows: POST /v1/request-landing from the tiefighter "Ship landed"; xwing "command terminated with exit code 28"
    assert.ok(rows.includes('k8s-cilium-01 | default/tiefighter → default/svc/deathstar:80/TCP POST /v1/request-landing from k8s-cilium-01 | ok'), rows.join('\n'));
    assert.ok(rows.includes('k8s-cilium-01 | default/tiefighter → default/svc/deathstar:80/TCP GET /meshwright-verify/not-in-any-rule from k8s-cilium-01 | ok'));
    assert.ok(rows.includes('k8s-cilium-01 | default/xwing → default/svc/deathstar:80/TCP from k8s-cilium-01 | ok'));
    assert.ok(rows.includes('k8s-cilium-01 | default/xwing → default/deathstar:80/TCP from k8s-cilium-01 | ok'));
    assert.match(r.stdout, /policy-verdicts\s+k8s-cilium-01\s+default\/tiefighter → default\/svc\/deathstar:80\/TCP POST \/v1\/request-landing from k8s-cilium-01\s+ok\s+allowed by CiliumNetworkPolicy default\/rule1 ingress\[0\] \(starwars\/sw_l3_l4_l7_policy\.yaml:12\)\s+allowed \(HTTP 200 from k8s-cilium-01\/default\/deathstar-[a-z0-9]+-[a-z0-9]+\)/);
    assert.match(r.stdout, /GET \/meshwright-verify\/not-in-any-rule from k8s-cilium-01\s+ok\s+denied at L7 \(HTTP 403 "Access denied"\): no HTTP rule of CiliumNetworkPolicy default\/rule1 ingress\[0\] matches GET \/meshwright-verify\/not-in-any-rule.*\s+denied at L7 \(HTTP 403 "Access denied"\) \(1 request from default\/tiefighter\)/);
    assert.match(r.stdout, /default\/xwing → default\/svc\/deathstar:80\/TCP from k8s-cilium-01\s+ok\s+denied: default deny: selected by CiliumNetworkPolicy default\/rule1 but no rule allows\s+denied at L3\/L4 \(curl: \(28\) Connection timed out after 2000 milliseconds\) \(1 request from default\/xwing\)/);
  });

  it('the lab answers an L7 denial as Cilium’s Envoy does: HTTP 403, body "Access denied" and CRLF (cilium/proxy l7policy.cc denied_403_body)', async () => {
    const r = await cli(['lab', 'curl', '--context', 'k8s-cilium-01', '--from', 'default/tiefighter', '-o', 'json', 'http://deathstar.default/v1/exhaust-port'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const [answer] = (JSON.parse(r.stdout) as { results: Array<{ exitCode: number; httpStatus: number; stdout: string }> }).results;
    assert.deepEqual({ exitCode: answer!.exitCode, httpStatus: answer!.httpStatus, stdout: answer!.stdout }, { exitCode: 0, httpStatus: 403, stdout: 'Access denied\r\n' });
    // demo.rst's own commands: `curl -s -XPUT …/v1/exhaust-port` is denied, `curl -s -XPOST …/v1/request-landing` lands
    const put = await cli(['lab', 'curl', '--context', 'k8s-cilium-01', '--from', 'default/tiefighter', '-X', 'PUT', '-o', 'json', 'http://deathstar.default.svc.cluster.local/v1/exhaust-port'], { cwd: dir });
    assert.equal((JSON.parse(put.stdout) as { results: Array<{ httpStatus: number }> }).results[0]!.httpStatus, 403);
    const post = await cli(['lab', 'curl', '--context', 'k8s-cilium-01', '--from', 'default/tiefighter', '-X', 'POST', '-o', 'json', 'http://deathstar.default.svc.cluster.local/v1/request-landing'], { cwd: dir });
    assert.equal((JSON.parse(post.stdout) as { results: Array<{ httpStatus: number }> }).results[0]!.httpStatus, 200, post.stderr);
    const get = await cli(['lab', 'curl', '--context', 'k8s-cilium-01', '--from', 'default/tiefighter', '-o', 'json', 'http://deathstar.default.svc.cluster.local/v1/request-landing'], { cwd: dir });
    assert.equal((JSON.parse(get.stdout) as { results: Array<{ httpStatus: number }> }).results[0]!.httpStatus, 403, 'the rule names POST only');
  });

  it('-o json with the policy rows validates against `meshwright schema verify`', async () => {
    const schema = JSON.parse((await cli(['schema', 'verify'])).stdout);
    const r = await verify(['-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { results: Array<{ check: string; status: string }>; checks: Array<{ id: string; status: string }> };
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.ok(report.results.filter((x) => x.check === 'policy-verdicts').length >= 6);
    assert.deepEqual(report.checks.find((c) => c.id === 'policy-verdicts'), { ...report.checks.find((c) => c.id === 'policy-verdicts'), status: 'pass' });
  });

  it('a CiliumNetworkPolicy denying the tiefighter, applied behind meshwright’s back: the pair turns red with the rule explain expected and the drop seen', async () => {
    await k(['--context', 'k8s-cilium-01', 'apply', '-f', '-'], DENY_TIEFIGHTER);
    try {
      const r = await verify();
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /policy-verdicts\s+k8s-cilium-01\s+default\/tiefighter → default\/svc\/deathstar:80\/TCP POST \/v1\/request-landing from k8s-cilium-01\s+FAIL\s+allowed by CiliumNetworkPolicy default\/rule1 ingress\[0\] \(starwars\/sw_l3_l4_l7_policy\.yaml:12\)\s+denied at L3\/L4 \(curl: \(28\) Connection timed out after 2000 milliseconds\) \(2 requests from default\/tiefighter\)/);
      assert.match(r.stdout, /policy-verdicts k8s-cilium-01 default\/tiefighter → default\/svc\/deathstar:80\/TCP POST \/v1\/request-landing from k8s-cilium-01: explain rests on CiliumNetworkPolicy default\/rule1 ingress\[0\] \(starwars\/sw_l3_l4_l7_policy\.yaml:12\); see what the cluster holds: kubectl --context k8s-cilium-01 get cnp,ccnp,netpol -A/);
      // the xwing was dropped before and still is
      assert.match(r.stdout, /default\/xwing → default\/svc\/deathstar:80\/TCP from k8s-cilium-01\s+ok\s/);
      assert.deepEqual(failedChecks(r.stdout), ['policy-verdicts'], 'the other checks stay as they were');
    } finally {
      await k(['--context', 'k8s-cilium-01', '-n', 'default', 'delete', 'ciliumnetworkpolicy', 'deny-tiefighter']);
    }
  });

  it('the L7 policy deleted behind meshwright’s back: the xwing lands and the unnamed request is answered; both are named', async () => {
    const policy = await k(['--context', 'k8s-cilium-01', '-n', 'default', 'get', 'ciliumnetworkpolicy', 'rule1', '-o', 'yaml']);
    await k(['--context', 'k8s-cilium-01', '-n', 'default', 'delete', 'ciliumnetworkpolicy', 'rule1']);
    try {
      const r = await verify();
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /default\/xwing → default\/svc\/deathstar:80\/TCP from k8s-cilium-01\s+FAIL\s+denied: default deny: selected by CiliumNetworkPolicy default\/rule1 but no rule allows\s+allowed \(HTTP 200 from k8s-cilium-01\/default\/deathstar-/);
      assert.match(r.stdout, /GET \/meshwright-verify\/not-in-any-rule from k8s-cilium-01\s+FAIL\s+denied at L7 \(HTTP 403 "Access denied"\).*\s+allowed \(HTTP 200 from/);
      assert.match(r.stdout, /default\/xwing → default\/svc\/deathstar:80\/TCP from k8s-cilium-01: explain rests on the default deny of CiliumNetworkPolicy default\/rule1 \(starwars\/sw_l3_l4_l7_policy\.yaml:\d+\); see what the cluster holds: kubectl --context k8s-cilium-01 get cnp,ccnp,netpol -A/);
      assert.deepEqual(failedChecks(r.stdout), ['policy-verdicts']);
    } finally {
      await k(['--context', 'k8s-cilium-01', 'apply', '-f', '-'], policy);
    }
    const again = await verify();
    assert.equal(again.code, 0, `green again once the policy is back:\n${again.stdout}`);
  });

  it('without -f: one skip row — the platform has no policies — naming what the cluster holds', async () => {
    const r = await cli(['verify', '--seed', '7'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(rowsOf(r.stdout, 'policy-verdicts').map((x) => x.slice(1)), [['-', 'policies', 'skip', "verdicts of the platform's policies", "the platform has no network policies (meshwright's own manifests carry none; give yours with verify -f [CLUSTER=]PATH); the clusters hold 1 in k8s-cilium-01"]]);
  });
  it('across the mesh, where a policy names io.cilium.k8s.policy.cluster: x-wing of k8s-cilium-02 is dropped at k8s-cilium-01’s rebel-base, until the cluster is dropped from the selector behind meshwright’s back', async () => {
    copyFileSync(join(TEST_ROOT, 'fixtures', 'verify-policy', 'rebel-base-from-local-x-wing.yaml'), join(dir, 'mesh.yaml'));
    await k(['--context', 'k8s-cilium-01', 'apply', '-f', join(dir, 'mesh.yaml')]);
    const mesh = (args: string[] = []) => verify(['-f', 'k8s-cilium-01=mesh.yaml', ...args]);
    try {
      const r = await mesh();
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /policy-verdicts\s+k8s-cilium-02\s+default\/x-wing → k8s-cilium-01\/default\/rebel-base:80\/TCP from k8s-cilium-02\s+ok\s+denied: default deny: selected by CiliumNetworkPolicy default\/rebel-base-from-local-x-wing but no rule allows\s+denied at L3\/L4/);
      assert.match(r.stdout, /policy-verdicts\s+k8s-cilium-01\s+default\/x-wing → default\/rebel-base:80\/TCP from k8s-cilium-01\s+ok\s+allowed by CiliumNetworkPolicy default\/rebel-base-from-local-x-wing ingress\[0\] \(mesh\.yaml:13\)\s+allowed \(HTTP 200/);
      await k(['--context', 'k8s-cilium-01', 'apply', '-f', '-'], EVERY_CLUSTER_X_WING);
      const changed = await mesh();
      assert.equal(changed.code, 1, changed.stdout);
      assert.match(changed.stdout, /policy-verdicts\s+k8s-cilium-02\s+default\/x-wing → k8s-cilium-01\/default\/rebel-base:80\/TCP from k8s-cilium-02\s+FAIL\s+denied: default deny: selected by CiliumNetworkPolicy default\/rebel-base-from-local-x-wing but no rule allows\s+allowed \(HTTP 200 from k8s-cilium-01\/default\/rebel-base-/);
      assert.match(changed.stdout, /default\/x-wing → k8s-cilium-01\/default\/rebel-base:80\/TCP from k8s-cilium-02: explain rests on the default deny of CiliumNetworkPolicy default\/rebel-base-from-local-x-wing \(mesh\.yaml:7\); see what the cluster holds: kubectl --context k8s-cilium-02 get cnp,ccnp,netpol -A and kubectl --context k8s-cilium-01 get cnp,ccnp,netpol -A/);
      assert.deepEqual(failedChecks(changed.stdout), ['policy-verdicts']);
    } finally {
      await k(['--context', 'k8s-cilium-01', '-n', 'default', 'delete', 'ciliumnetworkpolicy', 'rebel-base-from-local-x-wing']);
    }
  });
});

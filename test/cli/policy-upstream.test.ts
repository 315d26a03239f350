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

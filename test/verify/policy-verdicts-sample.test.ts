import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SeededRandom } from '../../src/lab/index.js';
import { loadManifests, parseManifestText, type LoadedObject } from '../../src/manifests/index.js';
import type { Platform } from '../../src/spec/index.js';
import { policyVerdicts, subjectOf } from '../../src/verify/checks/policy-verdicts.js';
import type { VerifyContext } from '../../src/verify/index.js';
import { predictPolicies } from '../../src/verify/policy-predict.js';
import { choose } from '../../src/verify/sample-choose.js';
import { samplePairs, type SampledPair } from '../../src/verify/sample-pairs.js';
import { UNNAMED_PATH } from '../../src/verify/sample-http.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { referenceLab } from '../helpers/platforms.js';

const MINIKUBE = join(TEST_ROOT, 'fixtures', 'upstream', 'cilium-examples', 'examples', 'minikube');
const MESH = join(TEST_ROOT, 'fixtures', 'policy', 'mesh');

/** The reference lab's first cluster alone, without meshwright's demo workloads (no mesh, no ingress): only the user's manifests. */
function oneCluster(): Platform {
  const p = referenceLab();
  p.spec.mesh.enabled = false;
  p.spec.cilium.ingress.enabled = false;
  p.spec.clusters = [p.spec.clusters[0]!];
  return p;
}

function read(files: Array<{ cluster?: string; path: string }>): LoadedObject[] {
  const r = loadManifests(files, TEST_ROOT);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.objects;
}

const rows = (pairs: SampledPair[]) => pairs.map((p) => `${subjectOf(p)} | ${p.expected.verdict}${p.expected.stage ? ` ${p.expected.stage}` : ''}`);

describe('policy-verdicts: the pairs it samples', () => {
  it('Star Wars L3/L4 (demo.rst): tiefighter reaches the deathstar, xwing is dropped, through the Service and to the pods', () => {
    const prediction = predictPolicies(oneCluster(), read([{ path: join(MINIKUBE, 'http-sw-app.yaml') }, { path: join(MINIKUBE, 'sw_l3_l4_policy.yaml') }]));
    const s = samplePairs(prediction, 1);
    // demo.rst with sw_l3_l4_policy.yaml: "tiefighter … Ship landed", "xwing … will hang"; the deathstar's own pods are not sent to themselves
    assert.deepEqual(rows(s.pairs).sort(), [
      'default/tiefighter → default/deathstar:80/TCP from k8s-cilium-01 | allowed',
      'default/tiefighter → default/svc/deathstar:80/TCP from k8s-cilium-01 | allowed',
      'default/xwing → default/deathstar:80/TCP from k8s-cilium-01 | denied l3-l4',
      'default/xwing → default/svc/deathstar:80/TCP from k8s-cilium-01 | denied l3-l4',
    ]);
    const allowed = s.pairs.find((p) => p.expected.verdict === 'allowed')!;
    assert.match(allowed.expected.text, /^allowed by CiliumNetworkPolicy default\/rule1 ingress\[0\] \(.*sw_l3_l4_policy\.yaml:\d+\)$/);
    const denied = s.pairs.find((p) => p.expected.verdict === 'denied')!;
    assert.equal(denied.expected.text, 'denied: default deny: selected by CiliumNetworkPolicy default/rule1 but no rule allows');
  });

  it('Star Wars L7 (demo.rst): the rule’s own request (POST /v1/request-landing) is allowed, one it does not name gets 403, xwing is still dropped', () => {
    const prediction = predictPolicies(oneCluster(), read([{ path: join(MINIKUBE, 'http-sw-app.yaml') }, { path: join(MINIKUBE, 'sw_l3_l4_l7_policy.yaml') }]));
    const s = samplePairs(prediction, 1);
    assert.deepEqual(rows(s.pairs).sort(), [
      `default/tiefighter → default/deathstar:80/TCP GET ${UNNAMED_PATH} from k8s-cilium-01 | denied l7`,
      'default/tiefighter → default/deathstar:80/TCP POST /v1/request-landing from k8s-cilium-01 | allowed',
      `default/tiefighter → default/svc/deathstar:80/TCP GET ${UNNAMED_PATH} from k8s-cilium-01 | denied l7`,
      'default/tiefighter → default/svc/deathstar:80/TCP POST /v1/request-landing from k8s-cilium-01 | allowed',
      'default/xwing → default/deathstar:80/TCP from k8s-cilium-01 | denied l3-l4',
      'default/xwing → default/svc/deathstar:80/TCP from k8s-cilium-01 | denied l3-l4',
    ]);
    const l7 = s.pairs.find((p) => p.expected.stage === 'l7')!;
    assert.match(l7.expected.text, /^denied at L7 \(HTTP 403 "Access denied"\): no HTTP rule of CiliumNetworkPolicy default\/rule1 ingress\[0\] matches GET \/meshwright-verify\/not-in-any-rule/);
  });

  it('bounded per cluster, reproducible for a seed, and one allowed and one denied pair of each policy kept', () => {
    // six Deployments with a port in one namespace, a default deny admitting only app=a: 30 pairs, 5 of them allowed
    const apps = ['a', 'b', 'c', 'd', 'e', 'f'];
    const yaml = [
      ...apps.map((a) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${a}, namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${a}}}\n  template:\n    metadata: {labels: {app: ${a}}}\n    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}\n`),
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: only-a, namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: a}}]\n',
    ].join('---\n');
    const prediction = predictPolicies(oneCluster(), parseManifestText('shop.yaml', yaml).objects);
    const all = samplePairs(prediction, 3, 100);
    assert.equal(all.pairs.length, 30);
    assert.equal(all.pairs.filter((p) => p.expected.verdict === 'allowed').length, 5);
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const s = samplePairs(prediction, seed);
      assert.equal(s.pairs.length, 20, 'at most 20 per cluster');
      assert.equal(s.candidates.get('k8s-cilium-01'), 30);
      assert.deepEqual(rows(samplePairs(prediction, seed).pairs), rows(s.pairs), 'the same seed samples the same pairs');
      const two = choose(all.pairs, new SeededRandom(seed), 2);
      assert.deepEqual(two.map((p) => p.expected.verdict).sort(), ['allowed', 'denied'], 'two places: one allowed, one denied');
      seen.add(rows(two).join());
    }
    assert.ok(seen.size > 1, 'other seeds sample other pairs');
  });

  it('across the mesh only where a policy names io.cilium.k8s.policy.cluster: x-wing of the other cluster is dropped (cilium-mesh.md §4.2)', () => {
    const local = samplePairs(predictPolicies(referenceLab(), read([{ cluster: 'k8s-cilium-01', path: join(MESH, 'rebel-base-from-local-x-wing.yaml') }])), 1);
    assert.ok(rows(local.pairs).includes('default/x-wing → k8s-cilium-01/default/rebel-base:80/TCP from k8s-cilium-02 | denied l3-l4'), rows(local.pairs).join('\n'));
    assert.ok(rows(local.pairs).includes('default/x-wing → default/rebel-base:80/TCP from k8s-cilium-01 | allowed'));
    // the global Service from k8s-cilium-01 reaches backends in both clusters (services.rst): both allow x-wing, each for its own reason
    const viaService = local.pairs.find((p) => subjectOf(p) === 'default/x-wing → default/svc/rebel-base:80/TCP from k8s-cilium-01')!;
    assert.match(viaService.expected.text, /^allowed by CiliumNetworkPolicy default\/rebel-base-from-local-x-wing ingress\[0\] \(.*:\d+\) \| allowed: not enforced \(neither end is in default deny\)$/);
    // from k8s-cilium-02 one backend cluster drops x-wing and the other does not: one request could not tell, so it is not sampled
    assert.ok(!rows(local.pairs).some((r) => r.startsWith('default/x-wing → default/svc/rebel-base:80/TCP from k8s-cilium-02')));
    // the same policy naming no cluster: judged within each cluster (and through global Services) only
    const unqualified = samplePairs(predictPolicies(referenceLab(), read([{ cluster: 'k8s-cilium-01', path: join(MESH, 'rebel-base-from-x-wing.yaml') }])), 1);
    assert.ok(unqualified.pairs.length > 0);
    assert.ok(unqualified.pairs.every((p) => p.destination.kind === 'service' || p.destination.workload.cluster === p.cluster));
  });

  it('no policy: nothing to sample', () => {
    const prediction = predictPolicies(referenceLab(), []);
    assert.equal(prediction.policies.length, 0);
    assert.deepEqual(samplePairs(prediction, 1).pairs, []);
  });
});

describe('policy-verdicts: what it says when it cannot send', () => {
  /** A context with no cluster to reach: the rows below are decided before any request. */
  const ctx = (manifests: LoadedObject[]): VerifyContext => ({ platform: oneCluster(), manifests, target: 'real', clusters: [], requests: 1, seed: 1, alpha: 0.01 } as unknown as VerifyContext);

  it('policies but no way to send from inside real clusters yet: one skip row saying why', async () => {
    const rows = await policyVerdicts.run(ctx(read([{ path: join(MINIKUBE, 'http-sw-app.yaml') }, { path: join(MINIKUBE, 'sw_l3_l4_l7_policy.yaml') }])));
    assert.deepEqual(rows.map((r) => [r.status, r.subject, r.expected, r.observed]), [['skip', 'sampled pairs', 'the verdicts of meshwright policy explain (1 policy)', 'not sent: requests from inside real clusters (a probe pod) are not implemented yet']]);
  });

  it('no policies: one skip row', async () => {
    const rows = await policyVerdicts.run(ctx(read([{ path: join(MINIKUBE, 'http-sw-app.yaml') }])));
    assert.deepEqual(rows.map((r) => [r.status, r.subject]), [['skip', 'policies']]);
    assert.match(rows[0]!.observed, /^the platform has no network policies \(meshwright's own manifests carry none; give yours with verify -f \[CLUSTER=\]PATH\)$/);
  });

  it('a policy the engine refuses (an invalid selector operator): a failed row pointing at the file, no guess', async () => {
    const bad = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: bad}\nspec:\n  endpointSelector:\n    matchExpressions: [{key: org, operator: Maybe, values: [empire]}]\n  ingress: [{}]\n';
    const rows = await policyVerdicts.run(ctx(parseManifestText('bad.yaml', bad).objects));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, 'fail');
    assert.match(rows[0]!.observed, /^bad\.yaml: /);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { labHelm } from '../../src/lab/index.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, startTestLab, testPki, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';

const VALUES = join(TEST_ROOT, 'golden', 'render', 'reference-lab', 'k8s-cilium-01', 'helm', 'cilium-values.yaml');
const EXAMPLES = join(TEST_ROOT, 'fixtures', 'upstream', 'cilium-examples', 'examples');

/**
 * Cilium's CRDs as its operator registers them, with their schemas: the lab's API server validates,
 * prunes and defaults Cilium objects as a real one does with those CRDs (apiextensions-apiserver:
 * strict field validation by default in kubectl ≥ 1.27, pruning of unknown fields, enum checks).
 */
describe('lab: Cilium’s CRDs validate and prune Cilium objects', () => {
  const bin = kubectlBinary('newest').path;
  let lab: TestLab;
  let cache: string;
  const k = (args: string[], input?: string) => kubectl(bin, lab.kubeconfig, cache, ['--context', 'k8s-cilium-01', ...args], input);
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  before(async () => {
    lab = await startTestLab(referenceLab());
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    const values = load(readFileSync(VALUES, 'utf8')) as Record<string, any>;
    await labHelm.upgradeInstall(lab.lab.clusters[0]!.port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values: [values], now: Date.now() });
    await Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it('registers every CRD of Cilium 1.16 with its schema-version label', async () => {
    const crds = JSON.parse(await ok(['get', 'crd', '-o', 'json'])).items.filter((c: any) => c.spec.group === 'cilium.io');
    // pkg/k8s/apis/cilium.io/client/register.go CustomResourceDefinitionList: 23 names, CiliumNodeConfig twice (v2 and v2alpha1 of one CRD)
    assert.equal(crds.length, 22);
    for (const c of crds) assert.match(c.metadata.labels['io.cilium.k8s.crd.schema.version'], /^1\.29\.\d+$/, c.metadata.name);
    const pool = crds.find((c: any) => c.metadata.name === 'ciliumloadbalancerippools.cilium.io');
    assert.ok(pool.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.blocks, 'a real schema, not an open one');
  });

  it('refuses the Star Wars demo’s top-level `description` under strict validation, and prunes it without', async () => {
    const file = join(EXAMPLES, 'minikube', 'sw_l3_l4_policy.yaml');
    const strict = await k(['apply', '-f', file]);
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /unknown field "description"/);
    await ok(['apply', '--validate=false', '-f', file]);
    const stored = JSON.parse(await ok(['get', 'cnp', 'rule1', '-o', 'json']));
    assert.equal(stored.description, undefined, 'pruned: the root of the schema does not declare it');
    assert.equal(stored.spec.endpointSelector.matchLabels.org, 'empire');
  });

  it('refuses a misspelt pool field and a value outside an enum with the server’s messages', async () => {
    const pool = (spec: string) => `apiVersion: cilium.io/v2alpha1\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: typo\nspec:\n${spec}`;
    const typo = await k(['apply', '-f', '-'], pool('  bloks:\n  - cidr: 10.0.10.0/24\n'));
    assert.notEqual(typo.code, 0);
    assert.match(typo.stderr, /unknown field "spec\.bloks"/);
    const bad = await k(['apply', '-f', '-'], pool('  blocks:\n  - cidr: 10.0.10.0/24\n  allowFirstLastIPs: Maybe\n'));
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec\.allowFirstLastIPs: Unsupported value: "Maybe": supported values: "Yes", "No"/);
  });

  it('defaults what the schema defaults: a new pool is not disabled', async () => {
    await ok(['apply', '-f', '-'], 'apiVersion: cilium.io/v2alpha1\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: spare\nspec:\n  blocks:\n  - cidr: 10.0.10.0/24\n');
    assert.equal(await ok(['get', 'ippool', 'spare', '-o', 'jsonpath={.spec.disabled}']), 'false');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { labHelm } from '../../src/lab/index.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, rows, startTestLab, testPki, until, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';

const RENDERED = join(TEST_ROOT, 'golden', 'render', 'reference-lab', 'k8s-cilium-01');
const values = (): Record<string, any> => load(readFileSync(join(RENDERED, 'helm', 'cilium-values.yaml'), 'utf8')) as Record<string, any>;

/** `lab helm upgrade --install cilium` with meshwright's rendered values, then the notebook's next steps, through the real kubectl. */
describe('helm on the lab: the cilium chart', () => {
  const bin = kubectlBinary('newest').path;
  let lab: TestLab;
  let cache: string;
  let port: number;
  const k = (args: string[], input?: string) => kubectl(bin, lab.kubeconfig, cache, ['--context', 'k8s-cilium-01', ...args], input);
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await k(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const settled = () => Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
  const install = async (v: Record<string, any>) => {
    const r = await labHelm.upgradeInstall(port, await testPki(), { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values: [v], now: Date.now() });
    await settled();
    return r;
  };
  const names = async (kind: string) => rows(await ok(['get', kind, '-n', 'kube-system', '-o', 'name'])).map((r) => r[0]);
  /** LB IPAM's pool and L2 announcement policy, as rendered (kubectl apply: a no-op when they are there). */
  const applyPool = async () => {
    await ok(['apply', '-f', join(RENDERED, 'manifests', '01-lb-ipam.yaml')]);
    await settled();
  };
  let installed: Awaited<ReturnType<typeof install>>;

  // The shared fixture: the cilium release installed once with the rendered values (revision 1).
  // The tests build on it, each applying what else it needs, so any runs alone as well as in order.
  before(async () => {
    lab = await startTestLab(referenceLab());
    port = lab.lab.clusters[0]!.port;
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    installed = await install(values());
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it('creates the chart’s objects, and every node turns Ready', async () => {
    const r = installed;
    assert.equal(r.version, 1);
    await until(async () => rows(await ok(['get', 'nodes'])).slice(1).every((n) => n[1] === 'Ready'), 10_000, 'nodes Ready');
    assert.deepEqual(await names('daemonsets'), ['daemonset.apps/cilium', 'daemonset.apps/cilium-envoy']);
    assert.deepEqual(await names('deployments'), ['deployment.apps/cilium-operator', 'deployment.apps/clustermesh-apiserver']);
    const ds = rows(await ok(['get', 'ds', 'cilium', '-n', 'kube-system']));
    assert.deepEqual(ds[1]!.slice(1, 6), ['2', '2', '2', '2', '2'], 'DESIRED CURRENT READY UP-TO-DATE AVAILABLE on both nodes');
    const config = JSON.parse(await ok(['get', 'configmap', 'cilium-config', '-n', 'kube-system', '-o', 'json'])).data;
    assert.equal(config['cluster-name'], 'k8s-cilium-01');
    assert.equal(config['cluster-id'], '1');
    const crds = await ok(['get', 'crd', '-o', 'name']);
    assert.match(crds, /ciliumloadbalancerippools\.cilium\.io/, 'the operator registered the Cilium CRDs');
    assert.match(crds, /ciliumnetworkpolicies\.cilium\.io/);
    // the release as helm 3 stores it: a Secret whose `release` is base64(gzip(JSON)) under Kubernetes' own base64
    const secret = JSON.parse(await ok(['get', 'secret', 'sh.helm.release.v1.cilium.v1', '-n', 'kube-system', '-o', 'json']));
    assert.equal(secret.type, 'helm.sh/release.v1');
    // secrets.go: Create sets createdAt (the pending record), Update adds modifiedAt (deployed)
    assert.deepEqual(Object.keys(secret.metadata.labels).sort(), ['createdAt', 'modifiedAt', 'name', 'owner', 'status', 'version']);
    assert.deepEqual([secret.metadata.labels.name, secret.metadata.labels.owner, secret.metadata.labels.status, secret.metadata.labels.version], ['cilium', 'helm', 'deployed', '1']);
    const gz = Buffer.from(Buffer.from(secret.data.release, 'base64').toString(), 'base64');
    assert.deepEqual([...gz.subarray(0, 3)], [0x1f, 0x8b, 0x08]);
    const rel = JSON.parse(gunzipSync(gz).toString());
    assert.equal(rel.name, 'cilium');
    assert.equal(rel.namespace, 'kube-system');
    assert.equal(rel.info.status, 'deployed');
    assert.equal(rel.chart.metadata.version, '1.16.5');
    assert.equal(rel.config.cluster.name, 'k8s-cilium-01');
  });

  it('gives the LoadBalancer Services the notebook’s VIPs once the pool exists, and the Ingress its address', async () => {
    await applyPool();
    const svc = rows(await ok(['get', 'svc', '-n', 'kube-system']));
    const ext = Object.fromEntries(svc.slice(1).map((r) => [r[0], [r[1], r[3]]]));
    // the notebook: cilium-ingress on .101, clustermesh-apiserver on .102 (plan predicts the same)
    assert.deepEqual(ext['cilium-ingress'], ['LoadBalancer', '172.26.0.101']);
    assert.deepEqual(ext['clustermesh-apiserver'], ['LoadBalancer', '172.26.0.102']);
    const pools = rows(await ok(['get', 'ippools']));
    assert.deepEqual(pools[0], ['NAME', 'DISABLED', 'CONFLICTING', 'IPS AVAILABLE', 'AGE']);
    assert.deepEqual(pools[1]!.slice(0, 4), ['pool-ilba', 'false', 'False', '0']);
    await ok(['apply', '-f', join(RENDERED, 'manifests', '02-ingress-app.yaml')]);
    await settled();
    const ing = rows(await ok(['get', 'ingress', '-A']));
    assert.deepEqual(ing[1]!.slice(0, 5), ['test-ingress', 'app-ilba-ingress', 'cilium', 'test-ingress.ilba.cat', '172.26.0.101']);
  });

  it('has one node hold each VIP’s L2 announcement lease, as Cilium’s agents elect it, and hands it over when that node’s agent goes', async () => {
    // Documentation/network/l2-announcements.rst, "Leases": cilium-l2announce-<namespace>-<service> in Cilium's namespace
    const holders = async () =>
      Object.fromEntries(
        rows(await ok(['get', 'leases', '-n', 'kube-system', '-o', 'custom-columns=NAME:.metadata.name,HOLDER:.spec.holderIdentity,DURATION:.spec.leaseDurationSeconds', '--no-headers']))
          .filter((r) => r[0]!.startsWith('cilium-l2announce-'))
          .map((r) => [r[0], [r[1], r[2]]]),
      );
    const nodes = ['k8s-cilium-01-cp', 'k8s-cilium-01-wk01'];
    await applyPool();
    const first = await holders();
    assert.deepEqual(Object.keys(first).sort(), ['cilium-l2announce-kube-system-cilium-ingress', 'cilium-l2announce-kube-system-clustermesh-apiserver']);
    for (const [holder, duration] of Object.values(first) as string[][]) {
      assert.ok(nodes.includes(holder!), `held by a node of the cluster, not ${holder}`);
      assert.equal(duration, '15', 'the chart’s l2announcements.leaseDuration');
    }
    // the holder's agent leaves (its node no longer runs Cilium): the other node takes the lease over
    const [holder] = first['cilium-l2announce-kube-system-cilium-ingress'] as string[];
    const other = nodes.find((n) => n !== holder)!;
    await ok(['label', 'node', holder!, 'l2=off']);
    await ok(['apply', '-f', '-'], `apiVersion: cilium.io/v2alpha1\nkind: CiliumL2AnnouncementPolicy\nmetadata:\n  name: l2-pool-ilba\nspec:\n  loadBalancerIPs: true\n  externalIPs: false\n  nodeSelector:\n    matchExpressions:\n    - {key: l2, operator: NotIn, values: ['off']}\n`);
    await settled();
    const after = await holders();
    assert.equal((after['cilium-l2announce-kube-system-cilium-ingress'] as string[])[0], other);
    await ok(['delete', 'ciliuml2announcementpolicy', 'l2-pool-ilba']);
    await settled();
    assert.deepEqual(await holders(), {}, 'no policy, no announcement');
    await ok(['apply', '-f', join(RENDERED, 'manifests', '01-lb-ipam.yaml')]);
    await ok(['label', 'node', holder!, 'l2-']);
    await settled();
  });

  it('follows the chart’s conditions on upgrade: hubble.relay.enabled, clustermesh.useAPIServer, ingressController.enabled', async () => {
    const relay = values();
    relay.hubble.relay.enabled = true;
    assert.equal((await install(relay)).version, 2);
    assert.ok((await names('deployments')).includes('deployment.apps/hubble-relay'), 'hubble-relay/deployment.yaml');
    assert.ok((await names('services')).includes('service/hubble-relay'));
    const v1 = JSON.parse(await ok(['get', 'secret', 'sh.helm.release.v1.cilium.v1', '-n', 'kube-system', '-o', 'json']));
    assert.equal(v1.metadata.labels.status, 'superseded');

    const noMesh = structuredClone(relay);
    noMesh.clustermesh.useAPIServer = false;
    await install(noMesh);
    assert.ok(!(await names('deployments')).includes('deployment.apps/clustermesh-apiserver'), 'clustermesh-apiserver/deployment.yaml needs useAPIServer');
    assert.ok(!(await names('services')).includes('service/clustermesh-apiserver'));
    assert.ok(!(await names('secrets')).includes('secret/cilium-kvstoremesh'), 'kvstoremesh-secret.yaml needs useAPIServer');
    assert.ok((await names('secrets')).includes('secret/cilium-clustermesh'), 'clustermesh-secret.yaml needs only config.enabled');

    const noIngress = structuredClone(noMesh);
    noIngress.ingressController.enabled = false;
    await install(noIngress);
    assert.ok(!(await names('services')).includes('service/cilium-ingress'));
    assert.equal((await k(['get', 'ingressclass', 'cilium'])).code, 1, 'cilium-ingress-class.yaml needs ingressController.enabled');
    const config = JSON.parse(await ok(['get', 'configmap', 'cilium-config', '-n', 'kube-system', '-o', 'json'])).data;
    assert.equal(config['enable-ingress-controller'], 'false');
    const history = await labHelm.releaseHistory(port, await testPki(), 'kube-system', 'cilium');
    assert.deepEqual(history.map((r) => [r.version, r.info.status]), [[1, 'superseded'], [2, 'superseded'], [3, 'superseded'], [4, 'deployed']]);
  });
});

/**
 * helm 3 refuses to upgrade a release whose last revision is pending-* ("another operation
 * (install/upgrade/rollback) is in progress", pkg/action/upgrade.go prepareUpgrade); a run killed
 * between helm's pending record and its final one leaves exactly that. Only the run's successor
 * (apply, which knows from its journal when the interrupted run started) may take it over.
 */
describe('helm on the lab: a revision left pending by an interrupted run', () => {
  const bin = kubectlBinary('newest').path;
  let lab: TestLab;
  let cache: string;
  let port: number;
  const k = (args: string[], input?: string) => kubectl(bin, lab.kubeconfig, cache, ['--context', 'k8s-cilium-01', ...args], input);
  // as apply runs it: each run names itself in the pending revision; an interrupted one is named by the next
  const upgrade = async (now: number, takeOverSince?: number, interruptedRunner = 'meshwright apply pid 41') =>
    labHelm.upgradeInstall(port, await testPki(), { release: 'metrics-server', chart: 'metrics-server', namespace: 'kube-system', values: [{ args: ['--kubelet-insecure-tls'] }], now, runner: 'meshwright apply pid 41', ...(takeOverSince !== undefined ? { takeOver: { since: takeOverSince, runner: interruptedRunner } } : {}) });
  /** Rewrites revision `version` as helm leaves it when killed after recording it pending (status also in the Secret's label, as helm's storage driver writes it). */
  const leavePending = async (version: number, status: 'pending-install' | 'pending-upgrade') => {
    const name = `sh.helm.release.v1.metrics-server.v${version}`;
    const secret = JSON.parse((await k(['-n', 'kube-system', 'get', 'secret', name, '-o', 'json'])).stdout);
    const release = labHelm.decodeRelease(Buffer.from(secret.data.release, 'base64').toString());
    release.info.status = status;
    // helm's pending description, with the run that recorded it (as apply's runs name themselves)
    release.info.description = `${status === 'pending-install' ? 'Initial install underway' : 'Preparing upgrade'} (meshwright apply pid 41)`;
    secret.data.release = Buffer.from(labHelm.encodeRelease(release)).toString('base64');
    secret.metadata.labels.status = status;
    const r = await k(['replace', '-f', '-'], JSON.stringify(secret));
    assert.equal(r.code, 0, r.stderr);
  };
  const history = async () => (await labHelm.releaseHistory(port, await testPki(), 'kube-system', 'metrics-server')).map((r) => [r.version, r.info.status]);

  before(async () => {
    lab = await startTestLab(referenceLab());
    port = lab.lab.clusters[0]!.port;
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it('refuses a pending revision as helm does, unless the interrupted run that made it is the caller’s; then marks it failed and upgrades', async () => {
    const t0 = Date.now();
    await upgrade(t0);
    await upgrade(t0 + 1000);
    await leavePending(2, 'pending-upgrade');
    await assert.rejects(upgrade(t0 + 2000), /another operation \(install\/upgrade\/rollback\) is in progress/);
    // an interrupted run that started after the pending revision was recorded did not make it: someone else's helm holds it
    await assert.rejects(upgrade(t0 + 2000, t0 + 60_000), /another operation \(install\/upgrade\/rollback\) is in progress/);
    // nor did a run of another process (lab helm by hand, another apply): the revision names who recorded it
    await assert.rejects(upgrade(t0 + 2000, t0 + 500, 'meshwright apply pid 42'), /another operation \(install\/upgrade\/rollback\) is in progress/);
    const done = await upgrade(t0 + 2000, t0 + 500);
    assert.equal(done.version, 3);
    // v2 stays in the history as failed; v1, the deployed revision helm upgrades from, is superseded; one deployed revision
    assert.deepEqual(await history(), [[1, 'superseded'], [2, 'failed'], [3, 'deployed']]);
    const labels = JSON.parse((await k(['-n', 'kube-system', 'get', 'secrets', '-l', 'owner=helm,name=metrics-server,status=deployed', '-o', 'json'])).stdout);
    assert.deepEqual(labels.items.map((s: { metadata: { name: string } }) => s.metadata.name), ['sh.helm.release.v1.metrics-server.v3']);
  });

  it('takes over an interrupted first install too (pending-install, nothing deployed before)', async () => {
    const t0 = Date.now();
    await k(['-n', 'kube-system', 'delete', 'secrets', '-l', 'owner=helm,name=metrics-server']);
    await upgrade(t0);
    await leavePending(1, 'pending-install');
    const done = await upgrade(t0 + 1000, t0 - 100);
    assert.equal(done.version, 2);
    assert.deepEqual(await history(), [[1, 'failed'], [2, 'deployed']]);
  });
});

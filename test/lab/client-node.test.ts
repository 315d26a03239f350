import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import { startTestLab, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';

/** @kubernetes/client-node 1.4 (what `apply` will use) through its typed API, objects API and watch. */
describe('@kubernetes/client-node 1.4 against the lab', () => {
  let lab: TestLab;
  let kc: k8s.KubeConfig;
  before(async () => {
    lab = await startTestLab(referenceLab(), { bookmarkEveryMs: 200, retain: 20 });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    kc.setCurrentContext('k8s-cilium-02');
  });
  after(() => lab?.stop());

  it('reads nodes and creates, lists and deletes through the typed API', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const nodes = await core.listNode();
    assert.deepEqual(nodes.items.map((n) => [n.metadata!.name, n.status!.conditions!.find((c) => c.type === 'Ready')!.status]), [['k8s-cilium-02-cp', 'False'], ['k8s-cilium-02-wk01', 'False']]);
    await core.createNamespace({ body: { metadata: { name: 'typed' } } });
    await core.createNamespacedConfigMap({ namespace: 'typed', body: { metadata: { name: 'cfg', labels: { app: 'x' } }, data: { a: '1' } } });
    const listed = await core.listNamespacedConfigMap({ namespace: 'typed', labelSelector: 'app=x' });
    assert.deepEqual(listed.items.map((c) => c.metadata!.name), ['cfg']);
    assert.equal(listed.items[0]!.metadata!.annotations!['lab.meshwright.io/simulated'], 'true');
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const d = await apps.createNamespacedDeployment({
      namespace: 'typed',
      body: { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } },
    });
    assert.equal(d.spec!.replicas, 1, 'defaulted as the apiserver does');
    assert.equal(d.metadata!.generation, 1);
    await assert.rejects(core.readNamespacedPod({ namespace: 'typed', name: 'nope' }), (e: any) => e.code === 404 && JSON.parse(e.body).reason === 'NotFound');
    await assert.rejects(
      core.replaceNamespacedConfigMap({ namespace: 'typed', name: 'cfg', body: { metadata: { name: 'cfg', resourceVersion: '1' }, data: { a: '2' } } }),
      (e: any) => e.code === 409 && /the object has been modified/.test(JSON.parse(e.body).message),
    );
    await core.deleteNamespacedConfigMap({ namespace: 'typed', name: 'cfg' });
    assert.equal((await core.listNamespacedConfigMap({ namespace: 'typed' })).items.length, 0);
  });

  it('server-side applies through KubernetesObjectApi with field manager meshwright', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'default' }, data: { k: 'v' } };
    const first: k8s.KubernetesObject = await objects.patch(cm, undefined, undefined, 'meshwright', true, k8s.PatchStrategy.ServerSideApply);
    assert.equal(first.metadata!.managedFields![0]!.manager, 'meshwright');
    const second: k8s.KubernetesObject = await objects.patch({ ...cm, data: { k: 'w' } }, undefined, undefined, 'meshwright', true, k8s.PatchStrategy.ServerSideApply);
    assert.equal((second as k8s.V1ConfigMap).data!.k, 'w');
    assert.notEqual(second.metadata!.resourceVersion, first.metadata!.resourceVersion);
  });

  it('watches from a resourceVersion without missing an event, with bookmarks', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const start = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata!.resourceVersion!;
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before-watch' } } });
    const seen: string[] = [];
    let bookmarks = 0;
    const watch = new k8s.Watch(kc);
    const ac = await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: start, allowWatchBookmarks: true }, (type, obj) => (type === 'BOOKMARK' ? bookmarks++ : seen.push(`${type} ${obj.metadata.name}`)), () => undefined);
    await core.patchNamespacedConfigMap({ namespace: 'default', name: 'before-watch', body: { data: { x: '1' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'before-watch' });
    for (let i = 0; i < 40 && (seen.length < 3 || !bookmarks); i++) await sleep(50);
    ac.abort();
    assert.deepEqual(seen, ['ADDED before-watch', 'MODIFIED before-watch', 'DELETED before-watch']);
    assert.ok(bookmarks > 0, 'a bookmark arrived');
  });

  it('ends a watch from a compacted resourceVersion with 410 Expired, and the informer relists', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (let i = 0; i < 30; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `churn-${i}` } } });
    lab.lab.clusters.find((c) => c.name === 'k8s-cilium-02')!.api.store.compact();
    const events: Array<{ type: string; code?: number }> = [];
    let ended = false;
    const watch = new k8s.Watch(kc);
    await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: '2' }, (type, obj) => events.push({ type, code: obj.code }), () => (ended = true));
    for (let i = 0; i < 40 && !ended; i++) await sleep(50);
    assert.deepEqual(events, [{ type: 'ERROR', code: 410 }]);
    assert.ok(ended, 'the stream ends after the ERROR event');

    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'informed' } } });
    for (let i = 0; i < 40 && !informer.get('informed', 'default'); i++) await sleep(50);
    await informer.stop();
    assert.ok(informer.get('informed', 'default'), 'the informer cached the new object');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../../src/lab/api/status.js';
import { ClusterApi, LogStore } from '../../src/lab/index.js';

/** The API's semantics without HTTP: deletion (Kubernetes "Garbage Collection" and "Finalizers" docs), selectors. */
describe('cluster API semantics', () => {
  let dir: string;
  let api: ClusterApi;
  const def = (group: string, resource: string) => api.catalog.find(group, 'v1', resource)!;
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await sleep(10);
    assert.ok(check(), 'condition not reached');
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-service-'));
    api = new ClusterApi({ name: 'k8s-cilium-01', serviceCIDR: '10.233.0.0/18', kubernetesVersion: 'v1.30.4' }, LogStore.open(join(dir, 'store.log')));
    await api.writeSystem(def('', 'namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  });
  after(() => {
    api.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const owner = async (name: string) => (await api.create(def('', 'configmaps'), 'default', { metadata: { name } })).obj;
  const dependent = async (name: string, o: Record<string, any>) =>
    (await api.create(def('', 'configmaps'), 'default', { metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid, blockOwnerDeletion: true }] } })).obj;
  const exists = (name: string) => !!api.tryGet(def('', 'configmaps'), 'default', name);

  it('Background deletes the owner at once and its dependents after', async () => {
    const o = await owner('bg-owner');
    await dependent('bg-dep', o);
    await api.delete(def('', 'configmaps'), 'default', 'bg-owner', { propagationPolicy: 'Background' });
    assert.equal(exists('bg-owner'), false);
    await until(() => !exists('bg-dep'));
  });

  it('Orphan keeps the dependents and removes their owner reference', async () => {
    const o = await owner('or-owner');
    await dependent('or-dep', o);
    await api.delete(def('', 'configmaps'), 'default', 'or-owner', { propagationPolicy: 'Orphan' });
    assert.equal(exists('or-owner'), false);
    assert.equal(api.tryGet(def('', 'configmaps'), 'default', 'or-dep')!.metadata.ownerReferences, undefined);
  });

  it('Foreground keeps the owner, marked for deletion, until its dependents are gone', async () => {
    const o = await owner('fg-owner');
    await dependent('fg-dep', o);
    const marked = await api.delete(def('', 'configmaps'), 'default', 'fg-owner', { propagationPolicy: 'Foreground' });
    assert.ok(marked.metadata.deletionTimestamp);
    assert.deepEqual(marked.metadata.finalizers, ['foregroundDeletion']);
    await until(() => !exists('fg-dep') && !exists('fg-owner'));
  });

  it('a finalizer holds an object in deletion until it is removed', async () => {
    await api.create(def('', 'configmaps'), 'default', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const marked = await api.delete(def('', 'configmaps'), 'default', 'held');
    assert.ok(marked.metadata.deletionTimestamp);
    assert.ok(exists('held'));
    const cur = api.get(def('', 'configmaps'), 'default', 'held');
    await api.update(def('', 'configmaps'), 'default', 'held', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    assert.equal(exists('held'), false);
  });

  it('a deleted namespace is Terminating, refuses new objects, empties, then goes', async () => {
    const ns = def('', 'namespaces');
    await api.create(ns, '', { metadata: { name: 'doomed' } });
    await api.create(def('', 'configmaps'), 'doomed', { metadata: { name: 'inside' } });
    const terminating = await api.delete(ns, '', 'doomed');
    assert.equal(terminating.status.phase, 'Terminating');
    await assert.rejects(api.create(def('', 'configmaps'), 'doomed', { metadata: { name: 'late' } }), (e: unknown) => e instanceof ApiError && e.code === 403);
    await until(() => !api.tryGet(ns, '', 'doomed'));
    assert.equal(api.tryGet(def('', 'configmaps'), 'doomed', 'inside'), undefined);
  });

  it('dry runs change nothing and mint no revision', async () => {
    const rev = api.store.rev;
    await api.create(def('', 'configmaps'), 'default', { metadata: { name: 'dry' } }, { dryRun: true });
    assert.equal(exists('dry'), false);
    assert.equal(api.store.rev, rev);
  });

  it('selects by labels (set-based too) and supported fields, and refuses others as the apiserver does', async () => {
    for (const [name, tier] of [['sel-a', 'web'], ['sel-b', 'db'], ['sel-c', 'cache']]) await api.create(def('', 'configmaps'), 'default', { metadata: { name, labels: { tier: tier!, sel: 'yes' } } });
    const names = (labelSelector: string, fieldSelector?: string) => api.list(def('', 'configmaps'), 'default', { labelSelector, ...(fieldSelector ? { fieldSelector } : {}) }).items.map((o) => o.metadata.name);
    assert.deepEqual(names('sel=yes,tier in (web,db)'), ['sel-a', 'sel-b']);
    assert.deepEqual(names('sel=yes,tier!=web'), ['sel-b', 'sel-c']);
    assert.deepEqual(names('sel,!missing', 'metadata.name=sel-c'), ['sel-c']);
    assert.throws(() => names('sel', 'spec.nodeName=x'), (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'field label not supported: spec.nodeName');
  });
});

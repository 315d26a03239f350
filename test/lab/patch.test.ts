import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/lab/api/status.js';
import { BUILTIN_SCHEMAS } from '../../src/lab/api/catalog.js';
import { serverSideApply } from '../../src/lab/patch/apply.js';
import { jsonPatch } from '../../src/lab/patch/json-patch.js';
import { mergePatch } from '../../src/lab/patch/merge-patch.js';
import { strategicMergePatch } from '../../src/lab/patch/strategic.js';

const DEPLOYMENT = BUILTIN_SCHEMAS.resolve({ $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' });

// The deployment of the Kubernetes task "Update API Objects in Place Using kubectl patch"
// (kubernetes/website content/en/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch.md).
const patchDemo = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'patch-demo' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'patch-demo-ctr', image: 'nginx' }], tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }] },
    },
  },
});

describe('patches', () => {
  it('strategic merge adds a container by name, where a JSON merge patch replaces the list (the docs’ patch-file.yaml)', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } } };
    const smp = strategicMergePatch(BUILTIN_SCHEMAS, DEPLOYMENT, patchDemo(), patch) as any;
    assert.deepEqual(smp.spec.template.spec.containers.map((c: any) => c.name), ['patch-demo-ctr', 'patch-demo-ctr-2']);
    const merge = mergePatch(patchDemo(), patch) as any;
    assert.deepEqual(merge.spec.template.spec.containers.map((c: any) => c.name), ['patch-demo-ctr-2']);
  });

  it('strategic merge replaces lists without a merge strategy (the docs’ tolerations)', () => {
    const patch = { spec: { template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } } } };
    const smp = strategicMergePatch(BUILTIN_SCHEMAS, DEPLOYMENT, patchDemo(), patch) as any;
    assert.deepEqual(smp.spec.template.spec.tolerations, [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }]);
  });

  it('strategic merge honours $retainKeys (the docs’ switch to a Recreate strategy)', () => {
    const live = { ...patchDemo(), spec: { ...patchDemo().spec, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } };
    const smp = strategicMergePatch(BUILTIN_SCHEMAS, DEPLOYMENT, live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }) as any;
    assert.deepEqual(smp.spec.strategy, { type: 'Recreate' });
  });

  it('strategic merge deletes a container with $patch: delete and merges ports by containerPort', () => {
    const live = patchDemo();
    live.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    (live.spec.template.spec.containers[0] as any).ports = [{ containerPort: 80, protocol: 'TCP' }];
    const smp = strategicMergePatch(BUILTIN_SCHEMAS, DEPLOYMENT, live, {
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }, { name: 'patch-demo-ctr', ports: [{ containerPort: 443, protocol: 'TCP' }] }] } } },
    }) as any;
    assert.deepEqual(smp.spec.template.spec.containers.map((c: any) => c.name), ['patch-demo-ctr']);
    assert.deepEqual(smp.spec.template.spec.containers[0].ports.map((p: any) => p.containerPort), [80, 443]);
  });

  it('JSON patch applies RFC 6902 operations and refuses a failed test', () => {
    const out = jsonPatch({ a: [1, 2], b: 'x' }, [{ op: 'add', path: '/a/-', value: 3 }, { op: 'replace', path: '/b', value: 'y' }, { op: 'remove', path: '/a/0' }]);
    assert.deepEqual(out, { a: [2, 3], b: 'y' });
    assert.throws(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), (e: unknown) => e instanceof ApiError && e.code === 422);
  });
});

describe('server-side apply', () => {
  const ctx = (manager: string) => ({ set: BUILTIN_SCHEMAS, schema: DEPLOYMENT, manager, apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z' });
  const config = (replicas: number, image = 'nginx') => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  });

  it('records what a manager applied, with list items keyed as in fieldsV1', () => {
    const obj = serverSideApply(ctx('helm'), undefined, config(2), false);
    const entry = obj.metadata.managedFields[0];
    assert.equal(entry.manager, 'helm');
    assert.equal(entry.operation, 'Apply');
    assert.deepEqual(entry.fieldsV1['f:spec']['f:replicas'], {});
    assert.deepEqual(entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}'], { '.': {}, 'f:image': {}, 'f:name': {} });
  });

  it('refuses a different value for a field another manager owns, unless forced; an equal value is shared', () => {
    const live = serverSideApply(ctx('helm'), undefined, config(2), false);
    assert.throws(
      () => serverSideApply(ctx('kubectl'), live, config(3), false),
      (e: unknown) => e instanceof ApiError && e.code === 409 && e.message === 'Apply failed with 1 conflict: conflict with "helm": .spec.replicas',
    );
    const shared = serverSideApply(ctx('kubectl'), live, config(2), false);
    assert.deepEqual(shared.metadata.managedFields.map((m: any) => m.manager).sort(), ['helm', 'kubectl']);
    const forced = serverSideApply(ctx('kubectl'), live, config(3), true);
    assert.equal(forced.spec.replicas, 3);
    const helm = forced.metadata.managedFields.find((m: any) => m.manager === 'helm');
    assert.equal(helm.fieldsV1['f:spec']['f:replicas'], undefined, 'forcing takes the field from helm');
  });

  it('removes a field a manager stops applying when nobody else owns it', () => {
    const live = serverSideApply(ctx('helm'), undefined, { ...config(2), metadata: { name: 'web', labels: { team: 'a' } } }, false);
    const next = serverSideApply(ctx('helm'), live, config(2), false);
    assert.equal(next.metadata.labels?.team, undefined);
  });
});

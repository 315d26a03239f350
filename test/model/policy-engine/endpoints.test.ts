import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../../src/manifests/index.js';
import { buildPolicyEngine, endpointsFromObjects } from '../../../src/model/policy-engine/index.js';

const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web, pod-template-hash: abc}}
    spec:
      serviceAccountName: web
      containers: [{name: c, ports: [{name: http, containerPort: 8080}, {containerPort: 53, protocol: UDP}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: api-7d9f, namespace: shop, ownerReferences: [{kind: Deployment, name: api}]}
spec:
  replicas: 2
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec: {replicas: 2, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec: {template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c}]}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec: {parallelism: 2, template: {metadata: {labels: {app: migrate}}, spec: {containers: [{name: c}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop, labels: {app: debug}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: node-exporter, namespace: shop}
spec: {hostNetwork: true, containers: [{name: c}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: payments}}
`;

test('workloads expand into pods <workload>-<n>; a ReplicaSet owned by a Deployment stands for it', () => {
  const { objects } = parseManifestText('w.yaml', WORKLOADS);
  const eps = endpointsFromObjects(objects, ['c1']);
  assert.deepEqual(eps.map((e) => `${e.namespace}/${e.name} ${e.owner.kind}/${e.owner.name}`), [
    'shop/web-0 Deployment/web',
    'shop/web-1 Deployment/web',
    'shop/web-2 Deployment/web',
    'shop/api-7d9f-0 Deployment/api',
    'shop/api-7d9f-1 Deployment/api',
    'shop/db-0 StatefulSet/db',
    'shop/db-1 StatefulSet/db',
    'kube-system/agent-0 DaemonSet/agent',
    'shop/migrate-0 Job/migrate',
    'shop/migrate-1 Job/migrate',
    'shop/debug Pod/debug',
  ]);
  const web = eps[0]!;
  assert.equal(web.serviceAccount, 'web');
  assert.deepEqual(web.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);
  assert.deepEqual(endpointsFromObjects(objects, ['c1', 'c2']).filter((e) => e.name === 'debug').map((e) => e.cluster), ['c1', 'c2']);
});

test('identities: one per cluster and identity-label set, with Cilium\'s labels', () => {
  const { objects } = parseManifestText('w.yaml', WORKLOADS);
  const b = buildPolicyEngine({ objects, clusters: ['c1', 'c2'], options: { policyDefaultLocalCluster: false } });
  assert.equal(b.engine.identities.length, 12);
  const web = b.engine.identities.find((i) => i.cluster === 'c1' && i.endpoints[0]!.name === 'web-0')!;
  assert.equal(web.endpoints.length, 3);
  assert.equal(web.key, 'c1/shop/app=web/sa=web');
  assert.deepEqual(web.labels, {
    'k8s:app': 'web',
    'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'shop',
    'k8s:io.cilium.k8s.namespace.labels.team': 'payments',
    'k8s:io.cilium.k8s.policy.cluster': 'c1',
    'k8s:io.cilium.k8s.policy.serviceaccount': 'web',
    'k8s:io.kubernetes.pod.namespace': 'shop',
  });
  assert.ok(!b.engine.identities.some((i) => i.endpoints.some((e) => e.name === 'node-exporter')), 'host-network pods are not endpoints');
});

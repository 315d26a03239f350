import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../../src/manifests/index.js';
import { buildPolicyEngine } from '../../../src/model/policy-engine/index.js';
import { world } from './helpers.js';

const RAND = '[bcdfghjklmnpqrstvwxz2456789]';
const endpointsFromObjects = (objects: Parameters<typeof buildPolicyEngine>[0]['objects'], clusters: string[]) => buildPolicyEngine({ objects, clusters, options: { policyDefaultLocalCluster: false } }).endpoints;

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

test('workloads expand into pods named as their controllers name them; a ReplicaSet owned by a Deployment stands for it', () => {
  const { objects } = parseManifestText('w.yaml', WORKLOADS);
  const eps = endpointsFromObjects(objects, ['c1']);
  const shapes: [string, RegExp, string][] = [
    ['web', new RegExp(`^web-${RAND}{1,10}-${RAND}{5}$`), 'Deployment/web'],
    ['web', new RegExp(`^web-${RAND}{1,10}-${RAND}{5}$`), 'Deployment/web'],
    ['web', new RegExp(`^web-${RAND}{1,10}-${RAND}{5}$`), 'Deployment/web'],
    ['api', new RegExp(`^api-7d9f-${RAND}{5}$`), 'Deployment/api'],
    ['api', new RegExp(`^api-7d9f-${RAND}{5}$`), 'Deployment/api'],
    ['db', /^db-0$/, 'StatefulSet/db'],
    ['db', /^db-1$/, 'StatefulSet/db'],
    ['agent', new RegExp(`^agent-${RAND}{5}$`), 'DaemonSet/agent'],
    ['migrate', new RegExp(`^migrate-${RAND}{5}$`), 'Job/migrate'],
    ['migrate', new RegExp(`^migrate-${RAND}{5}$`), 'Job/migrate'],
    ['debug', /^debug$/, 'Pod/debug'],
  ];
  assert.equal(eps.length, shapes.length, eps.map((e) => e.name).join(', '));
  eps.forEach((e, i) => {
    assert.match(e.name, shapes[i]![1]);
    assert.equal(`${e.owner.kind}/${e.owner.name}`, shapes[i]![2]);
  });
  assert.equal(new Set(eps.map((e) => e.name)).size, eps.length, 'pod names are distinct');
  const web = eps[0]!;
  assert.equal(web.serviceAccount, 'web');
  assert.deepEqual(web.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);
  assert.deepEqual(endpointsFromObjects(objects, ['c1', 'c2']).filter((e) => e.name === 'debug').map((e) => e.cluster), ['c1', 'c2']);
});

test('identities: one per cluster and identity-label set, with Cilium\'s labels', () => {
  const { objects } = parseManifestText('w.yaml', WORKLOADS);
  const b = buildPolicyEngine({ objects, clusters: ['c1', 'c2'], options: { policyDefaultLocalCluster: false } });
  assert.equal(b.engine.identities.length, 12);
  const web = b.engine.identities.find((i) => i.cluster === 'c1' && i.endpoints[0]!.owner.name === 'web')!;
  assert.equal(web.endpoints.length, 3);
  assert.equal(web.key, 'c1/shop/app=web/sa=web');
  // Keys as policy matrix -o json prints them: identity labels sorted and joined, the service account only when not default;
  // labels Cilium drops (pod-template-hash, controller-uid, batch.kubernetes.io/controller-uid) split nothing.
  // batch.kubernetes.io/job-name is kept: no default pattern starts it (patterns are anchored at the key's start).
  assert.deepEqual(b.engine.identities.filter((i) => i.cluster === 'c1').map((i) => [i.key, i.endpoints.length]), [
    ['c1/shop/app=web/sa=web', 3],
    ['c1/shop/app=api', 2],
    ['c1/shop/app=db', 2],
    ['c1/kube-system/app=agent', 1],
    ['c1/shop/app=migrate,batch.kubernetes.io/job-name=migrate,job-name=migrate', 2],
    ['c1/shop/app=debug', 1],
  ]);
  // Labels are a set: the order they are written in makes no second identity.
  const twoOrders = 'apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: {tier: web, app: shop}}\nspec: {containers: [{name: c}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: y, labels: {app: shop, tier: web}}\nspec: {containers: [{name: c}]}\n';
  assert.deepEqual(world(twoOrders).build.engine.identities.map((i) => [i.key, i.endpoints.length]), [['c1/default/app=shop,tier=web', 2]]);
  assert.deepEqual(Object.keys(web.labels), Object.keys(web.labels).sort(), 'listed in order, as cilium identity list prints them');
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

test('a manifest read for every cluster says each thing once; pods that have finished (Succeeded, Failed) are no endpoints', () => {
  const text = 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: web, namespace: shop}\nspec: {replicas: "1", template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}\n' +
    '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec: {replicas: "1", template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}}\n';
  const b = world(text, ['c1', 'c2']).build;
  assert.deepEqual(b.diagnostics.map((d) => [d.code, d.file, d.start?.line]), [['UNKNOWN_KIND', 'all.yaml', 2], ['FIELD_TYPE', 'all.yaml', 4], ['FIELD_TYPE', 'all.yaml', 9]]);
  assert.deepEqual(b.endpoints.map((e) => [e.cluster, e.owner.name]), [['c1', 'web'], ['c1', 'api'], ['c2', 'web'], ['c2', 'api']]);
  // A live snapshot: a Job's finished pods keep their objects (and labels) but hold no address.
  const pod = (name: string, phase: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: batch, labels: {job-name: report}}\nspec: {nodeName: wk1, containers: [{name: c}]}\nstatus: {phase: ${phase}, podIP: 10.1.0.${name.length}}\n---\n`;
  const live = parseManifestText('live.yaml', pod('done', 'Succeeded') + pod('crashed', 'Failed') + pod('running', 'Running') + pod('waiting', 'Pending'), 'c1').objects;
  assert.deepEqual(endpointsFromObjects(live, ['c1']).map((e) => e.name), ['running', 'waiting']);
});

test('host-network pods: one warning per cluster naming six and counting the rest, in the plural; nodes from Node objects and from the platform', () => {
  const hostPod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: agent-${i}, namespace: kube-system}\nspec: {hostNetwork: true, nodeName: wk1, containers: [{name: c}]}\n---\n`;
  const node = (name: string, labels: string, addresses: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}, labels: {${labels}}}\nstatus: {addresses: [${addresses}]}\n---\n`;
  const text = [1, 2, 3, 4, 5, 6, 7, 8].map(hostPod).join('') +
    node('old-master', '"node-role.kubernetes.io/master": ""', '{type: InternalIP, address: 172.26.0.141}, {type: Hostname, address: old-master}, {type: ExternalIP, address: 198.51.100.1}') +
    node('wk1', 'kubernetes.io/os: linux', '{type: InternalIP, address: 172.26.0.142}') +
    'apiVersion: v1\nkind: Node\nmetadata: {name: new}\n---\n' +
    // An empty `status:` (null) and `labels:` as a template leaves them: no addresses, no labels, no crash.
    'apiVersion: v1\nkind: Node\nmetadata:\n  name: blank\n  labels:\nstatus:\n---\n' +
    'apiVersion: v1\nkind: Node\nmetadata: {name: gaps}\nstatus: {addresses: [null, {type: InternalIP, address: 172.26.0.144}]}\n---\n';
  const given = new Map([['c1', [{ cluster: 'c1', name: 'wk1', addresses: ['10.9.9.9'], controlPlane: false }, { cluster: 'c1', name: 'wk2', addresses: ['172.26.0.143'], controlPlane: false }]]]);
  const b = buildPolicyEngine({ objects: parseManifestText('all.yaml', text, 'c1').objects, clusters: ['c1', 'c2'], options: { policyDefaultLocalCluster: false }, nodeAddresses: given });
  const warnings = b.diagnostics.filter((d) => d.code === 'POLICY_HOST_NETWORK').map((d) => d.message);
  assert.deepEqual(b.diagnostics.filter((d) => d.code === 'POLICY_HOST_NETWORK').map((d) => d.hint), ['to police them, use a host policy (nodeSelector), or drop hostNetwork so they get an endpoint of their own']);
  assert.deepEqual(warnings, ["cluster c1: kube-system/agent-1 (node wk1), kube-system/agent-2 (node wk1), kube-system/agent-3 (node wk1), kube-system/agent-4 (node wk1), kube-system/agent-5 (node wk1), kube-system/agent-6 (node wk1) and 2 more use the host network: Cilium gives their traffic the node's identity (host on that node, remote-node elsewhere), so pod policies do not select them; shown as node:NAME"]);
  // The snapshot's Node objects win over the platform's entry of the same name; a node only the platform knows is added.
  assert.deepEqual(b.nodes.map((n) => [n.cluster, n.name, n.addresses, n.controlPlane]), [['c1', 'old-master', ['172.26.0.141', '198.51.100.1'], true], ['c1', 'wk1', ['172.26.0.142'], false], ['c1', 'new', [], false], ['c1', 'blank', [], false], ['c1', 'gaps', ['172.26.0.144'], false], ['c1', 'wk2', ['172.26.0.143'], false]]);
});

test('live pods: a static pod (owned by its Node) is its own workload, a ReplicaSet\'s pod is the ReplicaSet\'s; a namespace without a Namespace object still has its name label', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}, ownerReferences: [{apiVersion: v1, kind: Node, name: cp1, uid: n1, controller: true}]}
spec: {nodeName: cp1, containers: [{name: c}]}
status: {phase: Running, podIP: 10.1.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: web-5b6bc58dd7-7wh77, namespace: shop, labels: {app: web, pod-template-hash: 5b6bc58dd7}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5b6bc58dd7, uid: r1, controller: true}]}
spec: {nodeName: wk1, containers: [{name: c}]}
status: {phase: Running, podIP: 10.1.0.6}
`;
  const b = world({ c1: text }).build;
  assert.deepEqual(b.endpoints.map((e) => [e.name, e.workload]), [['kube-apiserver-cp1', { kind: 'Pod', name: 'kube-apiserver-cp1' }], ['web-5b6bc58dd7-7wh77', { kind: 'ReplicaSet', name: 'web-5b6bc58dd7' }]]);
  // No Namespace objects in the snapshot: each pod's namespace still carries kubernetes.io/metadata.name, as the API server sets it.
  assert.equal(b.engine.identities.find((i) => i.namespace === 'shop')!.labels['k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name'], 'shop');
});

test('namespace labels: numbers read as their text, empty and nested values left out (the API server refuses them; the rest still selects)', () => {
  const text = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: payments, tier: 2, owner: null, nested: {a: b}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c}]}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: bare}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: templated\n  labels:\n';
  const b = world(text).build;
  const ns = Object.entries(b.engine.identities[0]!.labels).filter(([k]) => k.startsWith('k8s:io.cilium.k8s.namespace.labels.'));
  assert.deepEqual(ns, [
    ['k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name', 'shop'],
    ['k8s:io.cilium.k8s.namespace.labels.team', 'payments'],
    ['k8s:io.cilium.k8s.namespace.labels.tier', '2'],
  ]);
});

test("a DaemonSet is one endpoint per node of its cluster, from the platform's nodes when the manifests hold no Node objects", () => {
  const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: log-shipper, namespace: logging}\nspec:\n  selector: {matchLabels: {app: log-shipper}}\n  template:\n    metadata: {labels: {app: log-shipper}}\n    spec: {containers: [{name: fluent-bit, image: fluent/fluent-bit:3.1}]}\n';
  const worker = (name: string) => ({ name, labels: { 'kubernetes.io/hostname': name }, taints: [] });
  const nodes = new Map([['east', [worker('east-1'), worker('east-2'), worker('east-3')]], ['west', [worker('west-1')]]]);
  const b = buildPolicyEngine({ objects: parseManifestText('ds.yaml', ds).objects, clusters: ['east', 'west'], options: { policyDefaultLocalCluster: false }, nodes });
  // The DaemonSet controller makes a pod per eligible node (pkg/controller/daemon); each is an endpoint on that node.
  assert.deepEqual(b.endpoints.map((e) => [e.cluster, e.node]), [['east', 'east-1'], ['east', 'east-2'], ['east', 'east-3'], ['west', 'west-1']]);
});

test('findings about workloads: each object\'s once across clusters, even when two objects or two files say the same words; each cluster\'s own once per cluster', () => {
  const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      nodeSelector: {disktype: ssd}\n      containers: [{name: app, image: nginx:1.27}]\n---\n`;
  const objects = [...parseManifestText('shop.yaml', deployment('web') + deployment('api')).objects, ...parseManifestText('db.yaml', deployment('db')).objects];
  const worker = (name: string) => ({ name, labels: { 'kubernetes.io/hostname': name }, taints: [] });
  const b = buildPolicyEngine({ objects, clusters: ['east', 'west'], options: { policyDefaultLocalCluster: false }, nodes: new Map([['east', [worker('east-1')]], ['west', [worker('west-1')]]]) });
  const typo = 'kind Deploymnet does not exist: kubectl apply refuses it; read as Deployment, which it evidently means';
  const pending = (cluster: string, name: string) => `no node of cluster ${cluster} can run Deployment shop/${name}: its pods stay Pending and are not ready`;
  assert.deepEqual(b.diagnostics.map((d) => [d.file, d.code, d.message]), [
    // The same words about three objects in two files: three findings, though each object is read for both clusters.
    ['shop.yaml', 'UNKNOWN_KIND', typo],
    ['shop.yaml', 'UNKNOWN_KIND', typo],
    ['db.yaml', 'UNKNOWN_KIND', typo],
    // No node has disktype=ssd: said for each cluster, at the same place of the same object.
    ...['east', 'west'].flatMap((c) => [['shop.yaml', 'UNSCHEDULABLE', pending(c, 'web')], ['shop.yaml', 'UNSCHEDULABLE', pending(c, 'api')], ['db.yaml', 'UNSCHEDULABLE', pending(c, 'db')]]),
  ]);
});

test('host-network pods: six are all named, without a node when the manifest gives none', () => {
  const hostPod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: agent-${i}, namespace: kube-system}\nspec: {hostNetwork: true, containers: [{name: c}]}\n---\n`;
  const b = buildPolicyEngine({ objects: parseManifestText('all.yaml', [1, 2, 3, 4, 5, 6].map(hostPod).join(''), 'c1').objects, clusters: ['c1'], options: { policyDefaultLocalCluster: false } });
  const warnings = b.diagnostics.filter((d) => d.code === 'POLICY_HOST_NETWORK').map((d) => d.message.split(' use the host network')[0]);
  assert.deepEqual(warnings, ['kube-system/agent-1, kube-system/agent-2, kube-system/agent-3, kube-system/agent-4, kube-system/agent-5, kube-system/agent-6'], 'one cluster: not named');
});

test('host-network pods: one is "it", in the singular, with the hint to police it', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: node-exporter, namespace: monitoring}\nspec: {hostNetwork: true, nodeName: wk1, containers: [{name: c}]}\n';
  const b = buildPolicyEngine({ objects: parseManifestText('all.yaml', text, 'c1').objects, clusters: ['c1'], options: { policyDefaultLocalCluster: false } });
  assert.deepEqual(b.diagnostics.map((d) => [d.code, d.message, d.hint]), [['POLICY_HOST_NETWORK', "monitoring/node-exporter (node wk1) uses the host network: Cilium gives its traffic the node's identity (host on that node, remote-node elsewhere), so pod policies do not select it; shown as node:NAME", 'to police it, use a host policy (nodeSelector), or drop hostNetwork so it gets an endpoint of its own']]);
});

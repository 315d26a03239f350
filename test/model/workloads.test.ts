/**
 * The workload model (src/model/pods.ts and below): objects and nodes in, pods out. Expected
 * numbers come from the Kubernetes documentation of each controller, written out by hand:
 * - a Deployment's pods are <deployment>-<pod-template-hash>-<5 random>, owned by its ReplicaSet
 *   (concepts/workloads/controllers/deployment), a StatefulSet's <name>-<ordinal>
 *   (statefulset "Pod Identity"), a Job runs min(parallelism, completions) pods at once (job
 *   "Parallel execution"), a CronJob none of its own;
 * - a DaemonSet runs one pod on every node whose taints it tolerates and that its nodeSelector
 *   and node affinity admit (daemonset "How Daemon Pods are scheduled", taint-and-toleration);
 *   its pods tolerate node.kubernetes.io/unschedulable, so they run on cordoned nodes;
 * - a Service counts a pod as a ready endpoint when its Ready condition is True and it is not
 *   being deleted (services-networking/endpoint-slices "Conditions").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { BackendIndex, clusterView, kubesprayNodes, podGroups, workloadPods, Findings, type ClusterNode, type ModelPod } from '../../src/model/index.js';
import { REPO_ROOT } from '../helpers/golden.js';

const LIVE = 'test/fixtures/live';
const RAND = '[bcdfghjklmnpqrstvwxz2456789]';

/** The reference lab's cluster 1 as Kubespray v2.26.0 leaves it: a tainted control plane and one worker. */
const LAB_NODES = kubesprayNodes({ nodes: [{ name: 'k8s-cilium-01-cp', address: '172.26.0.141', role: 'control-plane' }, { name: 'k8s-cilium-01-wk01', address: '172.26.0.142', role: 'worker' }] });

function objectsOf(file: string, text = readFileSync(join(REPO_ROOT, file), 'utf8')) {
  const r = parseManifestText(file, text);
  assert.deepEqual(r.diagnostics, []);
  return r.objects;
}

function pods(text: string, nodes?: readonly ClusterNode[]): { pods: ModelPod[]; codes: string[] } {
  const r = workloadPods({ objects: objectsOf('w.yaml', text), ...(nodes ? { nodes } : {}), cluster: 'c1' });
  return { pods: r.pods, codes: r.diagnostics.map((d) => d.code) };
}

const daemonSet = (extra = '') => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: monitoring}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      containers: [{name: agent, image: quay.io/prometheus/node-exporter:v1.8.2}]
${extra}`;

describe('a live snapshot: pods matched to their owners, counted once', () => {
  test('a Deployment listed with its ReplicaSet and its 2 pods is 2 pods, not 4 or 6', () => {
    const r = workloadPods({ objects: objectsOf(`${LIVE}/cluster1-rebel-base.yaml`), nodes: LAB_NODES });
    assert.deepEqual(r.pods.map((p) => [p.name, p.origin, p.ready, p.node]), [
      ['rebel-base-6b8f9c4d7-4xk2p', 'live', true, 'k8s-cilium-01-wk01'],
      ['rebel-base-6b8f9c4d7-m9zq7', 'live', true, 'k8s-cilium-01-wk01'],
    ]);
    assert.deepEqual(r.pods[0]!.owners, [{ kind: 'ReplicaSet', name: 'rebel-base-6b8f9c4d7' }, { kind: 'Deployment', name: 'rebel-base' }]);
    assert.deepEqual(r.pods[0]!.ports, [{ port: 80, protocol: 'TCP' }]);
  });

  test('a PodList: Ready True counts; not Ready, being deleted, Pending and Failed do not', () => {
    const r = workloadPods({ objects: objectsOf(`${LIVE}/cluster2-pods.yaml`) });
    assert.deepEqual(r.pods.map((p) => [p.name.slice(-5), p.phase, p.ready, p.terminating, p.node ?? null]), [
      ['2hxvn', 'Running', true, false, 'k8s-cilium-02-wk01'],
      ['8kq4t', 'Running', false, false, 'k8s-cilium-02-wk01'],
      ['fz6wd', 'Running', false, true, 'k8s-cilium-02-wk01'],
      ['xv7jm', 'Pending', false, false, null],
      ['q2wcz', 'Failed', false, false, 'k8s-cilium-02-wk01'],
    ]);
    // The ReplicaSet is not in the snapshot: its name, <deployment>-<pod-template-hash>, names the Deployment.
    assert.deepEqual(r.pods[0]!.owners, [{ kind: 'ReplicaSet', name: 'rebel-base-7c9d5f8b4' }, { kind: 'Deployment', name: 'rebel-base' }]);
  });

  test('Deployments given without pods (JSON): their status says how many exist and are ready', () => {
    const r = workloadPods({ objects: objectsOf(`${LIVE}/cluster2-deployments.json`), nodes: LAB_NODES });
    const of = (owner: string) => r.pods.filter((p) => p.owners.at(-1)!.name === owner);
    assert.equal(of('rebel-base').length, 3, 'status.replicas: 3');
    assert.equal(of('rebel-base').filter((p) => p.ready).length, 1, 'status.readyReplicas: 1');
    assert.equal(of('x-wing').length, 2);
    assert.equal(of('x-wing').filter((p) => p.ready).length, 0, 'readyReplicas left out of the status means none is ready');
  });

  test('a ReplicaSet whose owner reference carries another uid belongs to an older Deployment: the given one is expanded', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: 11111111-2222-4333-8444-555555555555}
spec:
  replicas: 3
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d9c7b6f8
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: 99999999-2222-4333-8444-555555555555, controller: true}]
spec:
  replicas: 1
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
`;
    assert.equal(pods(text, LAB_NODES).pods.length, 4);
  });

  test('a hand-written single owner reference without controller: true is still the controller', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 5
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: nginx}]}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: api-7d9f, namespace: shop, ownerReferences: [{kind: Deployment, name: api}]}
spec:
  replicas: 2
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: nginx}]}}
`;
    const r = pods(text, LAB_NODES);
    assert.equal(r.pods.length, 2);
    assert.ok(r.pods.every((p) => new RegExp(`^api-7d9f-${RAND}{5}$`).test(p.name)));
  });
});

describe('manifests: the pods the controllers will make', () => {
  test('a Deployment: <name>-<pod-template-hash>-<5>, owned by its ReplicaSet, the hash as a label', () => {
    const r = pods(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080, name: http}]}]}}
`, LAB_NODES);
    assert.equal(r.pods.length, 3);
    const [p] = r.pods;
    const hash = p!.labels['pod-template-hash']!;
    assert.match(hash, new RegExp(`^${RAND}{1,10}$`));
    assert.match(p!.name, new RegExp(`^web-${hash}-${RAND}{5}$`));
    assert.deepEqual(p!.owners, [{ kind: 'ReplicaSet', name: `web-${hash}` }, { kind: 'Deployment', name: 'web' }]);
    assert.equal(new Set(r.pods.map((x) => x.name)).size, 3);
    assert.ok(r.pods.every((x) => x.node === 'k8s-cilium-01-wk01' && x.ready), 'not on the tainted control plane');
    assert.deepEqual(Object.keys(p!.labels).sort(), ['app', 'pod-template-hash'], 'no StatefulSet labels on a Deployment\'s pods');
  });

  test('a StatefulSet: <name>-0 … <name>-2, each with its pod-name label', () => {
    const r = pods(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ledger, namespace: payments}
spec:
  replicas: 3
  serviceName: ledger
  template: {metadata: {labels: {app: ledger}}, spec: {containers: [{name: db, image: postgres:16}]}}
`);
    assert.deepEqual(r.pods.map((p) => [p.name, p.labels['statefulset.kubernetes.io/pod-name']]), [['ledger-0', 'ledger-0'], ['ledger-1', 'ledger-1'], ['ledger-2', 'ledger-2']]);
    // The StatefulSet owns its pods directly (no ReplicaSet between).
    assert.deepEqual(r.pods[0]!.owners, [{ kind: 'StatefulSet', name: 'ledger' }]);
  });

  test('Jobs run min(parallelism, completions) pods at once; a CronJob none until it fires', () => {
    const job = (name: string, spec: string) => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: ${name}}\nspec:\n${spec}  template: {metadata: {labels: {job: ${name}}}, spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}\n---\n`;
    // Without completions (or completions: null) a Job is a work queue: parallelism pods run at once.
    const r = pods(`${job('a', '  parallelism: 2\n  completions: 5\n')}${job('b', '  parallelism: 3\n  completions: 2\n')}${job('c', '')}${job('queue', '  parallelism: 3\n')}${job('queue-null', '  parallelism: 3\n  completions: null\n')}apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 2 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: c, image: busybox}]}}}}
`);
    const count = (n: string) => r.pods.filter((p) => p.owners[0]!.name === n).length;
    assert.deepEqual([count('a'), count('b'), count('c'), count('queue'), count('queue-null'), count('nightly')], [2, 2, 1, 3, 3, 0]);
    assert.equal(r.pods[0]!.labels['job-name'], 'a');
  });

  test('a bare Pod keeps its name; hostNetwork and a given nodeName are recorded', () => {
    const r = pods(`apiVersion: v1
kind: Pod
metadata: {name: node-probe, namespace: kube-system, labels: {app: probe}}
spec:
  hostNetwork: true
  nodeName: k8s-cilium-01-cp
  containers: [{name: probe, image: busybox}]
`, LAB_NODES);
    assert.deepEqual(r.pods.map((p) => [p.name, p.hostNetwork, p.node, p.owners.length, p.ready]), [['node-probe', true, 'k8s-cilium-01-cp', 0, true]]);
  });

  test('replicas no node will take (a nodeSelector nothing has) stay Pending, not ready, said out loud', () => {
    const r = pods(`apiVersion: apps/v1
kind: Deployment
metadata: {name: gpu-job, namespace: ml}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: gpu}}
    spec: {nodeSelector: {nvidia.com/gpu: "true"}, containers: [{name: c, image: cuda}]}
`, LAB_NODES);
    assert.deepEqual(r.pods.map((p) => [p.ready, p.node ?? null, p.phase]), [[false, null, 'Pending'], [false, null, 'Pending']]);
    assert.deepEqual(r.codes, ['UNSCHEDULABLE']);
  });
});

describe('DaemonSets: one pod per node that takes it (Kubespray v2.26.0 taints the control plane)', () => {
  const onNodes = (text: string, nodes: readonly ClusterNode[] = LAB_NODES) => pods(text, nodes).pods.map((p) => p.node);

  test('no toleration: the worker only', () => {
    assert.deepEqual(onNodes(daemonSet()), ['k8s-cilium-01-wk01']);
  });

  test('a pod keeps its name when a node joins: each name is drawn from its node, not its place in the list', () => {
    const wk = (name: string, address: string) => ({ name, address, role: 'worker' as const });
    const named = (nodes: ReturnType<typeof wk>[]) => new Map(pods(daemonSet(), kubesprayNodes({ nodes })).pods.map((p) => [p.node, p.name]));
    const before = named([wk('wk-b', '10.0.0.2'), wk('wk-c', '10.0.0.3')]);
    const after = named([wk('wk-a', '10.0.0.1'), wk('wk-b', '10.0.0.2'), wk('wk-c', '10.0.0.3')]);
    assert.deepEqual([after.get('wk-b'), after.get('wk-c')], [before.get('wk-b'), before.get('wk-c')]);
    assert.equal(new Set(after.values()).size, 3);
  });

  test('tolerating node-role.kubernetes.io/control-plane:NoSchedule: both nodes', () => {
    assert.deepEqual(onNodes(daemonSet('      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n')), ['k8s-cilium-01-cp', 'k8s-cilium-01-wk01']);
  });

  test('operator Exists without a key tolerates every taint; a toleration for another effect does not help', () => {
    assert.deepEqual(onNodes(daemonSet('      tolerations: [{operator: Exists}]\n')), ['k8s-cilium-01-cp', 'k8s-cilium-01-wk01']);
    assert.deepEqual(onNodes(daemonSet('      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoExecute}]\n')), ['k8s-cilium-01-wk01']);
    assert.deepEqual(onNodes(daemonSet('      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Equal, value: "x", effect: NoSchedule}]\n')), ['k8s-cilium-01-wk01'], 'Equal compares the value, and the taint has none');
  });

  test('a nodeSelector on the control-plane label with the toleration: the control plane only', () => {
    const spec = '      nodeSelector: {node-role.kubernetes.io/control-plane: ""}\n      tolerations: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule, operator: Exists}]\n';
    assert.deepEqual(onNodes(daemonSet(spec)), ['k8s-cilium-01-cp']);
  });

  test('required node affinity NotIn the worker: the tainted control plane is left, so no pod at all', () => {
    const spec = '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: NotIn, values: [k8s-cilium-01-wk01]}]}]\n';
    const r = pods(daemonSet(spec), LAB_NODES);
    assert.deepEqual(r.pods, []);
    assert.deepEqual(r.codes, ['UNSCHEDULABLE']);
  });

  test('a cluster without workers: Kubespray leaves its control plane untainted (it is also in kube_node)', () => {
    const single = kubesprayNodes({ nodes: [{ name: 'solo', address: '10.0.0.1', role: 'control-plane' }] });
    assert.deepEqual(onNodes(daemonSet(), single), ['solo']);
  });

  test('without known nodes a DaemonSet is one pod, on no node in particular', () => {
    assert.deepEqual(pods(daemonSet()).pods.map((p) => p.node), [undefined]);
  });

  test("a snapshot's Node objects win: a cordoned node still runs daemons, a dedicated=gpu:NoSchedule one does not", () => {
    const nodes = `${readFileSync(join(REPO_ROOT, LIVE, 'nodes-cordoned-gpu.yaml'), 'utf8')}---\n`;
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}\n---\n';
    const r = pods(nodes + deployment + daemonSet(), LAB_NODES);
    assert.deepEqual(r.pods.filter((p) => p.owners.at(-1)!.kind === 'DaemonSet').map((p) => p.node), ['wk-1', 'wk-2']);
    assert.deepEqual(r.pods.filter((p) => p.owners.at(-1)!.kind === 'Deployment').map((p) => p.node), ['wk-1', 'wk-1', 'wk-1'], 'a Deployment avoids the cordoned node');
  });
});

describe('counting without listing: BackendIndex agrees with the pods listed', () => {
  const files = [`${LIVE}/cluster1-rebel-base.yaml`, `${LIVE}/cluster2-pods.yaml`, `${LIVE}/cluster2-deployments.json`];
  for (const file of files) {
    test(`${file}: ready pods labelled name=rebel-base, counted both ways`, () => {
      const objects = objectsOf(file);
      const listed = workloadPods({ objects, nodes: LAB_NODES }).pods.filter((p) => p.labels.name === 'rebel-base');
      const counted = new BackendIndex(podGroups(objects, new Findings())).backends('default', { name: 'rebel-base' }, clusterView('c1', LAB_NODES));
      assert.equal(counted.ready, listed.filter((p) => p.ready).length);
      assert.equal(counted.pods, listed.length);
    });
  }

  test('hand counts: 2 ready of 2, 1 ready of 5, 1 ready of 3', () => {
    const ready = files.map((f) => new BackendIndex(podGroups(objectsOf(f), new Findings())).backends('default', { name: 'rebel-base' }, clusterView('c1', LAB_NODES)).ready);
    assert.deepEqual(ready, [2, 1, 1]);
  });

  test('publishNotReadyAddresses: every running pod is an endpoint, ready or not (not the Pending one)', () => {
    const b = new BackendIndex(podGroups(objectsOf(`${LIVE}/cluster2-pods.yaml`), new Findings()));
    assert.equal(b.backends('default', { name: 'rebel-base' }, clusterView('c2', LAB_NODES), true).ready, 3);
  });

  test('a selector on a StatefulSet pod name picks that one pod', () => {
    const objects = objectsOf('s.yaml', 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 3\n  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: postgres}]}}\n');
    const b = new BackendIndex(podGroups(objects, new Findings()));
    const view = clusterView('c1', LAB_NODES);
    assert.equal(b.backends('default', { 'statefulset.kubernetes.io/pod-name': 'db-1', app: 'db' }, view).ready, 1);
    assert.equal(b.backends('default', { 'statefulset.kubernetes.io/pod-name': 'db-3', app: 'db' }, view).ready, 0);
    assert.equal(b.backends('default', { app: 'db' }, view).ready, 3);
    assert.equal(b.backends('default', {}, view).ready, 0, 'an empty selector selects nothing of its own');
  });
});

describe('live controllers given without their pods: their status', () => {
  const status = (kind: string, apiVersion: string, spec: string, st: string) => pods(`apiVersion: ${apiVersion}
kind: ${kind}
metadata: {name: w, namespace: ops, generation: 4}
spec:
${spec}  template: {metadata: {labels: {app: w}}, spec: {serviceAccount: legacy-sa, containers: [{name: c, image: busybox}]}}
status: ${st}
`, LAB_NODES).pods;

  test('a DaemonSet: currentNumberScheduled pods, numberReady of them ready', () => {
    const p = status('DaemonSet', 'apps/v1', '', '{currentNumberScheduled: 3, desiredNumberScheduled: 3, numberReady: 2, numberAvailable: 2, observedGeneration: 4}');
    assert.deepEqual([p.length, p.filter((x) => x.ready).length], [3, 2]);
    assert.equal(p[0]!.labels['pod-template-generation'], '4', 'the DaemonSet controller labels pods with the template generation');
    assert.equal(p[0]!.serviceAccount, 'legacy-sa', 'the deprecated serviceAccount field still names it');
  });

  test('a Job: active pods, status.ready of them ready', () => {
    const p = status('Job', 'batch/v1', '  parallelism: 4\n', '{active: 2, ready: 1, startTime: "2025-01-14T09:00:00Z"}');
    assert.deepEqual([p.length, p.filter((x) => x.ready).length], [2, 1]);
  });

  test('a StatefulSet: replicas and readyReplicas', () => {
    const p = status('StatefulSet', 'apps/v1', '  replicas: 3\n', '{replicas: 3, readyReplicas: 2, currentReplicas: 3}');
    assert.deepEqual(p.map((x) => [x.name, x.ready]), [['w-0', true], ['w-1', true], ['w-2', false]]);
    assert.match(p[0]!.labels['controller-revision-hash']!, /^w-[456789bcdf]+$/);
  });

  test('status: {} (a manifest with an empty status) is read as a manifest', () => {
    const p = status('Deployment', 'apps/v1', '  replicas: 2\n', '{}');
    assert.deepEqual(p.map((x) => x.ready), [true, true]);
  });

  test('a live Pod without a Ready condition, or Ready "False", is not ready; Ready "True" while Pending is not either', () => {
    const text = ['Running', 'Pending'].flatMap((phase) => ['[]', '[{type: Ready, status: "False"}]', '[{type: Ready, status: "True"}]'].map((c, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p-${phase.toLowerCase()}-${i}}\nspec: {containers: [{name: c, image: busybox}]}\nstatus: {phase: ${phase}, conditions: ${c}}\n`)).join('---\n');
    assert.deepEqual(pods(text).pods.map((p) => [p.name, p.ready]), [['p-running-0', false], ['p-running-1', false], ['p-running-2', true], ['p-pending-0', false], ['p-pending-1', false], ['p-pending-2', false]]);
  });

  test('each of the five phases of core/v1 PodStatus is read as given', () => {
    const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
    const text = phases.map((phase) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p-${phase.toLowerCase()}}\nspec: {containers: [{name: c, image: busybox}]}\nstatus: {phase: ${phase}}\n`).join('---\n');
    assert.deepEqual(pods(text).pods.map((p) => p.phase), phases);
  });

  test('a phase Kubernetes does not have is read as Pending', () => {
    assert.equal(pods('apiVersion: v1\nkind: Pod\nmetadata: {name: odd}\nspec: {containers: [{name: c, image: busybox}]}\nstatus: {phase: Exploded}\n').pods[0]!.phase, 'Pending');
  });
});

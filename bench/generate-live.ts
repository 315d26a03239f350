/**
 * A live snapshot as `kubectl get deploy,rs,pods,svc -n … -o yaml` prints it for one cluster of
 * generatePlatform(): `deployments` Deployments of `podsEach` pods, each with its ReplicaSet
 * (ownerReferences with controller: true), its pods (owned by the ReplicaSet, scheduled on the
 * workers, Ready conditions, managedFields) and a global Service. One pod in ten is not ready.
 */
export function generateLiveSnapshot(cluster: number, deployments: number, podsEach: number, workers: number): string {
  const site = `site-${String(cluster).padStart(3, '0')}`;
  const out: string[] = ['apiVersion: v1', 'kind: List', 'metadata:', '  resourceVersion: ""', 'items:'];
  for (let d = 0; d < deployments; d++) {
    const ns = `team-${d % 10}`;
    const name = `svc-${String(d).padStart(4, '0')}`;
    const hash = hashOf(d);
    const duid = uid(cluster, d, 0);
    const ruid = uid(cluster, d, 1);
    out.push(...deployment(ns, name, duid, podsEach), ...replicaSet(ns, name, hash, duid, ruid, podsEach), ...service(ns, name, cluster, d));
    for (let p = 0; p < podsEach; p++) {
      const node = `${site}-wk${String(1 + ((d * podsEach + p) % workers)).padStart(3, '0')}`;
      out.push(...pod(ns, name, hash, ruid, p, node, `10.${cluster}.${(d * podsEach + p) >> 8 & 255}.${(d * podsEach + p) & 255}`, (d * podsEach + p) % 10 !== 9));
    }
  }
  return `${out.join('\n')}\n`;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const word = (n: number, len: number) => Array.from({ length: len }, (_, i) => ALPHABET[Math.floor(n / ALPHABET.length ** i) % ALPHABET.length]).join('');
const hashOf = (d: number) => word(d * 7919 + 104729, 9);
const uid = (c: number, d: number, k: number) => `${(c * 1000 + d).toString(16).padStart(8, '0')}-${k.toString(16).padStart(4, '0')}-4a5b-8c6d-${(d * 31 + k).toString(16).padStart(12, '0')}`;

function deployment(ns: string, name: string, duid: string, replicas: number): string[] {
  return [
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata:',
    '    annotations:',
    '      deployment.kubernetes.io/revision: "1"',
    '    creationTimestamp: "2025-01-14T09:12:03Z"',
    '    generation: 1',
    '    managedFields:',
    '    - apiVersion: apps/v1',
    '      fieldsType: FieldsV1',
    '      fieldsV1:',
    '        f:spec:',
    '          f:replicas: {}',
    '          f:selector: {}',
    '          f:template: {}',
    '      manager: kubectl-client-side-apply',
    '      operation: Update',
    '      time: "2025-01-14T09:12:03Z"',
    `    name: ${name}`,
    `    namespace: ${ns}`,
    '    resourceVersion: "48213"',
    `    uid: ${duid}`,
    '  spec:',
    '    progressDeadlineSeconds: 600',
    `    replicas: ${replicas}`,
    '    selector:',
    '      matchLabels:',
    `        app: ${name}`,
    '    template:',
    '      metadata:',
    '        labels:',
    `          app: ${name}`,
    '      spec:',
    '        containers:',
    `        - image: registry.example.com/${ns}/${name}:1.0.0`,
    '          name: app',
    '          ports:',
    '          - containerPort: 8080',
    '            protocol: TCP',
    '  status:',
    `    availableReplicas: ${replicas}`,
    '    observedGeneration: 1',
    `    readyReplicas: ${replicas}`,
    `    replicas: ${replicas}`,
  ];
}

function replicaSet(ns: string, name: string, hash: string, duid: string, ruid: string, replicas: number): string[] {
  return [
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata:',
    '    labels:',
    `      app: ${name}`,
    `      pod-template-hash: ${hash}`,
    `    name: ${name}-${hash}`,
    `    namespace: ${ns}`,
    '    ownerReferences:',
    '    - apiVersion: apps/v1',
    '      blockOwnerDeletion: true',
    '      controller: true',
    '      kind: Deployment',
    `      name: ${name}`,
    `      uid: ${duid}`,
    `    uid: ${ruid}`,
    '  spec:',
    `    replicas: ${replicas}`,
    '    template:',
    '      metadata:',
    '        labels:',
    `          app: ${name}`,
    `          pod-template-hash: ${hash}`,
    '  status:',
    `    readyReplicas: ${replicas}`,
    `    replicas: ${replicas}`,
  ];
}

function service(ns: string, name: string, cluster: number, d: number): string[] {
  return [
    '- apiVersion: v1',
    '  kind: Service',
    '  metadata:',
    '    annotations:',
    `      service.cilium.io/global: "${d % 2 === 0 ? 'true' : 'false'}"`,
    `    name: ${name}`,
    `    namespace: ${ns}`,
    '  spec:',
    `    clusterIP: 10.233.${cluster}.${d & 255}`,
    '    ports:',
    '    - port: 80',
    '      protocol: TCP',
    '      targetPort: 8080',
    '    selector:',
    `      app: ${name}`,
    '    type: ClusterIP',
    '  status:',
    '    loadBalancer: {}',
  ];
}

function pod(ns: string, name: string, hash: string, ruid: string, p: number, node: string, ip: string, ready: boolean): string[] {
  const status = ready ? '"True"' : '"False"';
  return [
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    '    creationTimestamp: "2025-01-14T09:12:04Z"',
    `    generateName: ${name}-${hash}-`,
    '    labels:',
    `      app: ${name}`,
    `      pod-template-hash: ${hash}`,
    '    managedFields:',
    '    - apiVersion: v1',
    '      fieldsType: FieldsV1',
    '      fieldsV1:',
    '        f:status:',
    '          f:conditions: {}',
    '          f:phase: {}',
    '          f:podIP: {}',
    '      manager: kubelet',
    '      operation: Update',
    '      subresource: status',
    '      time: "2025-01-14T09:12:09Z"',
    `    name: ${name}-${hash}-${word(p * 104729 + 7, 5)}`,
    `    namespace: ${ns}`,
    '    ownerReferences:',
    '    - apiVersion: apps/v1',
    '      blockOwnerDeletion: true',
    '      controller: true',
    '      kind: ReplicaSet',
    `      name: ${name}-${hash}`,
    `      uid: ${ruid}`,
    '  spec:',
    '    containers:',
    `    - image: registry.example.com/${ns}/${name}:1.0.0`,
    '      name: app',
    '      ports:',
    '      - containerPort: 8080',
    '        protocol: TCP',
    `    nodeName: ${node}`,
    '    serviceAccountName: default',
    '  status:',
    '    conditions:',
    '    - lastTransitionTime: "2025-01-14T09:12:06Z"',
    '      status: "True"',
    '      type: Initialized',
    '    - lastTransitionTime: "2025-01-14T09:12:09Z"',
    `      status: ${status}`,
    '      type: Ready',
    '    - lastTransitionTime: "2025-01-14T09:12:09Z"',
    `      status: ${status}`,
    '      type: ContainersReady',
    '    phase: Running',
    `    podIP: ${ip}`,
  ];
}

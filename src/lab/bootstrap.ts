import { createHash } from 'node:crypto';
import type { ClusterSpec, NodeSpec } from '../spec/index.js';
import type { ClusterApi } from './service/cluster-api.js';
import { iso } from './service/cluster-api.js';

/** Marks what the lab itself says in printed text (event messages, node info). */
export const SIMULATED = '(simulated)';

/**
 * What a fresh Kubespray cluster without a CNI holds (issue 13: nodes NotReady until Cilium is
 * installed): the four system namespaces, the `kubernetes` Service and its endpoints, and one
 * Node per platform node with the kubelet's conditions, taints and events. Nodes missing from
 * the store are added on every start; nothing a user wrote is touched.
 */
export async function bootstrapCluster(api: ClusterApi, cluster: ClusterSpec, kubernetesVersion: string): Promise<void> {
  const find = (group: string, version: string, resource: string) => api.catalog.find(group, version, resource)!;
  // Writes made in one turn share one flush of the store (group commit): start them together.
  const writes: Promise<unknown>[] = [];
  const nsDef = find('', 'v1', 'namespaces');
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    if (!api.tryGet(nsDef, '', ns)) writes.push(api.writeSystem(nsDef, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, 'kube-apiserver'));
  }
  const cp = cluster.nodes.find((n) => n.role === 'control-plane') ?? cluster.nodes[0]!;
  const svc = find('', 'v1', 'services');
  if (!api.tryGet(svc, 'default', 'kubernetes')) {
    writes.push(api.writeSystem(svc, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
    }, 'kube-apiserver'));
    writes.push(api.writeSystem(find('', 'v1', 'endpoints'), {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: cp.address }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    }, 'kube-apiserver'));
  }
  const nodeDef = find('', 'v1', 'nodes');
  for (const node of cluster.nodes) {
    if (api.tryGet(nodeDef, '', node.name)) continue;
    writes.push(api.writeSystem(nodeDef, nodeObject(node, kubernetesVersion, api.now()), 'kubelet'), ...nodeEvents(api, node));
  }
  await Promise.all(writes);
}

function nodeObject(node: NodeSpec, version: string, now: number): Record<string, any> {
  const cp = node.role === 'control-plane';
  const t = iso(now);
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: t, lastTransitionTime: t, reason, message });
  const id = createHash('sha256').update(node.name).digest('hex').slice(0, 32);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        ...(cp ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {
      taints: [...(cp ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : []), { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule', timeAdded: t }],
    },
    status: {
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        // kubelet's message while no CNI is configured (Kubespray with kube_network_plugin: cni)
        cond('Ready', 'False', 'KubeletNotReady', `container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized ${SIMULATED}`),
      ],
      addresses: [{ type: 'InternalIP', address: node.address }, { type: 'Hostname', address: node.name }],
      capacity: { cpu: '2', 'ephemeral-storage': '40Gi', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', 'ephemeral-storage': '40Gi', memory: '4Gi', pods: '110' },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: id,
        systemUUID: id,
        bootID: id,
        kernelVersion: 'simulated',
        osImage: `meshwright lab ${SIMULATED}`,
        containerRuntimeVersion: 'simulated://meshwright-lab',
        kubeletVersion: version,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** The events a kubelet and the node controller record when a node registers (as `kubectl describe node` lists them). */
function nodeEvents(api: ClusterApi, node: NodeSpec): Promise<unknown>[] {
  const events = api.catalog.find('', 'v1', 'events')!;
  const t = iso(api.now());
  const list: Array<[string, string, string]> = [
    ['Starting', 'kubelet', 'Starting kubelet.'],
    ['NodeHasSufficientMemory', 'kubelet', `Node ${node.name} status is now: NodeHasSufficientMemory`],
    ['NodeHasNoDiskPressure', 'kubelet', `Node ${node.name} status is now: NodeHasNoDiskPressure`],
    ['NodeHasSufficientPID', 'kubelet', `Node ${node.name} status is now: NodeHasSufficientPID`],
    ['NodeAllocatableEnforced', 'kubelet', 'Updated Node Allocatable limit across pods'],
    ['RegisteredNode', 'node-controller', `Node ${node.name} event: Registered Node ${node.name} in Controller`],
  ];
  return list.map(([reason, component, message], i) =>
    api.writeSystem(events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${node.name}.${createHash('sha256').update(`${node.name}/${i}`).digest('hex').slice(0, 16)}`, namespace: 'default' },
      // kubelet names a node by its name as uid (kubectl describe searches for exactly that)
      involvedObject: { kind: 'Node', name: node.name, uid: node.name, apiVersion: 'v1' },
      reason,
      message: `${message} ${SIMULATED}`,
      source: { component, ...(component === 'kubelet' ? { host: node.name } : {}) },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type: 'Normal',
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? node.name : '',
    }, component),
  );
}

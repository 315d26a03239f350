/**
 * `cilium clustermesh status` as cilium-cli 1.16 prints it (cilium-cli/clustermesh/clustermesh.go,
 * outputConnectivityStatus and parseAgentStatus), written out by hand for small platforms: per
 * pod, the peers it is connected to; "All N … connected" when every pod reaches every peer,
 * else "⚠️  N/N … are not connected"; connections sorted by cluster name; "❌ N Errors:" counts
 * the pods with errors. The Global services count is predictClusterMesh's input (see
 * globalServiceCounts, tested with the plan).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clustermeshNodePort, globalServiceCounts, meshEndpoint, predictClusterMesh } from '../../src/model/index.js';
import { validatePlatformText, type Platform } from '../../src/spec/index.js';

function platform(mesh: string, clusters: string[][]): Platform {
  const text = `apiVersion: meshwright/v1alpha1
kind: Platform
metadata: {name: t}
spec:
  kubernetes: {version: v1.30.4}
  cilium: {version: 1.16.5}
  mesh: ${mesh}
  clusters:
${clusters
  .map(([name, id, ...nodes], i) => `    - name: ${name}\n      id: ${id}\n      podCIDR: 10.${i + 1}.0.0/16\n      nodes:\n${nodes.map((n, j) => `        - {name: ${n}, address: 192.168.${i + 1}.${10 + j}, role: ${j === 0 ? 'control-plane' : 'worker'}}`).join('\n')}\n      loadBalancerIPs: [192.168.${i + 1}.100-192.168.${i + 1}.101]`)
  .join('\n')}
`;
  const r = validatePlatformText('p.yaml', text);
  assert.ok(r.platform, JSON.stringify(r.diagnostics));
  return r.platform;
}

const status = (p: Platform, name: string, down: string[] = [], global = 0) => predictClusterMesh(p, p.spec.clusters.find((c) => c.name === name)!, global, { down: new Set(down) });

describe('status lines without KVStoreMesh: every agent dials every peer', () => {
  const p = platform('{enabled: true, apiserverService: NodePort, kvstoremesh: false}', [['zeta', '3', 'z-cp', 'z-w1'], ['alpha', '1', 'a-cp', 'a-w1'], ['mid', '2', 'm-cp']]);

  test('all up: NodePort shows the first node only; peers sorted by name; no KVStoreMesh line', () => {
    assert.deepEqual(status(p, 'zeta', [], 3).expectedStatus, [
      '✅ Service "clustermesh-apiserver" of type "NodePort" found',
      '✅ Cluster access information is available:',
      '  - 192.168.1.10:32003', // kube-proxy replacement (the default): node port 32000 + cluster ID
      '✅ Deployment clustermesh-apiserver is ready',
      'ℹ️  KVStoreMesh is disabled',
      '',
      '✅ All 2 nodes are connected to all clusters [min:2 / avg:2.0 / max:2]',
      '',
      '🔌 Cluster Connections:',
      '  - alpha: 2/2 configured, 2/2 connected',
      '  - mid: 2/2 configured, 2/2 connected',
      '',
      '🔀 Global services: [ min:3 / avg:3.0 / max:3 ]',
    ]);
  });

  test('mid down: both agents miss it, one error entry per agent', () => {
    const lines = status(p, 'zeta', ['mid']).expectedStatus;
    assert.deepEqual(lines.slice(6), [
      '⚠️  2/2 nodes are not connected to all clusters [min:1 / avg:1.0 / max:1]',
      '',
      '🔌 Cluster Connections:',
      '  - alpha: 2/2 configured, 2/2 connected',
      '  - mid: 2/2 configured, 0/2 connected',
      '',
      '🔀 Global services: [ min:0 / avg:0.0 / max:0 ]',
      '',
      '❌ 2 Errors:',
      '  ❌ cilium-<pod> is not connected to cluster mid: <etcd status>',
      "     💡 Run 'kubectl exec -it -n kube-system cilium-<pod> -c cilium-agent -- cilium-dbg troubleshoot clustermesh mid' to investigate the cause",
      '  ❌ cilium-<pod> is not connected to cluster mid: <etcd status>',
      "     💡 Run 'kubectl exec -it -n kube-system cilium-<pod> -c cilium-agent -- cilium-dbg troubleshoot clustermesh mid' to investigate the cause",
    ]);
    assert.deepEqual(status(p, 'zeta', ['mid']).connections.map((c) => [c.peer, c.connected]), [['alpha', true], ['mid', false]]);
  });

  test('who dials: every agent, each of the peers; the endpoint is every node on the node port', () => {
    const s = status(p, 'zeta');
    assert.deepEqual([s.agentsDial, s.nodes, s.kvstoremeshReplicas, s.peers], ['2 remote clustermesh-apiservers', 2, 0, 2]);
    assert.deepEqual(s.connections.map((c) => [c.from, c.peer, c.address, c.port]), [['agents', 'alpha', '192.168.2.10', 32001], ['agents', 'mid', '192.168.3.10', 32002]]);
    assert.deepEqual(meshEndpoint(p, p.spec.clusters[0]!), { cluster: 'zeta', addresses: ['192.168.1.10', '192.168.1.11'], port: 32003 });
  });

  test('without kube-proxy replacement every cluster listens on 32379', () => {
    assert.equal(clustermeshNodePort({ kubeProxyReplacement: false }, { id: 7 }), 32379);
    assert.equal(clustermeshNodePort({ kubeProxyReplacement: true }, { id: 7 }), 32007);
  });

  test('the cluster that is down predicts nothing', () => {
    const s = status(p, 'mid', ['mid']);
    assert.equal(s.down, true);
    assert.deepEqual(s.expectedStatus, []);
  });
});

describe('status lines with KVStoreMesh: one replica dials the peers', () => {
  const p = platform('{enabled: true, apiserverService: LoadBalancer, kvstoremesh: true}', [['east', '1', 'e-cp', 'e-w1', 'e-w2'], ['west', '2', 'w-cp', 'w-w1'], ['north', '3', 'n-cp', 'n-w1']]);

  test('two peers down: the replica is connected to none, the agents keep reading its cache', () => {
    const lines = status(p, 'east', ['west', 'north'], 7).expectedStatus;
    assert.deepEqual(lines.slice(2, 6), ['  - 192.168.1.101:2379', '✅ Deployment clustermesh-apiserver is ready', 'ℹ️  KVStoreMesh is enabled', '']);
    assert.deepEqual(lines.slice(6), [
      '✅ All 3 nodes are connected to all clusters [min:2 / avg:2.0 / max:2]',
      '⚠️  1/1 KVStoreMesh replicas are not connected to all clusters [min:0 / avg:0.0 / max:0]',
      '',
      '🔌 Cluster Connections:',
      '  - north: 3/3 configured, 3/3 connected - KVStoreMesh: 1/1 configured, 0/1 connected',
      '  - west: 3/3 configured, 3/3 connected - KVStoreMesh: 1/1 configured, 0/1 connected',
      '',
      '🔀 Global services: [ min:7 / avg:7.0 / max:7 ]',
      '',
      '❌ 1 Errors:',
      '  ❌ clustermesh-apiserver-<pod> is not connected to cluster west: <etcd status>',
      "     💡 Run 'kubectl exec -it -n kube-system clustermesh-apiserver-<pod> -c kvstoremesh -- /usr/bin/clustermesh-apiserver kvstoremesh-dbg troubleshoot west' to investigate the cause",
      '  ❌ clustermesh-apiserver-<pod> is not connected to cluster north: <etcd status>',
      "     💡 Run 'kubectl exec -it -n kube-system clustermesh-apiserver-<pod> -c kvstoremesh -- /usr/bin/clustermesh-apiserver kvstoremesh-dbg troubleshoot north' to investigate the cause",
    ]);
  });

  test('who dials: the KVStoreMesh replica; the agents read its cache', () => {
    const s = status(p, 'east');
    assert.deepEqual([s.agentsDial, s.kvstoremeshReplicas, s.connections.map((c) => [c.from, c.peer, c.address, c.port])], ['clustermesh-apiserver.kube-system.svc:2379 (local KVStoreMesh cache)', 1, [['kvstoremesh', 'west', '192.168.2.101', 2379], ['kvstoremesh', 'north', '192.168.3.101', 2379]]]);
  });

  test('all up: All 1 KVStoreMesh replicas are connected', () => {
    assert.ok(status(p, 'west').expectedStatus.includes('✅ All 1 KVStoreMesh replicas are connected to all clusters [min:2 / avg:2.0 / max:2]'));
  });
});

describe('globalServiceCounts: what the other clusters export, each name once', () => {
  test('a name exported by several clusters counts once; a cluster\'s own does not count for it', () => {
    const exporters = new Map([
      ['shop/cart', new Set(['a', 'b', 'c'])],
      ['shop/search', new Set(['a'])],
      ['shop/pricing', new Set(['b'])],
      ['shop/audit', new Set(['a', 'b'])],
    ]);
    assert.deepEqual([...globalServiceCounts(['a', 'b', 'c', 'd'], exporters)], [['a', 3], ['b', 3], ['c', 4], ['d', 4]]);
  });
});

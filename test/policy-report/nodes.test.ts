/**
 * Node traffic as Cilium judges it (Documentation/security/policy/language.rst, entities; the
 * reserved identities of pkg/identity/numericidentity.go: 1 host, 2 world, 4 health, 6 remote-node,
 * 7 kube-apiserver, 8 ingress): a node is `host` to the pods on it and `remote-node` to the others;
 * a control plane is also `kube-apiserver`; `world` is only outside the cluster; CIDR rules do not
 * select node addresses; the `cluster` entity includes the nodes. Policies are Cilium's example
 * files verbatim where one exists, with the outcome its documentation states.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PeerRef, PolicyBuild } from '../../src/model/policy-engine/types.js';
import { ask, assertAllowed, assertDefaultDeny, assertDeniedBy, build, external, once, pod, policyName } from './helpers.js';

const CLUSTER = 'nodes/cluster.yaml';
const ENT = '../upstream/cilium-examples/examples/policies/l3/entities';

function node(b: PolicyBuild, name: string): PeerRef {
  const n = b.nodes.find((x) => x.name === name);
  assert.ok(n, `no node ${name}; have ${b.nodes.map((x) => x.name).join(', ')}`);
  return { kind: 'node', cluster: n.cluster, name: n.name, address: n.addresses[0]!, ...(n.controlPlane ? { controlPlane: true } : {}) };
}

describe('nodes from Node objects', () => {
  test('names, addresses and the control plane come from the snapshot', () => {
    const b = build([CLUSTER]);
    assert.deepEqual(b.nodes.map((n) => [n.name, n.addresses, n.controlPlane]), [['k8s-cp', ['172.26.0.141'], true], ['k8s-wk01', ['172.26.0.142'], false], ['k8s-wk02', ['172.26.0.143'], false]]);
  });
});

describe('host.yaml: "env=dev may access the host that is serving the particular endpoint"', () => {
  const b = once(() => build([CLUSTER, `${ENT}/host.yaml`]));
  test('dev -> its own node (k8s-wk01): allowed by toEntities host', () => {
    assertAllowed(ask(b(), pod(b(), 'default/dev'), node(b(), 'k8s-wk01'), 10250), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'dev-to-host', section: 'egress', index: 0 });
  });
  test('dev -> another node (k8s-wk02, remote-node to it): dropped', () => {
    assertDefaultDeny(ask(b(), pod(b(), 'default/dev'), node(b(), 'k8s-wk02'), 10250), 'egress', [policyName('CiliumNetworkPolicy', 'dev-to-host', 'default')]);
  });
  test('a node named by its relation to dev (host / remote-node on the command line): its own node is host, any other remote-node', () => {
    assertAllowed(ask(b(), pod(b(), 'default/dev'), { kind: 'node', relation: 'local' }, 10250), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'dev-to-host', section: 'egress', index: 0 });
    assertDefaultDeny(ask(b(), pod(b(), 'default/dev'), { kind: 'node', relation: 'remote' }, 10250), 'egress', [policyName('CiliumNetworkPolicy', 'dev-to-host', 'default')]);
    // The relation decides, whatever name comes with it.
    assertDefaultDeny(ask(b(), pod(b(), 'default/dev'), { kind: 'node', name: 'k8s-wk01', relation: 'remote' }, 10250), 'egress', [policyName('CiliumNetworkPolicy', 'dev-to-host', 'default')]);
  });
});

describe('a selector naming the reserved label (reserved:kube-apiserver), as the entity does', () => {
  const b = once(() => build([CLUSTER, 'nodes/reserved-apiserver.yaml']));
  test('dev -> the control plane: allowed; -> a worker: dropped', () => {
    assertAllowed(ask(b(), pod(b(), 'default/dev'), node(b(), 'k8s-cp'), 6443), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'dev-to-apiserver-label', section: 'egress', index: 0 });
    assertDefaultDeny(ask(b(), pod(b(), 'default/dev'), node(b(), 'k8s-wk02'), 6443), 'egress', [policyName('CiliumNetworkPolicy', 'dev-to-apiserver-label', 'default')]);
  });
});

describe('apiserver.yaml: "env=dev may access the kube-apiserver"', () => {
  const b = once(() => build([CLUSTER, `${ENT}/apiserver.yaml`]));
  test('dev -> the control plane on 6443: allowed (a control plane carries kube-apiserver)', () => {
    assertAllowed(ask(b(), pod(b(), 'default/dev'), node(b(), 'k8s-cp'), 6443), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'dev-to-kube-apiserver', section: 'egress', index: 0 });
  });
  test('dev -> a worker node: dropped', () => {
    assertDefaultDeny(ask(b(), pod(b(), 'default/dev'), node(b(), 'k8s-wk02'), 6443), 'egress', []);
  });
});

describe('nodes.yaml: "env=dev may receive traffic from any host in the cluster"', () => {
  const b = once(() => build([CLUSTER, `${ENT}/nodes.yaml`]));
  test('k8s-wk02 and the control plane (remote-node to dev) -> dev: allowed', () => {
    for (const n of ['k8s-wk02', 'k8s-cp']) assertAllowed(ask(b(), node(b(), n), pod(b(), 'default/dev'), 80), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'to-dev-from-nodes-in-cluster', section: 'ingress', index: 0 });
  });
  test('an outside address and a pod -> dev: dropped', () => {
    assertDefaultDeny(ask(b(), external('198.51.100.7'), pod(b(), 'default/dev'), 80), 'ingress', []);
    assertDefaultDeny(ask(b(), pod(b(), 'default/public'), pod(b(), 'default/dev'), 80), 'ingress', []);
  });
});

describe('world.yaml: world is outside the cluster, not the nodes', () => {
  const b = once(() => build([CLUSTER, `${ENT}/world.yaml`]));
  test('an outside address -> role=public: allowed', () => {
    assertAllowed(ask(b(), external('198.51.100.7'), pod(b(), 'default/public'), 80), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'from-world-to-role-public', section: 'ingress', index: 0 });
  });
  test('another node (k8s-wk01) -> public: dropped, world does not admit it', () => {
    assertDefaultDeny(ask(b(), node(b(), 'k8s-wk01'), pod(b(), 'default/public'), 80), 'ingress', []);
  });
  test('public\'s own node (k8s-wk02) -> public: always allowed (allow-localhost)', () => {
    const v = ask(b(), node(b(), 'k8s-wk02'), pod(b(), 'default/public'), 80);
    assert.equal(v.verdict, 'allowed');
    assert.match(v.ingress.reason, /own node/);
  });
  test('a node address typed as an IP is the node, not the world', async () => {
    const { resolvePeer } = await import('../../src/policy-report/index.js');
    const r = resolvePeer('172.26.0.142', { endpoints: b().endpoints, nodes: b().nodes, objects: b().objects, clusters: ['default'] });
    assert.equal(r.what, 'node');
    assertDefaultDeny(ask(b(), r.peers[0]!, pod(b(), 'default/public'), 80), 'ingress', []);
  });
});

describe('from_world_deny.yaml (a CCNP): a world deny does not block the nodes', () => {
  const b = once(() => build([CLUSTER, `${ENT}/from_world_deny.yaml`]));
  test('outside -> dev: denied by ingressDeny world', () => {
    assertDeniedBy(ask(b(), external('198.51.100.7'), pod(b(), 'default/dev'), 80), { kind: 'CiliumClusterwideNetworkPolicy', name: 'external-lockdown', section: 'ingressDeny', index: 0 });
  });
  test('a node -> dev: allowed by fromEntities all', () => {
    assertAllowed(ask(b(), node(b(), 'k8s-wk02'), pod(b(), 'default/dev'), 80), { kind: 'CiliumClusterwideNetworkPolicy', name: 'external-lockdown', section: 'ingress', index: 0 });
  });
});

describe('the cluster entity, CIDR rules, host policies', () => {
  test('toEntities cluster includes the nodes', () => {
    const b = build([CLUSTER, 'nodes/to-cluster.yaml']);
    assertAllowed(ask(b, pod(b, 'default/dev'), node(b, 'k8s-wk02'), 22), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'dev-to-cluster', section: 'egress', index: 0 });
    assertDefaultDeny(ask(b, pod(b, 'default/dev'), external('198.51.100.7'), 443), 'egress', []);
  });
  test('a CIDR covering the node addresses selects the outside address, not the node', () => {
    const b = build([CLUSTER, 'nodes/to-cidr.yaml']);
    assertAllowed(ask(b, pod(b, 'default/dev'), external('172.26.0.200'), 443), { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'dev-to-lan', section: 'egress', index: 0 });
    assertDefaultDeny(ask(b, pod(b, 'default/dev'), node(b, 'k8s-wk02'), 443), 'egress', []);
  });
  test('a host policy (not modelled) makes traffic to nodes unknown, never allowed', () => {
    const b = build([CLUSTER, 'nodes/host-policy.yaml']);
    const v = ask(b, pod(b, 'default/dev'), node(b, 'k8s-wk02'), 9100);
    assert.equal(v.verdict, 'unknown');
    assert.match(v.ingress.unmodelled ?? '', /workers-ssh-only/);
    const why = 'host policies (nodeSelector) are not modelled: CiliumClusterwideNetworkPolicy workers-ssh-only could decide traffic to a node';
    assert.deepEqual(v.ingress, { direction: 'ingress', enforced: false, decision: 'unknown', selectedBy: [], reason: why, unmodelled: why });
    // A node as the client (dev runs on another node: remote-node to it): its egress is not decided by an ingress-only host policy.
    assert.deepEqual(ask(b, node(b, 'k8s-wk02'), pod(b, 'default/dev'), 80).egress, { direction: 'egress', enforced: false, decision: 'allowed', selectedBy: [], reason: 'the remote-node is not a pod and no host policy (nodeSelector) is given: no egress policy applies' });
    // The connection set to the node says so too; from the node nothing is unknown: the host policy has ingress rules only.
    const toNode = b.engine.allowedConnections(pod(b, 'default/dev'), node(b, 'k8s-wk02'));
    assert.deepEqual(toNode.unknown, ['host policies (nodeSelector) are not modelled: CiliumClusterwideNetworkPolicy workers-ssh-only']);
    assert.equal(b.engine.allowedConnections(node(b, 'k8s-wk02'), pod(b, 'default/dev')).unknown, undefined);
    // An address outside the clusters is no node: host policies do not decide it.
    assert.equal(b.engine.allowedConnections(pod(b, 'default/dev'), external('198.51.100.7')).unknown, undefined);
    // A host policy with egress rules decides what nodes send instead: the same, from the node.
    const out = build([CLUSTER, 'nodes/host-policy-egress.yaml']);
    const fromNode = ask(out, node(out, 'k8s-wk02'), pod(out, 'default/dev'), 80);
    assert.equal(fromNode.verdict, 'unknown');
    assert.equal(fromNode.egress.reason, 'host policies (nodeSelector) are not modelled: CiliumClusterwideNetworkPolicy workers-egress-cluster-only could decide traffic from a node');
    assert.equal(ask(out, pod(out, 'default/dev'), node(out, 'k8s-wk02'), 9100).verdict, 'allowed');
    assert.deepEqual(out.engine.allowedConnections(node(out, 'k8s-wk02'), pod(out, 'default/dev')).unknown, ['host policies (nodeSelector) are not modelled: CiliumClusterwideNetworkPolicy workers-egress-cluster-only']);
    assert.equal(out.engine.allowedConnections(pod(out, 'default/dev'), node(out, 'k8s-wk02')).unknown, undefined);
    // Two host policies in one direction: both named, in input order.
    const two = build([CLUSTER, 'nodes/host-policy.yaml', 'nodes/host-policy-metrics.yaml']);
    const names = 'CiliumClusterwideNetworkPolicy workers-ssh-only, CiliumClusterwideNetworkPolicy workers-metrics-from-monitoring';
    assert.deepEqual(two.engine.allowedConnections(pod(two, 'default/dev'), node(two, 'k8s-wk02')).unknown, [`host policies (nodeSelector) are not modelled: ${names}`]);
    assert.equal(ask(two, pod(two, 'default/dev'), node(two, 'k8s-wk02'), 9100).ingress.reason, `host policies (nodeSelector) are not modelled: ${names} could decide traffic to a node`);
    // Without the host policy, traffic to the node has nothing unknown.
    const plain = build([CLUSTER]);
    assert.equal(plain.engine.allowedConnections(pod(plain, 'default/dev'), node(plain, 'k8s-wk02')).unknown, undefined);
  });
});

describe('host-network pods', () => {
  test('are not endpoints: a warning names them and says why; they are their node\'s traffic', () => {
    const b = build([CLUSTER]);
    assert.ok(!b.endpoints.some((e) => e.name === 'node-exporter'));
    assert.deepEqual(b.hostNetworkPods.map((p) => [p.namespace, p.name, p.node]), [['monitoring', 'node-exporter', 'k8s-wk02']]);
    const w = b.diagnostics.find((d) => d.code === 'POLICY_HOST_NETWORK');
    assert.ok(w);
    assert.match(w.message, /^monitoring\/node-exporter \(node k8s-wk02\) uses the host network.*pod policies do not select it/, 'one cluster: not named');
  });
});

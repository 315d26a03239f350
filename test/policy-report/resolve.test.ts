/**
 * The names `policy explain` and the dashboard take, turned into the peers they stand for. The
 * expectations come from Kubernetes, not from the resolver: a Service's targetPort is a container
 * port's name or number and defaults to the port (Service docs, "Defining a Service"); a Service
 * without a selector has no Endpoints of its own; a host-network pod's traffic is its node's
 * (Cilium gives it the host or remote-node identity).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadManifests } from '../../src/manifests/index.js';
import { buildPolicyEngine } from '../../src/model/policy-engine/index.js';
import type { PolicyEndpoint } from '../../src/model/policy-engine/index.js';
import { resolveContextOf, resolvePeer, ResolveError, type ResolveContext } from '../../src/policy-report/index.js';
import { REPO_ROOT } from '../helpers/golden.js';
import { once } from './helpers.js';

const SHOP = 'test/fixtures/policy-cli/resolve/shop.yaml';

const shop = once(() => {
  const loaded = loadManifests([{ path: SHOP }], REPO_ROOT);
  assert.deepEqual(loaded.diagnostics, []);
  const context = (objects: typeof loaded.objects, clusters = ['default']): ResolveContext => resolveContextOf(buildPolicyEngine({ objects, clusters, options: { policyDefaultLocalCluster: false } }), clusters);
  return { ctx: context(loaded.objects), noNodes: context(loaded.objects.filter((o) => o.object.kind !== 'Node')) };
});

const names = (ctx: ResolveContext, text: string) => resolvePeer(text, ctx).peers.map((p) => (p.kind === 'endpoint' ? `${p.endpoint.cluster}/${p.endpoint.namespace}/${p.endpoint.name}` : JSON.stringify(p))).sort();
const refused = (ctx: ResolveContext, text: string, message: string) => assert.throws(() => resolvePeer(text, ctx), (e: unknown) => e instanceof ResolveError && e.message === message);

describe('pods, workloads and Services by name', () => {
  test('a bare Pod by its name; a Deployment by its name is every pod it runs', () => {
    const { ctx } = shop();
    const debug = resolvePeer('shop/debug', ctx);
    assert.equal(debug.what, 'pod');
    assert.deepEqual(names(ctx, 'shop/debug'), ['default/shop/debug']);
    const web = resolvePeer('shop/web', ctx);
    assert.equal(web.what, 'workload');
    assert.equal(web.peers.length, 2, 'replicas: 2');
    assert.ok(web.peers.every((p) => p.kind === 'endpoint' && p.endpoint.owner.kind === 'Deployment' && p.endpoint.owner.name === 'web'));
    // One replica by its own pod name is that pod.
    const one = names(ctx, 'shop/web')[0]!.split('/')[2]!;
    assert.equal(resolvePeer(`shop/${one}`, ctx).what, 'pod');
    assert.deepEqual(names(ctx, `shop/${one}`), [`default/shop/${one}`]);
  });

  test('every kind of workload by its name: DaemonSet, ReplicaSet, Job, ReplicationController', () => {
    const { ctx } = shop();
    for (const [name, kind] of [['cache-warmer', 'DaemonSet'], ['legacy-rs', 'ReplicaSet'], ['migrate', 'Job'], ['old-rc', 'ReplicationController']] as const) {
      const r = resolvePeer(`shop/${name}`, ctx);
      assert.equal(r.what, 'workload', name);
      assert.deepEqual(r.peers.map((p) => p.kind === 'endpoint' && [p.endpoint.owner.kind, p.endpoint.owner.name]), [[kind, name]]);
    }
  });

  test('a live pod by its Deployment\'s name and by its ReplicaSet\'s (netpol-analyzer names it so)', () => {
    const { ctx } = shop();
    assert.deepEqual(names(ctx, 'shop/search'), ['default/shop/search-5d8f7c9b4-q7w2x']);
    assert.deepEqual(names(ctx, 'shop/search-5d8f7c9b4'), ['default/shop/search-5d8f7c9b4-q7w2x']);
    assert.equal(resolvePeer('shop/search-5d8f7c9b4', ctx).what, 'workload');
  });

  test('in a mesh, a cluster in front keeps to that cluster; without one, every cluster\'s pods', () => {
    const loaded = loadManifests([{ cluster: 'east', path: SHOP }, { cluster: 'west', path: SHOP }], REPO_ROOT);
    // legacy-db exists in west only.
    const objects = loaded.objects.filter((o) => !(o.cluster === 'east' && o.object.metadata.name === 'legacy-db'));
    const b = buildPolicyEngine({ objects, clusters: ['east', 'west'], options: { policyDefaultLocalCluster: false } });
    // west's nodes have addresses of their own.
    const nodes = b.nodes.map((n) => (n.cluster === 'west' ? { ...n, addresses: n.addresses.map((a) => a.replace('172.26.7.', '172.26.8.')) } : n));
    const mesh: ResolveContext = { ...resolveContextOf(b, ['east', 'west']), nodes };
    assert.deepEqual(resolvePeer('west/kube-system/node-agent', mesh).peers, [{ kind: 'node', cluster: 'west', name: 'shop-wk01', address: '172.26.8.11' }]);
    assert.deepEqual(names(mesh, 'east/shop/debug'), ['east/shop/debug']);
    assert.deepEqual(names(mesh, 'shop/debug'), ['east/shop/debug', 'west/shop/debug']);
    assert.deepEqual(names(mesh, 'west/shop/web').map((n) => n.split('/')[0]), ['west', 'west']);
    assert.equal(resolvePeer('west/shop/legacy-db', mesh).what, 'service');
    refused(mesh, 'east/shop/legacy-db', '"east/shop/legacy-db": no pod, workload or Service named legacy-db in namespace shop of cluster east');
    refused(mesh, 'east/shop/svc/legacy-db', '"east/shop/svc/legacy-db": no Service shop/legacy-db');
    assert.deepEqual(resolvePeer('shop/svc/legacy-db', mesh).service, { namespace: 'shop', name: 'legacy-db' });
  });

  test('the cluster in front is taken only when it is one of the clusters', () => {
    const { ctx } = shop();
    assert.deepEqual(names(ctx, 'default/shop/debug'), ['default/shop/debug']);
    refused(ctx, 'other/shop/debug', '"other/shop/debug": too many "/"');
    refused(ctx, 'default/shop/nope', '"default/shop/nope": no pod, workload or Service named nope in namespace shop of cluster default');
    refused(ctx, 'shop/nope', '"shop/nope": no pod, workload or Service named nope in namespace shop');
    refused(ctx, 'debug', '"debug": expected [CLUSTER/]NAMESPACE/NAME, [CLUSTER/]NAMESPACE/svc/NAME, NAMESPACE/label=value,… or an IP address');
    refused(ctx, 'default/shop/web/x', '"default/shop/web/x": too many "/"');
    refused(ctx, 'shop/debug2', '"shop/debug2": no pod, workload or Service named debug2 in namespace shop');
    refused(ctx, 'kube-system/debug', '"kube-system/debug": no pod, workload or Service named debug in namespace kube-system');
    // "svc" is a Service only with a name after it; a namespace may be called svc.
    refused(ctx, 'shop/svc', '"shop/svc": no pod, workload or Service named svc in namespace shop');
    refused(ctx, 'default/svc/svc/web', '"default/svc/svc/web": no Service svc/web');
  });

  test('a Service: its selector\'s pods, its ports, and each port translated to the target port', () => {
    const { ctx } = shop();
    const svc = resolvePeer('shop/svc/web', ctx);
    assert.equal(svc.what, 'service');
    assert.deepEqual(svc.service, { namespace: 'shop', name: 'web' });
    assert.deepEqual(svc.ports, ['80/TCP', '8081/UDP', '9090/TCP', '53/UDP', '8443/TCP', '50051/TCP']);
    // Both labels of its selector, in its namespace: not the canary (tier: back), not staging's copy.
    assert.deepEqual(names(ctx, 'shop/svc/web'), names(ctx, 'shop/web'));
    refused(ctx, 'kube-system/svc/web', '"kube-system/svc/web": no Service kube-system/web');
    const backend = (svc.peers[0] as { endpoint: PolicyEndpoint }).endpoint;
    const target = (port: number, protocol: 'TCP' | 'UDP' = 'TCP') => svc.targetPort!(backend, port, protocol);
    assert.equal(target(80), 8080, 'targetPort: http names the container port');
    assert.equal(target(9090), 9090, 'no targetPort: the port itself');
    assert.equal(target(53, 'UDP'), 5353, 'a named UDP port');
    assert.equal(target(53, 'TCP'), undefined, 'the Service has 53 for UDP only');
    assert.equal(target(8443), 8443, 'a number is the number, whether or not a container declares it');
    assert.equal(target(8443, 'UDP'), undefined, 'the Service has 8443 for TCP only');
    // A named targetPort is the container port of that name and the Service port's protocol
    // (Kubernetes podutil.FindPort): http is TCP, so the UDP port 8081 reaches nothing.
    assert.equal(target(8081, 'UDP'), undefined);
    assert.equal(target(50051), undefined, 'a name no container port has: no backend port');
    assert.equal(target(81), undefined);
    // A Service found by name alone, and with its cluster.
    assert.equal(resolvePeer('shop/legacy-db', ctx).what, 'service');
    assert.deepEqual(resolvePeer('default/shop/svc/web', ctx).service, { cluster: 'default', namespace: 'shop', name: 'web' });
  });

  test('a Service without a selector has no backends; an unknown Service is refused', () => {
    const { ctx } = shop();
    const db = resolvePeer('shop/svc/legacy-db', ctx);
    assert.deepEqual(db.peers, []);
    assert.deepEqual(db.ports, ['5432/TCP']);
    refused(ctx, 'shop/svc/nope', '"shop/svc/nope": no Service shop/nope');
  });
});

describe('a pod that does not exist yet, by its labels', () => {
  test('NAMESPACE/key=value,… is one pod with those labels (spaces around them dropped)', () => {
    const { ctx } = shop();
    const r = resolvePeer('shop/app=web, tier = front', ctx);
    assert.equal(r.what, 'labels');
    const [p] = r.peers;
    assert.ok(p?.kind === 'endpoint');
    assert.deepEqual([p.endpoint.cluster, p.endpoint.namespace, p.endpoint.name, p.endpoint.owner], ['default', 'shop', '(app=web, tier = front)', { kind: 'Pod', name: '(app=web, tier = front)' }]);
    assert.deepEqual(p.endpoint.labels, { app: 'web', tier: 'front' });
    // No serviceAccountName: Kubernetes runs the pod as "default" (policies may select on it).
    assert.equal(p.endpoint.serviceAccount, 'default');
    for (const bad of ['shop/app=web,tier', 'shop/a=b=c', 'shop/=web']) refused(ctx, bad, `"${bad}": labels are written key=value,key2=value2`);
  });

  test('in a mesh the cluster must be said, and is the pod\'s', () => {
    const { ctx } = shop();
    const mesh = { ...ctx, clusters: ['east', 'west'] };
    refused(mesh, 'shop/app=web', '"shop/app=web": in a mesh, say which cluster the pod would run in: CLUSTER/shop/app=web');
    const p = resolvePeer('west/shop/app=web', mesh).peers[0];
    assert.ok(p?.kind === 'endpoint');
    assert.equal(p.endpoint.cluster, 'west');
  });
});

describe('nodes and the outside world', () => {
  test('node:NAME, CLUSTER/node:NAME and a node\'s address are the node, with its address', () => {
    const { ctx } = shop();
    const wk = { kind: 'node', cluster: 'default', name: 'shop-wk01', address: '172.26.7.11' };
    assert.deepEqual(resolvePeer('node:shop-wk01', ctx).peers, [wk]);
    assert.deepEqual(resolvePeer('172.26.7.11', ctx).peers, [wk]);
    assert.deepEqual(resolvePeer('default/node:shop-cp', ctx).peers, [{ kind: 'node', cluster: 'default', name: 'shop-cp', address: '172.26.7.10', controlPlane: true }]);
    // CLUSTER/node:NAME is the whole name: behind a namespace it is no node.
    refused(ctx, 'shop/default/node:shop-cp', '"shop/default/node:shop-cp": too many "/"');
    refused(ctx, 'other/node:shop-cp', '"other/node:shop-cp": no node named shop-cp in cluster other; nodes: shop-wk01, shop-cp');
    refused(ctx, 'node:shop-wk02', '"node:shop-wk02": no node named shop-wk02; nodes: shop-wk01, shop-cp');
    refused(shop().noNodes, 'node:shop-wk01', '"node:shop-wk01": no node named shop-wk01: nodes come from --platform or Node objects given with -f');
  });

  test('any other address is outside the clusters; host and remote-node are relative to the pod', () => {
    const { ctx } = shop();
    assert.deepEqual(resolvePeer('203.0.113.9', ctx), { what: 'external', text: '203.0.113.9', peers: [{ kind: 'external', ip: '203.0.113.9' }] });
    assert.deepEqual(resolvePeer('host', ctx).peers, [{ kind: 'node', relation: 'local' }]);
    assert.deepEqual(resolvePeer('remote-node', ctx).peers, [{ kind: 'node', relation: 'remote' }]);
  });

  test('a host-network pod, by its name or its workload\'s, is its node', () => {
    const { ctx, noNodes } = shop();
    const agent = resolvePeer('kube-system/node-agent', ctx);
    assert.equal(agent.what, 'node');
    assert.equal(agent.text, 'kube-system/node-agent (host network)');
    assert.deepEqual(agent.peers, [{ kind: 'node', cluster: 'default', name: 'shop-wk01', address: '172.26.7.11' }]);
    assert.deepEqual(resolvePeer('default/kube-system/probe', ctx).peers, [{ kind: 'node', cluster: 'default', name: 'shop-cp', address: '172.26.7.10', controlPlane: true }]);
    // By the pod's own name too.
    const pod = ctx.hostNetwork!.find((h) => h.owner.name === 'node-agent')!.name;
    assert.match(pod, /^node-agent-[a-z0-9]{5}$/);
    assert.deepEqual(resolvePeer(`kube-system/${pod}`, ctx).peers, agent.peers);
    // Only in its namespace: shop's probe is an ordinary pod, kube-system's is on the host.
    assert.equal(resolvePeer('shop/probe', ctx).what, 'pod');
    assert.equal(resolvePeer('kube-system/probe', ctx).what, 'node');
    refused(ctx, 'shop/node-agent', '"shop/node-agent": no pod, workload or Service named node-agent in namespace shop');
    // Where an ordinary workload has the name too, the name means its pods (they have identities of their own).
    const shipper = resolvePeer('logging/log-shipper', ctx);
    assert.equal(shipper.what, 'workload');
    assert.ok(shipper.peers.every((p) => p.kind === 'endpoint' && p.endpoint.owner.kind === 'Deployment'));
    // Without Node objects nothing places the pods: a node the client does not run on.
    assert.deepEqual(resolvePeer('kube-system/probe', noNodes).peers, [{ kind: 'node', cluster: 'default', relation: 'remote' }]);
    refused({ ...ctx, clusters: ['default', 'other'] }, 'other/kube-system/probe', '"other/kube-system/probe": no pod, workload or Service named probe in namespace kube-system of cluster other');
  });
});

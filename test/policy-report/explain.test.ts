/**
 * `policy explain`'s document: every (source pod, destination pod) pair a request stands for,
 * pairs with the same owners and the same outcome shown once with their count, and one verdict
 * for the request (denied when any pair is, unknown when any pair could go either way, allowed
 * only when every pair is). Fixture: live pods of one ReplicaSet, one relabelled as a canary,
 * each track admitted by its own CiliumNetworkPolicy.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PeerRef } from '../../src/model/policy-engine/index.js';
import { explain, label, nodeLabel, resolveContextOf, resolvePeer, type Resolved } from '../../src/policy-report/index.js';
import { build as buildFrom, ONE, once } from './helpers.js';

const shop = once(() => {
  const build = buildFrom(['../policy-cli/explain/api.yaml']);
  const ctx = resolveContextOf(build, [ONE]);
  return { build, at: (text: string) => resolvePeer(text, ctx) };
});

const cases = (x: ReturnType<typeof explain>) => x.cases.map((c) => [label(c.from, false), label(c.to, false), c.port, c.pairs, c.verdict.verdict, c.verdict.ingress.rule?.name ?? '-']);

describe('explain groups pod pairs by owners and outcome', () => {
  test('one ReplicaSet behind a Service, its pods admitted by two policies: one case per deciding rule, with its count', () => {
    const { build, at } = shop();
    const x = explain(build.engine, at('shop/client'), at('shop/svc/api'), 80, 'TCP', undefined, false);
    assert.equal(x.verdict, 'allowed');
    // The Service port 80 reaches the pods on their targetPort (http = 8080), where policy is enforced.
    assert.deepEqual(cases(x), [
      ['shop/client', 'shop/api-6b8f9c7d5-2xkqp', 8080, 2, 'allowed', 'api-stable'],
      ['shop/client', 'shop/api-6b8f9c7d5-m4hcj', 8080, 1, 'allowed', 'api-canary'],
    ]);
    assert.deepEqual(x.unreachable, []);
    assert.equal(x.port, 80);
    assert.equal(x.http, undefined);
  });

  test('from one of the pods itself: denied by both policies alike (one case of two pairs), itself allowed', () => {
    const { build, at } = shop();
    const x = explain(build.engine, at('shop/api-6b8f9c7d5-9zvtw'), at('shop/svc/api'), 80, 'TCP', undefined, false);
    assert.equal(x.verdict, 'denied');
    // The source pod itself is among the backends: a pod reaches itself (Cilium never drops that).
    // The two denials differ only in which policy selects the pod; no rule decides either, so they are one case.
    assert.deepEqual(x.cases.map((c) => [label(c.to, false), c.pairs, c.verdict.verdict]), [
      ['shop/api-6b8f9c7d5-2xkqp', 2, 'denied'],
      ['shop/api-6b8f9c7d5-9zvtw', 1, 'allowed'],
    ]);
  });

  test('an HTTP request is carried into the document', () => {
    const { build, at } = shop();
    const http = { method: 'GET', path: '/healthz', headers: {} };
    assert.deepEqual(explain(build.engine, at('shop/client'), at('shop/svc/api'), 80, 'TCP', http, false).http, http);
  });
});

test('nodes of one name in two clusters are two sources, not two pairs of one', () => {
  const { build, at } = shop();
  const nodes: Resolved = { what: 'node', text: 'node:wk01', peers: [{ kind: 'node', cluster: 'default', name: 'wk01' }, { kind: 'node', cluster: 'other', name: 'wk01' }] };
  const x = explain(build.engine, nodes, at('shop/client'), 8080, 'TCP', undefined, false);
  assert.deepEqual(x.cases.map((c) => c.pairs), [1, 1]);
});

describe('pairs that never meet', () => {
  test('a port the Service does not have: each backend named, nothing judged, denied', () => {
    const { build, at } = shop();
    const x = explain(build.engine, at('shop/client'), at('shop/svc/api'), 8080, 'TCP', undefined, false);
    assert.deepEqual(x.cases, []);
    assert.equal(x.verdict, 'denied');
    assert.deepEqual(x.unreachable, ['shop/api-6b8f9c7d5-2xkqp', 'shop/api-6b8f9c7d5-9zvtw', 'shop/api-6b8f9c7d5-m4hcj'].map((p) => `${p}: Service shop/svc/api has no port 8080/TCP`));
  });

  test('backends the caller rules out are named with where the client is', () => {
    const { build, at } = shop();
    const only = (name: string) => (_: PeerRef, dst: PeerRef) => dst.kind === 'endpoint' && dst.endpoint.name === name;
    const x = explain(build.engine, at('shop/client'), at('shop/svc/api'), 80, 'TCP', undefined, false, only('api-6b8f9c7d5-m4hcj'));
    assert.deepEqual(cases(x), [['shop/client', 'shop/api-6b8f9c7d5-m4hcj', 8080, 1, 'allowed', 'api-canary']]);
    assert.deepEqual(x.unreachable, ['shop/api-6b8f9c7d5-2xkqp: not reachable from default through shop/svc/api', 'shop/api-6b8f9c7d5-9zvtw: not reachable from default through shop/svc/api']);
    // From outside the clusters, and from a node (its cluster).
    const none = () => false;
    assert.deepEqual(explain(build.engine, at('203.0.113.7'), at('shop/svc/api'), 80, 'TCP', undefined, false, none).unreachable[0], 'shop/api-6b8f9c7d5-2xkqp: not reachable from outside through shop/svc/api');
    const node: Resolved = { what: 'node', text: 'node:shop-wk01', peers: [{ kind: 'node', cluster: 'east', name: 'shop-wk01' }] };
    assert.deepEqual(explain(build.engine, node, at('shop/svc/api'), 80, 'TCP', undefined, false, none).unreachable[0], 'shop/api-6b8f9c7d5-2xkqp: not reachable from east through shop/svc/api');
    const apiserver: Resolved = { what: 'external', text: 'kube-apiserver', peers: [{ kind: 'entity', entity: 'kube-apiserver', cluster: 'west' }] };
    assert.deepEqual(explain(build.engine, apiserver, at('shop/svc/api'), 80, 'TCP', undefined, false, none).unreachable[0], 'shop/api-6b8f9c7d5-2xkqp: not reachable from west through shop/svc/api');
  });
});

describe('how peers are named in the documents', () => {
  test('pods with their cluster only in a mesh; the outside world and entities as such', () => {
    const { build } = shop();
    const pod: PeerRef = { kind: 'endpoint', endpoint: build.endpoints.find((e) => e.name === 'client')! };
    assert.equal(label(pod, false), 'shop/client');
    assert.equal(label(pod, true), 'default/shop/client');
    assert.equal(label({ kind: 'external', ip: '203.0.113.7' }, true), '203.0.113.7 (outside the clusters)');
    assert.equal(label({ kind: 'entity', entity: 'kube-apiserver', cluster: 'east' }, false), 'kube-apiserver (east)');
  });

  test('nodes: by name and address, with the cluster in a mesh; host and remote-node relative to the pod', () => {
    assert.equal(nodeLabel({ kind: 'node', cluster: 'east', name: 'wk01', address: '172.26.7.11' }, true), 'east/node:wk01 (172.26.7.11)');
    assert.equal(nodeLabel({ kind: 'node', cluster: 'east', name: 'wk01', address: '172.26.7.11' }, false), 'node:wk01 (172.26.7.11)');
    assert.equal(nodeLabel({ kind: 'node', name: 'wk01' }, true), 'node:wk01');
    assert.equal(label({ kind: 'node', relation: 'local' }, true), "host (the pod's own node)");
    assert.equal(label({ kind: 'node', relation: 'remote' }, true), 'remote-node (a node the pod does not run on)');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { renderGlobalServiceDemo } from '../../src/render/manifests/global-service-demo.js';
import { renderIngressApp } from '../../src/render/manifests/ingress-app.js';
import { poolBlock, renderLbIpam } from '../../src/render/manifests/lb-ipam.js';
import type { RenderedFile } from '../../src/render/types.js';
import type { Platform } from '../../src/spec/index.js';
import { assertGolden } from '../helpers/golden.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';

const LAB = referenceLab();
const [C1, C2] = [LAB.spec.clusters[0]!, LAB.spec.clusters[1]!];

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, any>;
  data?: Record<string, string>;
}

function objects(file: RenderedFile | undefined): Obj[] {
  assert.ok(file, 'expected a rendered file');
  const docs = parseAllDocuments(file.content);
  assert.ok(Array.isArray(docs), 'no documents');
  for (const d of docs) assert.deepEqual(d.errors, [], file.path);
  return docs.map((d) => d.toJS() as Obj);
}
const kinds = (objs: Obj[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);
const find = (objs: Obj[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind}/${name} missing from ${kinds(objs).join(', ')}`);
  return o;
};

describe('manifests', () => {
  test('reference lab, k8s-cilium-01: golden files, numbered in apply order', () => {
    const files = [renderLbIpam(LAB, C1), renderIngressApp(LAB, C1), renderGlobalServiceDemo(LAB, C1)].map((f) => f!);
    assert.deepEqual(files.map((f) => f.path), ['k8s-cilium-01/manifests/01-lb-ipam.yaml', 'k8s-cilium-01/manifests/02-ingress-app.yaml', 'k8s-cilium-01/manifests/03-global-service-demo.yaml']);
    for (const f of files) {
      assert.equal(f.secret, false);
      assertGolden(`render/reference-lab/${f.path}`, f.content);
    }
  });

  test('LB IPAM: pool-ilba with one block per VIP, and an L2 announcement policy', () => {
    const objs = objects(renderLbIpam(LAB, C2));
    assert.deepEqual(kinds(objs), ['CiliumLoadBalancerIPPool/pool-ilba', 'CiliumL2AnnouncementPolicy/l2-pool-ilba']);
    assert.ok(objs.every((o) => o.apiVersion === 'cilium.io/v2alpha1'));
    assert.equal(objs[0]!.spec!.cidrs, undefined, 'spec.cidrs is gone in 1.16');
    assert.deepEqual(objs[0]!.spec, { blocks: [{ start: '172.26.0.105' }, { start: '172.26.0.106' }] });
    assert.deepEqual(objs[1]!.spec, { loadBalancerIPs: true, externalIPs: false });
  });

  test('LB IPAM blocks: address → start, CIDR → cidr, range → start/stop, in spec order', () => {
    assert.deepEqual(poolBlock('172.26.0.101'), { start: '172.26.0.101' });
    assert.deepEqual(poolBlock('192.168.10.200/29'), { cidr: '192.168.10.200/29' });
    assert.deepEqual(poolBlock('192.168.11.200-192.168.11.202'), { start: '192.168.11.200', stop: '192.168.11.202' });
    assert.deepEqual(poolBlock('fd00::10-fd00::20'), { start: 'fd00::10', stop: 'fd00::20' });
    const p = validFixture('three-clusters.yaml');
    const pools = p.spec.clusters.map((c) => objects(renderLbIpam(p, c))[0]!);
    assert.deepEqual(pools.map((o) => o.metadata.name), ['pool-eu-west', 'pool-eu-central', 'pool-us-east']);
    assert.deepEqual(pools.map((o) => o.spec!.blocks), [
      [{ cidr: '192.168.10.200/29' }],
      [{ start: '192.168.11.200', stop: '192.168.11.202' }],
      [{ start: '192.168.20.200' }, { start: '192.168.20.201' }, { start: '192.168.20.202' }],
    ]);
    const mixed = structuredClone(LAB);
    mixed.spec.clusters[0]!.loadBalancerIPs = ['10.9.0.0/30', '172.26.0.101', '172.26.0.110-172.26.0.111'];
    assert.deepEqual(objects(renderLbIpam(mixed, mixed.spec.clusters[0]!))[0]!.spec!.blocks, [{ cidr: '10.9.0.0/30' }, { start: '172.26.0.101' }, { start: '172.26.0.110', stop: '172.26.0.111' }]);
  });

  test('LB IPAM: no pool without addresses; no announcement without kube-proxy replacement', () => {
    const p = structuredClone(LAB);
    p.spec.clusters[0]!.loadBalancerIPs = [];
    assert.equal(renderLbIpam(p, p.spec.clusters[0]!), undefined);
    const edge = validFixture('single-cluster-no-mesh.yaml');
    const file = renderLbIpam(edge, edge.spec.clusters[0]!);
    assert.deepEqual(kinds(objects(file)), ['CiliumLoadBalancerIPPool/pool-default']);
    assert.match(file!.content, /does not announce/);
    // Cilium 1.16 announces LoadBalancer IPs by L2 only with l2announcements, which needs kube-proxy
    // replacement (Documentation/network/l2-announcements.rst): the header must not claim ARP.
    assert.deepEqual(file!.content.split('\n').slice(1, 3), [
      '# LB IPAM for cluster default: pool pool-default.',
      '# Without kube-proxy replacement Cilium does not announce these VIPs: route them to the nodes another way.',
    ]);
  });

  test('ingress app: the notebook\'s names, host and Hello Kubernetes! image', () => {
    const objs = objects(renderIngressApp(LAB, C1));
    assert.deepEqual(kinds(objs), ['Namespace/test-ingress', 'Deployment/app-ilba-deployment', 'Service/app-ilba-service', 'Ingress/app-ilba-ingress']);
    assert.ok(objs.slice(1).every((o) => o.metadata.namespace === 'test-ingress'));
    const deploy = find(objs, 'Deployment', 'app-ilba-deployment');
    assert.equal(deploy.spec!.replicas, 2);
    const container = deploy.spec!.template.spec.containers[0];
    assert.equal(container.image, 'paulbouwer/hello-kubernetes:1.10');
    assert.equal(container.ports[0].containerPort, 8080);
    assert.equal(container.readinessProbe.httpGet.port, 8080);
    const svc = find(objs, 'Service', 'app-ilba-service');
    assert.equal(svc.spec!.type, 'ClusterIP');
    assert.deepEqual(svc.spec!.ports, [{ name: 'http', port: 80, targetPort: 8080 }]);
    assert.deepEqual(svc.spec!.selector, deploy.spec!.selector.matchLabels);
    assert.deepEqual(deploy.spec!.template.metadata.labels, deploy.spec!.selector.matchLabels);
    const ing = find(objs, 'Ingress', 'app-ilba-ingress');
    assert.equal(ing.apiVersion, 'networking.k8s.io/v1');
    assert.equal(ing.spec!.ingressClassName, 'cilium');
    assert.deepEqual(ing.spec!.rules, [{ host: 'test-ingress.ilba.cat', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app-ilba-service', port: { number: 80 } } } }] } }]);
    assert.equal(ing.metadata.annotations, undefined, 'shared mode: the VIP belongs to cilium-ingress');
  });

  test('ingress app: absent without ingressHost or with the ingress controller off', () => {
    const p = structuredClone(LAB);
    delete p.spec.clusters[0]!.ingressHost;
    assert.equal(renderIngressApp(p, p.spec.clusters[0]!), undefined);
    const off = structuredClone(LAB);
    off.spec.cilium.ingress.enabled = false;
    assert.equal(renderIngressApp(off, off.spec.clusters[0]!), undefined);
  });

  test('ingress app, dedicated mode: the Ingress pins its own LoadBalancer to the next free VIP', () => {
    const p = validFixture('three-clusters.yaml');
    const ing = find(objects(renderIngressApp(p, p.spec.clusters[1]!)), 'Ingress', 'app-ilba-ingress');
    // .200 goes to cilium-ingress, .201 to this Ingress's own Service, .202 to clustermesh-apiserver.
    assert.deepEqual(ing.metadata.annotations, { 'lbipam.cilium.io/ips': '192.168.11.201' });
  });

  test('global service demo: rebel-base answers with its cluster id; both Services global', () => {
    for (const [cluster, id] of [[C1, 1], [C2, 2]] as const) {
      const objs = objects(renderGlobalServiceDemo(LAB, cluster));
      assert.deepEqual(kinds(objs), ['ConfigMap/rebel-base-response', 'Deployment/rebel-base', 'Deployment/x-wing', 'Service/rebel-base', 'Service/rebel-base-headless']);
      assert.ok(objs.every((o) => o.metadata.namespace === 'default'));
      assert.equal(find(objs, 'ConfigMap', 'rebel-base-response').data!.message, `{"Galaxy": "Alderaan", "Cluster": "Cluster-${id}"}\n`);
      const rebel = find(objs, 'Deployment', 'rebel-base');
      assert.equal(rebel.spec!.replicas, 2);
      assert.deepEqual(rebel.spec!.template.metadata.labels, { name: 'rebel-base' });
      assert.equal(rebel.spec!.template.spec.containers[0].image, 'docker.io/nginx:1.15.8');
      assert.equal(rebel.spec!.template.spec.containers[0].volumeMounts[0].mountPath, '/usr/share/nginx/html/');
      assert.deepEqual(rebel.spec!.template.spec.volumes[0].configMap, { name: 'rebel-base-response', items: [{ key: 'message', path: 'index.html' }] });
      const xwing = find(objs, 'Deployment', 'x-wing');
      assert.equal(xwing.spec!.replicas, 2);
      assert.deepEqual(xwing.spec!.template.metadata.labels, { name: 'x-wing' });
      assert.equal(xwing.spec!.template.spec.containers[0].image, 'docker.io/cilium/json-mock:1.2');
      const svc = find(objs, 'Service', 'rebel-base');
      const headless = find(objs, 'Service', 'rebel-base-headless');
      for (const s of [svc, headless]) {
        assert.deepEqual(s.metadata.annotations, { 'service.cilium.io/global': 'true' });
        assert.deepEqual(s.spec!.selector, { name: 'rebel-base' });
        assert.equal(s.spec!.ports[0].port, 80);
      }
      assert.equal(headless.spec!.clusterIP, 'None');
      assert.equal(svc.spec!.clusterIP, undefined);
    }
  });

  test('global service demo: the annotation value stays the string "true" in the YAML text', () => {
    assert.match(renderGlobalServiceDemo(LAB, C1)!.content, /service\.cilium\.io\/global: "true"/);
  });

  test('global service demo: absent when the mesh is off', () => {
    const p: Platform = structuredClone(LAB);
    p.spec.mesh.enabled = false;
    assert.equal(renderGlobalServiceDemo(p, p.spec.clusters[0]!), undefined);
    const edge = validFixture('single-cluster-no-mesh.yaml');
    assert.equal(renderGlobalServiceDemo(edge, edge.spec.clusters[0]!), undefined);
  });
});

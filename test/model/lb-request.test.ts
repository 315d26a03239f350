/**
 * A Service as Cilium 1.16's LB IPAM reads it (operator/pkg/lbipam/lbipam.go, pkg/annotation
 * k8s.go; Documentation/network/lb-ipam.rst "Requesting IPs", "Sharing Keys"): only type
 * LoadBalancer, and only without a loadBalancerClass or with Cilium's own
 * (io.cilium/bgp-control-plane, io.cilium/l2-announcer); requested addresses are
 * `lbipam.cilium.io/ips` (comma-separated, alias io.cilium/lb-ipam-ips) and spec.loadBalancerIP,
 * each once; the sharing annotations under their current key before the alias.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../src/manifests/index.js';
import { Findings, lbIpamRequest, serviceOf, servedByLbIpam } from '../../src/model/index.js';

function service(metadata: string, spec: string) {
  const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: storefront\n  namespace: shop\n${metadata}spec:\n  type: LoadBalancer\n  selector: {app: storefront}\n  ports: [{name: http, port: 80}, {name: https, port: 443}]\n${spec}`;
  const svc = serviceOf(parseManifestText('storefront.yaml', text).objects[0]!, new Findings());
  assert.ok(svc);
  return svc;
}

describe('which Services LB IPAM answers', () => {
  test('type LoadBalancer without a class, or with the BGP or L2 announcer\'s class', () => {
    assert.equal(servedByLbIpam(service('', '')), true);
    assert.equal(servedByLbIpam(service('', '  loadBalancerClass: io.cilium/bgp-control-plane\n')), true);
    assert.equal(servedByLbIpam(service('', '  loadBalancerClass: io.cilium/l2-announcer\n')), true);
  });

  test('another controller\'s class (an AWS NLB) is not LB IPAM\'s; nor is a ClusterIP or NodePort Service', () => {
    assert.equal(servedByLbIpam(service('', '  loadBalancerClass: service.k8s.aws/nlb\n')), false);
    assert.equal(servedByLbIpam({ ...service('', ''), type: 'ClusterIP' }), false);
    assert.equal(servedByLbIpam({ ...service('', ''), type: 'NodePort' }), false);
  });
});

describe('the request', () => {
  test('nothing asked: no address, its ports, Cluster traffic policy, its selector', () => {
    assert.deepEqual(lbIpamRequest(service('', '')), { namespace: 'shop', name: 'storefront', requestedIPs: [], ports: [80, 443], externalTrafficPolicy: 'Cluster', selector: { app: 'storefront' } });
  });

  test('lbipam.cilium.io/ips with spaces after the commas, and the same address as spec.loadBalancerIP: each once', () => {
    const svc = service('  annotations:\n    lbipam.cilium.io/ips: "172.26.0.103, 172.26.0.104"\n', '  loadBalancerIP: 172.26.0.103\n');
    assert.deepEqual(lbIpamRequest(svc).requestedIPs, ['172.26.0.103', '172.26.0.104']);
  });

  test('the older io.cilium/lb-ipam-ips, and spec.loadBalancerIP alone', () => {
    assert.deepEqual(lbIpamRequest(service('  annotations:\n    io.cilium/lb-ipam-ips: "172.26.0.110"\n', '')).requestedIPs, ['172.26.0.110']);
    assert.deepEqual(lbIpamRequest(service('', '  loadBalancerIP: 172.26.0.111\n')).requestedIPs, ['172.26.0.111']);
  });

  test('an address the Service already holds is asked again only when it asks for none', () => {
    assert.deepEqual(lbIpamRequest(service('', ''), '172.26.0.103').requestedIPs, ['172.26.0.103']);
    assert.deepEqual(lbIpamRequest(service('', '  loadBalancerIP: 172.26.0.111\n'), '172.26.0.103').requestedIPs, ['172.26.0.111']);
  });

  test('sharing key and namespaces: current key first, the alias otherwise; namespaces split on commas as written', () => {
    const r = lbIpamRequest(service('  annotations:\n    lbipam.cilium.io/sharing-key: edge\n    io.cilium/lb-ipam-sharing-key: old\n    io.cilium/lb-ipam-sharing-cross-namespace: "web,payments"\n', '  externalTrafficPolicy: Local\n'));
    assert.deepEqual([r.sharingKey, r.sharingCrossNamespace, r.externalTrafficPolicy], ['edge', ['web', 'payments'], 'Local']);
    const alias = lbIpamRequest(service('  annotations:\n    io.cilium/lb-ipam-sharing-key: old\n    lbipam.cilium.io/sharing-cross-namespace: "*"\n', ''));
    assert.deepEqual([alias.sharingKey, alias.sharingCrossNamespace], ['old', ['*']]);
  });

  test('an empty sharing key is no sharing key', () => {
    const r = lbIpamRequest(service('  annotations:\n    lbipam.cilium.io/sharing-key: ""\n', ''));
    assert.equal('sharingKey' in r, false);
  });

  test('a selector-less Service asks without a selector', () => {
    assert.equal('selector' in lbIpamRequest({ ...service('', ''), selector: undefined }), false);
  });
});

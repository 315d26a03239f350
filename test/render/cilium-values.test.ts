import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { IssuedCert, MeshPki } from '../../src/pki/index.js';
import { ciliumSecretValues, ciliumValues } from '../../src/render/index.js';
import { validatePlatformFile, type Platform } from '../../src/spec/index.js';
import { loadChart, unknownChartKeys } from '../helpers/chart-keys.js';
import { REPO_ROOT, TEST_ROOT } from '../helpers/golden.js';

function load(file: string): Platform {
  const r = validatePlatformFile(file);
  assert.ok(r.platform, r.diagnostics.map((d) => d.message).join('\n'));
  return r.platform;
}

const LAB = load(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'));
const FIXTURES = ['three-clusters.yaml', 'nodeport-511.yaml', 'single-cluster-no-mesh.yaml'].map((f) => load(join(TEST_ROOT, 'fixtures', 'platforms-valid', f)));

const get = (v: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);

describe('Cilium values', () => {
  test('reference lab, cluster 1: name, id, pod CIDR, API server, pinned VIPs, peer', () => {
    const v = ciliumValues(LAB, LAB.spec.clusters[0]!);
    assert.deepEqual(get(v, 'cluster'), { name: 'k8s-cilium-01', id: 1 });
    assert.deepEqual(get(v, 'ipam'), { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.1.0.0/16'], clusterPoolIPv4MaskSize: 24 } });
    assert.equal(get(v, 'kubeProxyReplacement'), true);
    // Kubespray's localhost load balancer: nginx-proxy on workers, the API server itself on control planes.
    assert.equal(get(v, 'k8sServiceHost'), '127.0.0.1');
    assert.equal(get(v, 'k8sServicePort'), 6443);
    assert.equal(get(v, 'ingressController.loadbalancerMode'), 'shared');
    assert.deepEqual(get(v, 'ingressController.service.annotations'), { 'lbipam.cilium.io/ips': '172.26.0.101' });
    assert.equal(get(v, 'l2announcements.enabled'), true);
    assert.ok((get(v, 'k8sClientRateLimit.qps') as number) > 10, "raised above the chart's default of 10 QPS");
    assert.equal(get(v, 'clustermesh.useAPIServer'), true);
    assert.equal(get(v, 'clustermesh.apiserver.service.type'), 'LoadBalancer');
    assert.deepEqual(get(v, 'clustermesh.apiserver.service.annotations'), { 'lbipam.cilium.io/ips': '172.26.0.102' });
    assert.equal(get(v, 'clustermesh.apiserver.kvstoremesh.enabled'), true);
    assert.equal(get(v, 'clustermesh.apiserver.tls.auto.enabled'), false);
    assert.equal(get(v, 'clustermesh.config.enabled'), true);
    assert.deepEqual(get(v, 'clustermesh.config.clusters'), [{ name: 'k8s-cilium-02', ips: ['172.26.0.106'], port: 2379 }]);
    assert.equal(get(v, 'hubble.tls.auto.enabled'), false);
  });

  test('no secret material in the public values', () => {
    for (const p of [LAB, ...FIXTURES]) {
      for (const c of p.spec.clusters) {
        const text = JSON.stringify(ciliumValues(p, c));
        assert.doesNotMatch(text, /PRIVATE KEY|BEGIN CERTIFICATE|"cert"|"key"/);
      }
    }
  });

  test('NodePort apiserver under kube-proxy replacement: a distinct node port per cluster, peers on node addresses', () => {
    const p = FIXTURES[1]!;
    const [a, b] = p.spec.clusters.map((c) => ciliumValues(p, c));
    assert.notEqual(get(a, 'clustermesh.apiserver.service.nodePort'), get(b, 'clustermesh.apiserver.service.nodePort'));
    assert.deepEqual(get(a, 'clustermesh.config.clusters'), [{ name: 'dc-301', ips: ['172.31.0.10'], port: get(b, 'clustermesh.apiserver.service.nodePort') }]);
    assert.equal(get(a, 'routingMode'), 'native');
    assert.equal(get(a, 'ipv4NativeRoutingCIDR'), '10.0.0.0/8');
    assert.equal(get(a, 'clustermesh.maxConnectedClusters'), 511);
  });

  test('mesh off: no clustermesh-apiserver, no peers', () => {
    const p = FIXTURES[2]!;
    const v = ciliumValues(p, p.spec.clusters[0]!);
    assert.deepEqual(get(v, 'clustermesh'), { useAPIServer: false });
    assert.equal(get(v, 'l2announcements.enabled'), false, 'L2 announcements need kube-proxy replacement');
    assert.deepEqual(get(v, 'nodePort'), { enabled: true }, "the Ingress needs Cilium's NodePort without kube-proxy replacement");
  });

  test('every rendered key exists in the Cilium 1.16.5 chart, with the type its schema wants', () => {
    for (const p of [LAB, ...FIXTURES]) {
      for (const c of p.spec.clusters) assert.deepEqual(unknownChartKeys(ciliumValues(p, c)), [], `${p.metadata.name}/${c.name}`);
    }
  });

  test('the chart-key check does catch a key the chart lacks or a wrong type', () => {
    assert.deepEqual(unknownChartKeys({ clustermesh: { apiserver: { servise: { type: 'LoadBalancer' } } }, cluster: { id: '1' } }), [
      'clustermesh.apiserver.servise: not a key of the chart',
      'cluster.id: "1" is not integer',
    ]);
    assert.deepEqual(unknownChartKeys({ clustermesh: { config: { clusters: [{ name: 'x', adress: 'y' }] } } }), ['clustermesh.config.clusters[].adress: not a key of the chart']);
  });
});

const fixture = (f: string) => load(join(TEST_ROOT, 'fixtures', 'platforms-valid', f));
const invalidButWarned = (f: string) => load(join(TEST_ROOT, 'fixtures', 'platforms', f));

describe('Cilium values follow the platform', () => {
  test('operator replicas: the chart default of 2 where two nodes exist, 1 on a single node', () => {
    // values.yaml: operator.replicas 2, with a required pod anti-affinity on io.cilium/app=operator,
    // so a second replica on a one-node cluster could never be scheduled.
    const chart = loadChart().values as { operator: { replicas: number; affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { labelSelector: { matchLabels: Record<string, string> } }[] } } } };
    assert.equal(chart.operator.replicas, 2);
    assert.deepEqual(chart.operator.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]!.labelSelector.matchLabels, { 'io.cilium/app': 'operator' });
    const p = fixture('ipsec-relay.yaml');
    assert.deepEqual(p.spec.clusters.map((c) => [c.nodes.length, get(ciliumValues(p, c), 'operator.replicas')]), [[3, 2], [1, 1]]);
    assert.equal(get(ciliumValues(LAB, LAB.spec.clusters[0]!), 'operator.replicas'), 2);
  });

  test('k8sServiceHost of an existing cluster: its load balancer, else its control plane even when a worker is listed first', () => {
    const p = invalidButWarned('api-server-single-control-plane.yaml');
    assert.deepEqual(p.spec.clusters.map((c) => [get(ciliumValues(p, c), 'k8sServiceHost'), get(ciliumValues(p, c), 'k8sServicePort')]), [['10.40.1.11', 6443], ['10.40.2.10', 8443]]);
    const workerFirst = fixture('ipsec-relay.yaml');
    workerFirst.spec.kubernetes.provisioner = 'existing';
    assert.equal(get(ciliumValues(workerFirst, workerFirst.spec.clusters[0]!), 'k8sServiceHost'), '10.7.0.11');
  });

  test("nodePort only for the Ingress without kube-proxy replacement; not without the Ingress", () => {
    const p = fixture('ha-external-lb.yaml');
    const v = ciliumValues(p, p.spec.clusters[0]!);
    assert.equal(get(v, 'kubeProxyReplacement'), false);
    assert.equal(get(v, 'ingressController.enabled'), false);
    assert.equal(get(v, 'nodePort'), undefined);
  });

  test('encryption as the platform says: IPsec, WireGuard, or off', () => {
    // values.yaml: encryption.type "Can be either ipsec or wireguard".
    const ipsec = fixture('ipsec-relay.yaml');
    const wg = FIXTURES[0]!;
    for (const c of ipsec.spec.clusters) assert.deepEqual(get(ciliumValues(ipsec, c), 'encryption'), { enabled: true, type: 'ipsec' });
    for (const c of wg.spec.clusters) assert.deepEqual(get(ciliumValues(wg, c), 'encryption'), { enabled: true, type: 'wireguard' });
    assert.deepEqual(get(ciliumValues(LAB, LAB.spec.clusters[0]!), 'encryption'), { enabled: false });
  });

  test('an uneven mesh: every cluster lists exactly the others, at the VIP its own pool pins the clustermesh-apiserver to', () => {
    // Dedicated ingress: cilium-ingress takes the first address, the Ingress's own Service the second
    // (each cluster has an ingressHost), the clustermesh-apiserver the third.
    const p = FIXTURES[0]!;
    const peers = (i: number) => get(ciliumValues(p, p.spec.clusters[i]!), 'clustermesh.config.clusters');
    assert.deepEqual(p.spec.clusters.map((c) => c.nodes.length), [5, 2, 3]);
    assert.deepEqual(peers(0), [{ name: 'eu-central', ips: ['192.168.11.202'], port: 2379 }, { name: 'us-east', ips: ['192.168.20.202'], port: 2379 }]);
    assert.deepEqual(peers(1), [{ name: 'eu-west', ips: ['192.168.10.202'], port: 2379 }, { name: 'us-east', ips: ['192.168.20.202'], port: 2379 }]);
    assert.deepEqual(peers(2), [{ name: 'eu-west', ips: ['192.168.10.202'], port: 2379 }, { name: 'eu-central', ips: ['192.168.11.202'], port: 2379 }]);
  });

  test('every rendered key of the new fixtures exists in the chart too', () => {
    for (const p of [fixture('ipsec-relay.yaml'), fixture('ha-external-lb.yaml'), fixture('mesh-off-same-pod-cidr.yaml')]) {
      for (const c of p.spec.clusters) assert.deepEqual(unknownChartKeys(ciliumValues(p, c)), [], `${p.metadata.name}/${c.name}`);
    }
  });
});

describe('Cilium secret values', () => {
  const cert = (id: string): IssuedCert => ({ id, cert: `CERT ${id}`, key: `KEY ${id}`, commonName: id, dnsNames: [], ipAddresses: [], usages: [], notBefore: '', notAfter: '' } as unknown as IssuedCert);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  function pki(p: Platform, relay: boolean): MeshPki {
    return {
      ca: cert('ca'),
      clusters: Object.fromEntries(p.spec.clusters.map((c) => [c.name, { clustermeshServer: cert(`${c.name}/server`), clustermeshAdmin: cert(`${c.name}/admin`), clustermeshRemote: cert(`${c.name}/remote`), hubbleServer: cert(`${c.name}/hubble`), ...(relay ? { hubbleRelayClient: cert(`${c.name}/relay`) } : {}) }])),
    } as MeshPki;
  }

  test('Hubble Relay on: its client certificate goes to hubble.relay.tls.client, beside the server\'s', () => {
    const p = fixture('ipsec-relay.yaml');
    const c = p.spec.clusters[1]!;
    const v = ciliumSecretValues(p, c, pki(p, true), { caKeyToChart: false, kubeletInsecureTls: false });
    assert.deepEqual(get(v, 'hubble.relay.tls.client'), { cert: b64('CERT clinic-south/relay'), key: b64('KEY clinic-south/relay') });
    assert.deepEqual(get(v, 'hubble.tls.server'), { cert: b64('CERT clinic-south/hubble'), key: b64('KEY clinic-south/hubble') });
    assert.deepEqual(unknownChartKeys(v), []);
    assert.equal(get(v, 'tls.ca.key'), undefined);
  });

  test('Hubble Relay off: no client certificate', () => {
    const v = ciliumSecretValues(LAB, LAB.spec.clusters[0]!, pki(LAB, false), { caKeyToChart: false, kubeletInsecureTls: false });
    assert.equal(get(v, 'hubble.relay'), undefined);
    assert.deepEqual(get(v, 'hubble.tls.server'), { cert: b64('CERT k8s-cilium-01/hubble'), key: b64('KEY k8s-cilium-01/hubble') });
  });
});

describe('Cilium values, whole, derived by hand', () => {
  test('a single-node IPsec cluster with Hubble Relay (clinic-south): every value the chart is given', () => {
    // Defaults from platform.schema.json: kubespray, kube-proxy replacement, tunnel/vxlan, shared
    // Ingress, KVStoreMesh, 255 clusters, mask 24. Pool 10.8.0.240-241: cilium-ingress takes the
    // first address, the clustermesh-apiserver the second; the peer is clinic-north's second.
    // Chart 1.16.5 values.yaml: clustermesh.config.domain mesh.cilium.io, the apiserver's etcd on 2379.
    const p = fixture('ipsec-relay.yaml');
    assert.deepEqual(ciliumValues(p, p.spec.clusters[1]!), {
      cluster: { name: 'clinic-south', id: 8 },
      ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.80.0.0/16'], clusterPoolIPv4MaskSize: 24 } },
      kubeProxyReplacement: true,
      k8sServiceHost: '127.0.0.1',
      k8sServicePort: 6443,
      routingMode: 'tunnel',
      tunnelProtocol: 'vxlan',
      operator: { replicas: 1 },
      ingressController: { enabled: true, loadbalancerMode: 'shared', service: { type: 'LoadBalancer', annotations: { 'lbipam.cilium.io/ips': '10.8.0.240' } } },
      l2announcements: { enabled: true },
      // Cilium's L2 announcements guide: each announced Service holds a lease; 10 QPS plus 2 per pinned VIP (2 here), burst twice that.
      k8sClientRateLimit: { qps: 14, burst: 28 },
      clustermesh: {
        useAPIServer: true,
        maxConnectedClusters: 255,
        config: { enabled: true, domain: 'mesh.cilium.io', clusters: [{ name: 'clinic-north', ips: ['10.7.0.241'], port: 2379 }] },
        apiserver: {
          replicas: 1,
          service: { type: 'LoadBalancer', annotations: { 'lbipam.cilium.io/ips': '10.8.0.241' } },
          kvstoremesh: { enabled: true },
          tls: { authMode: 'legacy', auto: { enabled: false } },
        },
      },
      hubble: { enabled: true, relay: { enabled: true }, ui: { enabled: false }, tls: { enabled: true, auto: { enabled: false } } },
      encryption: { enabled: true, type: 'ipsec' },
    });
  });

  test('NodePort clustermesh-apiserver: type NodePort on 32000 + cluster id, no VIP annotation; native routing, no tunnel protocol', () => {
    const p = FIXTURES[1]!;
    const v = ciliumValues(p, p.spec.clusters[0]!);
    assert.deepEqual(get(v, 'clustermesh.apiserver.service'), { type: 'NodePort', nodePort: 32300 });
    assert.deepEqual(get(v, 'clustermesh.apiserver.kvstoremesh'), { enabled: false });
    assert.equal(get(v, 'tunnelProtocol'), undefined);
    // The Ingress still gets the pool's only address.
    assert.deepEqual(get(v, 'ingressController.service'), { type: 'LoadBalancer', annotations: { 'lbipam.cilium.io/ips': '172.30.0.100' } });
    assert.deepEqual(get(v, 'k8sClientRateLimit'), { qps: 12, burst: 24 });
  });

  test('tunnel mode says its protocol (geneve here) and no native routing CIDR', () => {
    const p = FIXTURES[0]!;
    const v = ciliumValues(p, p.spec.clusters[0]!);
    assert.equal(get(v, 'routingMode'), 'tunnel');
    assert.equal(get(v, 'tunnelProtocol'), 'geneve');
    assert.equal(Object.hasOwn(v, 'ipv4NativeRoutingCIDR'), false);
  });

  test('Hubble off: the chart is told hubble.enabled false and nothing else about Hubble; Relay and UI follow the platform', () => {
    const off = structuredClone(LAB);
    off.spec.cilium.hubble = { enabled: false, relay: false, ui: false };
    assert.deepEqual(get(ciliumValues(off, off.spec.clusters[0]!), 'hubble'), { enabled: false });
    const ui = structuredClone(LAB);
    ui.spec.cilium.hubble = { enabled: true, relay: true, ui: true };
    assert.deepEqual(get(ciliumValues(ui, ui.spec.clusters[0]!), 'hubble'), { enabled: true, relay: { enabled: true }, ui: { enabled: true }, tls: { enabled: true, auto: { enabled: false } } });
  });

  test('no address to pin (an empty pool, which validate refuses as LB_IPS_TOO_FEW): no lbipam annotation rather than an empty one', () => {
    const p = structuredClone(LAB);
    p.spec.clusters[0]!.loadBalancerIPs = [];
    const v = ciliumValues(p, p.spec.clusters[0]!);
    assert.deepEqual(get(v, 'ingressController.service'), { type: 'LoadBalancer' });
    assert.deepEqual(get(v, 'clustermesh.apiserver.service'), { type: 'LoadBalancer' });
  });
});

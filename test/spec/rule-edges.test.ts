import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument, type Document } from 'yaml';
import type { Diagnostic } from '../../src/diag/index.js';
import { loadBalancerPoolName, validatePlatformText } from '../../src/spec/index.js';
import { ClusterSchema, MeshSchema, NodeSchema } from '../../src/spec/schema.js';
import { REPO_ROOT } from '../helpers/golden.js';

/**
 * Edges of the platform rules, each on the reference lab changed in one place. Expectations come
 * from the upstream rule each check mirrors (cited per test), not from the rules' code.
 */
const LAB = readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8');

/** What validate finds in the reference lab once `edit` has changed it. */
function diagnose(edit: (doc: Document) => void): Diagnostic[] {
  const doc = parseDocument(LAB);
  edit(doc);
  return validatePlatformText('platform.yaml', doc.toString()).diagnostics;
}
const findings = (edit: (doc: Document) => void) => diagnose(edit).map(({ severity, code, message, hint }) => ({ severity, code, message, ...(hint ? { hint } : {}) }));
const codes = (edit: (doc: Document) => void) => findings(edit).map((f) => f.code);

describe('cluster ids (Cilium clustermesh docs: 1..255, up to 511 with maxConnectedClusters 511)', () => {
  for (const id of [256, 300, 511]) {
    test(`id ${id} is out of range by default, and the hint names maxConnectedClusters: 511`, () => {
      const [f, ...rest] = findings((d) => d.setIn(['spec', 'clusters', 1, 'id'], id));
      assert.deepEqual(rest, []);
      assert.equal(f?.code, 'CLUSTER_ID_RANGE');
      assert.equal(f?.message, `cluster id ${id} of k8s-cilium-02 is out of range 1..255`);
      assert.equal(f?.hint, 'ids above 255 need mesh.maxConnectedClusters: 511');
    });
  }
  test('the same id is fine once maxConnectedClusters is 511', () => {
    assert.deepEqual(codes((d) => { d.setIn(['spec', 'clusters', 1, 'id'], 300); d.setIn(['spec', 'mesh', 'maxConnectedClusters'], 511); }), []);
  });
  for (const id of [-1, 600]) {
    test(`id ${id} is out of range, and 511 would not help`, () => {
      const f = findings((d) => d.setIn(['spec', 'clusters', 1, 'id'], id));
      assert.deepEqual(f.map((x) => x.code), ['CLUSTER_ID_RANGE']);
      assert.equal(f[0]?.hint, 'pick an id in 1..255');
    });
  }
});

test('an invalid cluster name gets a suggestion Cilium would accept (pkg/clustermesh/types: lowercase alphanumerics and "-", alphanumeric at both ends)', () => {
  const f = findings((d) => d.setIn(['spec', 'clusters', 1, 'name'], '--My_Cluster..02--'));
  assert.deepEqual(f.map((x) => x.code), ['CLUSTER_NAME_INVALID']);
  assert.equal(f[0]?.hint, 'e.g. "my-cluster-02"');
});

describe('Hubble (cilium chart: Relay and UI run on Hubble)', () => {
  test('Relay alone with Hubble off is refused', () => {
    assert.deepEqual(codes((d) => d.setIn(['spec', 'cilium', 'hubble'], { enabled: false, relay: true, ui: false })), ['HUBBLE_DISABLED']);
  });
  test('Hubble off with neither Relay nor UI is fine', () => {
    assert.deepEqual(codes((d) => d.setIn(['spec', 'cilium', 'hubble'], { enabled: false, relay: false, ui: false })), []);
  });
});

describe('ingressHost is a DNS-1123 subdomain (Kubernetes IsDNS1123Subdomain: labels of 1..63, at most 253 in all)', () => {
  test('one-character labels are valid', () => {
    assert.deepEqual(codes((d) => d.setIn(['spec', 'clusters', 1, 'ingressHost'], 'a.b.example.com')), []);
    assert.deepEqual(codes((d) => d.setIn(['spec', 'clusters', 1, 'ingressHost'], 'x')), []);
  });
  test('253 characters are valid, 254 are not', () => {
    const name = (n: number) => [...Array(3).fill('a'.repeat(63)), 'b'.repeat(n - 3 * 64)].join('.');
    assert.equal(name(253).length, 253);
    assert.deepEqual(codes((d) => d.setIn(['spec', 'clusters', 1, 'ingressHost'], name(253))), []);
    assert.deepEqual(codes((d) => d.setIn(['spec', 'clusters', 1, 'ingressHost'], name(254))), ['INGRESS_HOST_INVALID']);
  });
});

describe('L2 announcements need kube-proxy replacement (Cilium l2-announcements docs)', () => {
  const kprOff = (d: Document) => d.setIn(['spec', 'cilium', 'kubeProxyReplacement'], false);
  const noLoadBalancers = (d: Document) => {
    d.setIn(['spec', 'cilium', 'ingress', 'enabled'], false);
    d.setIn(['spec', 'mesh', 'apiserverService'], 'NodePort');
    d.deleteIn(['spec', 'clusters', 0, 'ingressHost']);
    d.deleteIn(['spec', 'clusters', 1, 'ingressHost']);
  };
  test('one cluster with VIPs is enough for the warning', () => {
    const f = findings((d) => { kprOff(d); noLoadBalancers(d); d.deleteIn(['spec', 'clusters', 1, 'loadBalancerIPs']); });
    assert.deepEqual(f.map((x) => `${x.severity} ${x.code}`), ['warning VIPS_NOT_ANNOUNCED']);
  });
  test('no VIPs anywhere, nothing to announce: no warning', () => {
    assert.deepEqual(codes((d) => { kprOff(d); noLoadBalancers(d); d.deleteIn(['spec', 'clusters', 0, 'loadBalancerIPs']); d.deleteIn(['spec', 'clusters', 1, 'loadBalancerIPs']); }), []);
  });
});

/**
 * LB IPAM gives each LoadBalancer Service one address of the pool (Cilium lb-ipam docs); the
 * reference lab's clusters need two: the shared Ingress's kube-system/cilium-ingress and the
 * mesh's kube-system/clustermesh-apiserver (apiserverService: LoadBalancer).
 */
describe('LB_IPS_TOO_FEW counts what is missing', () => {
  const tooFew = (edit: (doc: Document) => void) => findings(edit).filter((f) => f.code === 'LB_IPS_TOO_FEW');
  test('one address for two Services: one more, or the mesh API server on a NodePort', () => {
    assert.deepEqual(tooFew((d) => d.setIn(['spec', 'clusters', 1, 'loadBalancerIPs'], ['172.26.0.105'])), [
      {
        severity: 'error',
        code: 'LB_IPS_TOO_FEW',
        message: 'cluster k8s-cilium-02 has 1 LoadBalancer IP for 2 LoadBalancer services: kube-system/cilium-ingress, kube-system/clustermesh-apiserver',
        hint: 'add 1 more address to loadBalancerIPs, or set mesh.apiserverService: NodePort',
      },
    ]);
  });
  test('no address for the one Service left when the mesh API server is a NodePort', () => {
    const f = tooFew((d) => { d.setIn(['spec', 'mesh', 'apiserverService'], 'NodePort'); d.deleteIn(['spec', 'clusters', 1, 'loadBalancerIPs']); });
    assert.deepEqual(f.map((x) => [x.message, x.hint]), [['cluster k8s-cilium-02 has 0 LoadBalancer IPs for 1 LoadBalancer service: kube-system/cilium-ingress', 'add 1 more address to loadBalancerIPs']]);
  });
  test('cilium.ingress left out is the chart\'s default, the ingress controller on: its Service still needs an address', () => {
    const f = tooFew((d) => { d.deleteIn(['spec', 'cilium', 'ingress']); d.setIn(['spec', 'mesh', 'apiserverService'], 'NodePort'); d.deleteIn(['spec', 'clusters', 1, 'loadBalancerIPs']); });
    assert.deepEqual(f.map((x) => x.message), ['cluster k8s-cilium-02 has 0 LoadBalancer IPs for 1 LoadBalancer service: kube-system/cilium-ingress']);
  });
  test('without the mesh there is no API server to move off a LoadBalancer', () => {
    const f = tooFew((d) => { d.setIn(['spec', 'mesh', 'enabled'], false); d.deleteIn(['spec', 'clusters', 1, 'loadBalancerIPs']); });
    assert.deepEqual(f.map((x) => x.hint), ['add 1 more address to loadBalancerIPs']);
  });
});

/** One address in two pools answers ARP twice; the later entry in the file is the one reported. */
describe('LB_IP_DUPLICATE', () => {
  const duplicates = (edit: (doc: Document) => void) => findings(edit).filter((f) => f.code === 'LB_IP_DUPLICATE').map((f) => f.message);
  test('within one cluster, the later entry is reported whichever has the lower address', () => {
    assert.deepEqual(duplicates((d) => d.setIn(['spec', 'clusters', 1, 'loadBalancerIPs'], ['172.26.0.108/30', '172.26.0.110'])), [
      'LoadBalancer IP 172.26.0.110 of cluster k8s-cilium-02 overlaps 172.26.0.108/30 of cluster k8s-cilium-02 (loadBalancerIPs[0]: 172.26.0.108/30)',
    ]);
    assert.deepEqual(duplicates((d) => d.setIn(['spec', 'clusters', 1, 'loadBalancerIPs'], ['172.26.0.110', '172.26.0.108/30'])), [
      'LoadBalancer IP 172.26.0.108/30 of cluster k8s-cilium-02 overlaps 172.26.0.110 of cluster k8s-cilium-02 (loadBalancerIPs[0]: 172.26.0.110)',
    ]);
  });
  /** The first cluster's pool and the second's; each finding's message. */
  const clashes = (first: string[], second: string[]) => duplicates((d) => {
    d.setIn(['spec', 'clusters', 0, 'loadBalancerIPs'], first);
    d.setIn(['spec', 'clusters', 1, 'loadBalancerIPs'], second);
  });
  const overlaps = (text: string, other = '172.26.0.96/28') => `LoadBalancer IP ${text} of cluster k8s-cilium-02 overlaps ${other} of cluster k8s-cilium-01 (loadBalancerIPs[0]: ${other})`;
  test('a wide range clashes with every address inside it, not only the first', () => {
    assert.deepEqual(clashes(['172.26.0.96/28'], ['172.26.0.105', '172.26.0.101']), [overlaps('172.26.0.105'), overlaps('172.26.0.101')]);
  });
  test('one pool given three times: the second and the third are reported, each against the first', () => {
    assert.deepEqual(clashes(['172.26.0.96/28'], ['172.26.0.96/28', '172.26.0.96/28']), [overlaps('172.26.0.96/28'), overlaps('172.26.0.96/28')]);
  });
  test('ranges ending on the same address: each later one is reported against the first, which reaches as far', () => {
    assert.deepEqual(clashes(['172.26.0.96/28'], ['172.26.0.104/29', '172.26.0.108/30']), [overlaps('172.26.0.104/29'), overlaps('172.26.0.108/30')]);
  });
});

/**
 * Cluster-pool IPAM cuts the pod CIDR into one /podCIDRMaskSize slice per node (Cilium
 * cluster-pool docs, clusterPoolIPv4MaskSize; Kubespray kube_network_node_prefix).
 */
describe('pod CIDR slices', () => {
  const slices = (edit: (doc: Document) => void) => diagnose(edit).map((d) => ({ code: d.code, message: d.message, hint: d.hint, path: d.path?.join('.') }));
  test('a /24 cut into /25 slices holds exactly the two nodes', () => {
    assert.deepEqual(slices((d) => { d.setIn(['spec', 'clusters', 1, 'podCIDR'], '10.2.0.0/24'); d.setIn(['spec', 'clusters', 1, 'podCIDRMaskSize'], 25); }), []);
  });
  test('a /24 cut into /24 slices holds one node, not two', () => {
    assert.deepEqual(slices((d) => { d.setIn(['spec', 'clusters', 1, 'podCIDR'], '10.2.0.0/24'); d.setIn(['spec', 'clusters', 1, 'podCIDRMaskSize'], 24); }), [
      {
        code: 'POD_CIDR_TOO_SMALL',
        message: 'pod CIDR 10.2.0.0/24 cut into /24 slices has room for 1 node, but cluster k8s-cilium-02 has 2',
        hint: 'use a larger pod CIDR (e.g. /23) or a larger podCIDRMaskSize',
        path: 'spec.clusters.1.podCIDRMaskSize',
      },
    ]);
  });
  test('two /25 slices for three nodes', () => {
    const f = slices((d) => {
      d.setIn(['spec', 'clusters', 1, 'podCIDR'], '10.2.0.0/24');
      d.setIn(['spec', 'clusters', 1, 'podCIDRMaskSize'], 25);
      d.addIn(['spec', 'clusters', 1, 'nodes'], { name: 'k8s-cilium-02-wk02', address: '172.26.0.147', role: 'worker' });
    });
    assert.deepEqual(f.map((x) => [x.message, x.hint]), [['pod CIDR 10.2.0.0/24 cut into /25 slices has room for 2 nodes, but cluster k8s-cilium-02 has 3', 'use a larger pod CIDR (e.g. /23) or a larger podCIDRMaskSize']]);
  });
  test('with podCIDRMaskSize left to its default (24) the finding points at the pod CIDR', () => {
    const [f] = slices((d) => { d.setIn(['spec', 'clusters', 1, 'podCIDR'], '10.2.0.0/24'); d.deleteIn(['spec', 'clusters', 1, 'podCIDRMaskSize']); });
    assert.equal(f?.code, 'POD_CIDR_TOO_SMALL');
    assert.equal(f?.path, 'spec.clusters.1.podCIDR');
  });
  test('a /31 slice leaves a node no pod addresses', () => {
    assert.deepEqual(slices((d) => d.setIn(['spec', 'clusters', 1, 'podCIDRMaskSize'], 31)).map((f) => f.code), ['POD_CIDR_MASK_SIZE']);
  });
});

test('native routing: every pod CIDR outside nativeRoutingCIDR is named (Cilium ipv4NativeRoutingCIDR)', () => {
  const f = findings((d) => { d.setIn(['spec', 'cilium', 'routingMode'], 'native'); d.setIn(['spec', 'cilium', 'nativeRoutingCIDR'], '10.100.0.0/16'); });
  assert.deepEqual(f.map((x) => x.message), ['nativeRoutingCIDR 10.100.0.0/16 does not cover the pod CIDR of k8s-cilium-01 (10.1.0.0/16), k8s-cilium-02 (10.2.0.0/16)']);
});

test('a duplicate node address names an unnamed first node by its index', () => {
  const f = findings((d) => {
    d.deleteIn(['spec', 'clusters', 1, 'nodes', 0, 'name']);
    d.setIn(['spec', 'clusters', 1, 'nodes', 1, 'address'], d.getIn(['spec', 'clusters', 1, 'nodes', 0, 'address']));
  }).filter((x) => x.code === 'NODE_ADDRESS_DUPLICATE');
  assert.deepEqual(f.map((x) => x.message), ['node address 172.26.0.145 is already used by node nodes[0] of cluster k8s-cilium-02']);
});

test('a VIP on the address of an unnamed node names it by its index', () => {
  const f = findings((d) => {
    d.deleteIn(['spec', 'clusters', 1, 'nodes', 1, 'name']);
    d.setIn(['spec', 'clusters', 1, 'loadBalancerIPs'], ['172.26.0.146', '172.26.0.106']);
  }).filter((x) => x.code === 'LB_IP_IS_NODE');
  assert.deepEqual(f.map((x) => x.message), ['LoadBalancer IP 172.26.0.146 of cluster k8s-cilium-02 includes the address of node nodes[1] (172.26.0.146) of cluster k8s-cilium-02']);
});

test('two control planes on an existing cluster: etcd is warned about, without Kubespray refusing it (roles/kubernetes/preinstall 0040-verify-settings.yml is Kubespray\'s)', () => {
  const f = findings((d) => {
    d.setIn(['spec', 'kubernetes', 'provisioner'], 'existing');
    d.setIn(['spec', 'clusters', 1, 'nodes', 1, 'role'], 'control-plane');
  }).filter((x) => x.code === 'ETCD_EVEN_MEMBERS');
  assert.deepEqual(f.map((x) => [x.severity, x.message]), [['warning', 'cluster k8s-cilium-02 has 2 control-plane nodes; etcd runs on each and an even member count tolerates no more failures than one fewer']]);
});

/** The schema's own refusals, in words (zod's issues turned into findings, src/spec/schema-issues.ts). */
describe('schema bounds and required values', () => {
  test('kind left out: a missing field, and the hint names its one allowed value', () => {
    assert.deepEqual(findings((d) => d.delete('kind')), [{ severity: 'error', code: 'MISSING_FIELD', message: 'missing required field "kind"', hint: 'add kind: Platform' }]);
    // Its place (-o json's path) is where it goes: the document itself, and in the first node its mapping.
    assert.deepEqual(diagnose((d) => d.delete('kind')).map((x) => x.path), [[]]);
    assert.deepEqual(diagnose((d) => d.deleteIn(['spec', 'clusters', 0, 'nodes', 0, 'address'])).map((x) => x.path), [['spec', 'clusters', 0, 'nodes', 0]]);
  });
  test('a mesh field of the wrong type is reported, and the rules read its default in its place', () => {
    // mesh.enabled defaults to true and maxConnectedClusters to 255 (Cilium's default): the cluster
    // id rules still apply as they would with the field left out, so one run reports everything.
    const f = findings((d) => { d.setIn(['spec', 'mesh', 'maxConnectedClusters'], 300); d.setIn(['spec', 'clusters', 1, 'id'], 256); });
    assert.deepEqual(f.map((x) => x.code), ['INVALID_VALUE', 'CLUSTER_ID_RANGE']);
    assert.equal(f[1]?.message, 'cluster id 256 of k8s-cilium-02 is out of range 1..255');
    const g = findings((d) => { d.setIn(['spec', 'mesh', 'enabled'], 'yes'); d.setIn(['spec', 'clusters', 1, 'podCIDR'], '10.1.0.0/16'); });
    assert.deepEqual(g.map((x) => x.code), ['INVALID_TYPE', 'POD_CIDR_OVERLAP']);
  });
  test('spec: null (an empty value): said once, as a mapping expected; no rule trips over it', () => {
    assert.deepEqual(findings((d) => d.set('spec', null)).map((f) => [f.code, f.message]), [['INVALID_TYPE', 'spec: expected a mapping, got null']]);
  });
  test('metadata left out: a missing top-level field, its description as the hint', () => {
    assert.deepEqual(findings((d) => d.delete('metadata')).map((f) => [f.code, f.message, f.hint]), [['MISSING_FIELD', 'missing required field "metadata"', 'add metadata: a mapping']]);
    // A field with a description in the schema: the hint says what it is (the description without its full stop).
    const address = findings((d) => d.deleteIn(['spec', 'clusters', 0, 'nodes', 1, 'address'])).filter((f) => f.code === 'MISSING_FIELD');
    assert.deepEqual(address.map((f) => [f.message, f.hint]), [['missing required field "address" in spec.clusters[0].nodes[1]', `add address (${NodeSchema.shape.address.description!.replace(/\.$/, '')})`]]);
  });
  test('a value of the wrong type is quoted back, a long string cut at 40 characters', () => {
    const long = 'k8s-cilium-01-cp,k8s-cilium-01-wk01,k8s-cilium-01-wk02';
    assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 0, 'nodes'], long)).map((f) => [f.code, f.message]), [['INVALID_TYPE', `spec.clusters[0].nodes: expected a list, got the string "${long.slice(0, 40)}…"`]]);
    assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 0, 'loadBalancerIPs'], [17])).map((f) => [f.code, f.message]), [
      // The entry that is no address counts for nothing in the pool (findings in file order: the pool's key comes first).
      ['LB_IPS_TOO_FEW', 'cluster k8s-cilium-01 has 0 LoadBalancer IPs for 2 LoadBalancer services: kube-system/cilium-ingress, kube-system/clustermesh-apiserver'],
      ['INVALID_TYPE', 'spec.clusters[0].loadBalancerIPs[0]: expected a string, got the number 17'],
    ]);
  });
  test('exactly 40 characters are quoted whole; true, a number and a string where other types belong', () => {
    const forty = 'k8s-cilium-01-cp-and-k8s-cilium-01-wk01x';
    assert.equal(forty.length, 40);
    assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 0, 'nodes'], forty)).map((f) => f.message), [`spec.clusters[0].nodes: expected a list, got the string "${forty}"`]);
    assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 0, 'nodes', 1, 'name'], true)).map((f) => f.message), ['spec.clusters[0].nodes[1].name: expected a string, got boolean true']);
    assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 1, 'id'], 'two')).map((f) => f.message), ['spec.clusters[1].id: expected a number, got the string "two"']);
    assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 1, 'id'], 1.5)).map((f) => f.message), ['spec.clusters[1].id: expected an integer, got the number 1.5']);
    assert.deepEqual(findings((d) => d.setIn(['spec', 'mesh', 'enabled'], 'sometimes')).map((f) => [f.message, f.hint]), [['spec.mesh.enabled: expected true or false, got the string "sometimes"', 'write true or false without quotes']]);
  });
  test('the hint for a value of the wrong type says how to write it', () => {
    const hint = (path: (string | number)[], value: unknown) => findings((d) => d.setIn(path, value)).map((f) => f.hint);
    assert.deepEqual(hint(['spec', 'mesh', 'enabled'], 'yes'), ['YAML 1.2 reads yes/no/on/off as strings: write true or false']);
    assert.deepEqual(hint(['spec', 'mesh', 'enabled'], 'Off'), ['YAML 1.2 reads yes/no/on/off as strings: write true or false']);
    for (const word of ['canyon', 'only']) assert.deepEqual(hint(['spec', 'mesh', 'enabled'], word), ['write true or false without quotes'], word);
    assert.deepEqual(hint(['spec', 'clusters', 1, 'id'], '12'), ['write the number without quotes']);
    for (const text of ['x2', '2x']) assert.deepEqual(hint(['spec', 'clusters', 1, 'id'], text), [undefined], text);
    assert.deepEqual(hint(['spec', 'clusters', 1, 'nodes', 0, 'name'], 1234), ['quote the value']);
    assert.deepEqual(hint(['spec', 'clusters', 1, 'nodes', 0, 'name'], true), [undefined]);
    assert.deepEqual(hint(['spec', 'mesh'], 5), ['write a mapping of "key: value" lines, indented under its parent']);
    assert.deepEqual(hint(['spec', 'clusters', 1, 'nodes'], '12'), ['write a YAML list: one "- item" per line, or [a, b]']);
  });
  test('a pool name that is no DNS name: the rule for names as the hint', () => {
    assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 0, 'loadBalancerPool'], 'Edge_VIPs')).map((f) => [f.code, f.hint]), [['INVALID_NAME', 'lowercase letters, digits, "-" and ".", starting and ending with a letter or digit']]);
  });
  test('an unknown field: the nearest known one, else every field known there', () => {
    /** The key at `parent` + `key` written as `typo` (its value kept): each unknown-field finding's message and hint. */
    const misspelt = (parent: (string | number)[], key: string, typo: string) =>
      findings((d) => { d.setIn([...parent, typo], d.getIn([...parent, key])); d.deleteIn([...parent, key]); }).filter((f) => f.code === 'UNKNOWN_FIELD').map((f) => [f.message, f.hint]);
    const hint = (parent: (string | number)[], key: string, typo: string) => misspelt(parent, key, typo).map(([, h]) => h);
    assert.deepEqual(misspelt([], 'spec', 'specs'), [['unknown field "specs"', 'did you mean "spec"?']]);
    // Case ignored: MESH is mesh (four edits apart by case alone), kvstoreMesh is kvstoremesh.
    assert.deepEqual(hint(['spec'], 'mesh', 'MESH'), ['did you mean "mesh"?']);
    assert.deepEqual(findings((d) => { d.setIn(['spec', 'mesh', 'kvstoreMesh'], true); d.deleteIn(['spec', 'mesh', 'kvstoremesh']); }).map((f) => f.hint), ['did you mean "kvstoremesh"?']);
    assert.deepEqual(hint(['spec', 'clusters', 0], 'podCIDR', 'PODCIDR'), ['did you mean "podCIDR"?']);
    // Two letters swapped count as one edit (sepc → spec), so a four-letter name with a swap is still suggested.
    assert.deepEqual(hint([], 'spec', 'sepc'), ['did you mean "spec"?']);
    assert.deepEqual(hint(['spec'], 'mesh', 'mehs'), ['did you mean "mesh"?']);
    assert.deepEqual(hint(['spec', 'clusters', 0, 'nodes', 1], 'role', 'rloe'), ['did you mean "role"?']);
    // A swap and a wrong letter are two edits: too many for four letters.
    assert.deepEqual(hint([], 'spec', 'sepx'), ['known fields here: apiVersion, kind, metadata, spec']);
    // Inside a list (a node of a cluster), and two edits away in a long name (a third of its length allowed).
    assert.deepEqual(hint(['spec', 'clusters', 0, 'nodes', 1], 'address', 'adress'), ['did you mean "address"?']);
    assert.deepEqual(findings((d) => d.setIn(['spec', 'mesh', 'maxConectedClustr'], 255)).map((f) => f.hint), ['did you mean "maxConnectedClusters"?']);
    // A swap is of two neighbours that trade places: zi and dz each share one letter with id, in the
    // wrong place, so each is two edits from it, too many for two letters.
    const clusterKeys = `known fields here: ${Object.keys(ClusterSchema.shape).join(', ')}`;
    for (const typo of ['zi', 'dz', 'zz']) assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 0, typo], 1)).map((f) => f.hint), [clusterKeys], typo);
    const known = findings((d) => d.setIn(['spec', 'mesh', 'replicas'], 2)).map((f) => [f.code, f.message, f.hint]);
    assert.deepEqual(known, [['UNKNOWN_FIELD', 'unknown field "replicas" in spec.mesh', `known fields here: ${Object.keys(MeshSchema.shape).join(', ')}`]]);
  });
  test('an empty node name', () => {
    assert.deepEqual(findings((d) => d.setIn(['spec', 'clusters', 0, 'nodes', 1, 'name'], '')).map((f) => [f.code, f.message]), [['INVALID_VALUE', 'spec.clusters[0].nodes[1].name must not be empty']]);
  });
  test('an API server load balancer port out of 1..65535', () => {
    const port = (p: number) => findings((d) => d.setIn(['spec', 'clusters', 0, 'apiServerLoadBalancer'], { address: '172.26.0.140', port: p })).map((f) => [f.code, f.message]);
    assert.deepEqual(port(0), [['INVALID_VALUE', 'spec.clusters[0].apiServerLoadBalancer.port must be at least 1']]);
    assert.deepEqual(port(65536), [['INVALID_VALUE', 'spec.clusters[0].apiServerLoadBalancer.port must be at most 65535']]);
  });
});

test('a cluster without a name is named by its place in the list', () => {
  const f = findings((d) => { d.deleteIn(['spec', 'clusters', 1, 'name']); d.setIn(['spec', 'clusters', 1, 'id'], 1); }).filter((x) => x.code === 'CLUSTER_ID_DUPLICATE');
  assert.deepEqual(f.map((x) => x.message), ['cluster id 1 of clusters[1] is already used by cluster k8s-cilium-01']);
});

test('kubernetes.provisioner left out is kubespray: a release Kubespray v2.26.0 cannot install is refused', () => {
  const f = codes((d) => { d.deleteIn(['spec', 'kubernetes', 'provisioner']); d.setIn(['spec', 'kubernetes', 'version'], 'v1.31.0'); });
  assert.ok(f.includes('KUBERNETES_VERSION_UNSUPPORTED'), f.join(', '));
});

test('a cluster\'s CiliumLoadBalancerIPPool: named as loadBalancerPool says, else pool-<cluster>', () => {
  assert.equal(loadBalancerPoolName({ name: 'k8s-cilium-01' }), 'pool-k8s-cilium-01');
  assert.equal(loadBalancerPoolName({ name: 'k8s-cilium-01', loadBalancerPool: 'edge-vips' }), 'edge-vips');
});

test('a cluster with an empty node list: that, and nothing the missing nodes would imply', () => {
  assert.deepEqual(codes((d) => d.setIn(['spec', 'clusters', 1, 'nodes'], [])), ['EMPTY_LIST']);
});

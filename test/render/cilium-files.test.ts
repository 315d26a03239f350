import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { IssuedCert, MeshPki } from '../../src/pki/index.js';
import { renderPlatform, type RenderedFile } from '../../src/render/index.js';
import type { Platform } from '../../src/spec/index.js';
import { referenceLab, validFixture } from '../helpers/platforms.js';

/**
 * The Cilium files of each cluster: the public values, the secret half, and the Secrets the chart
 * 1.16.5 reads but does not make when its own certificate generation is off. Certificates here
 * are placeholders (`CERT <id>`): what is tested is where each lands, not the PKI.
 */

const cert = (id: string): IssuedCert => ({ id, cert: `CERT ${id}\n`, key: `KEY ${id}\n`, commonName: id, dnsNames: [], ipAddresses: [], usages: [], notBefore: '', notAfter: '' });
const b64 = (s: string) => Buffer.from(s).toString('base64');
const IPSEC_LINE = '3+ rfc4106(gcm(aes)) 0123456789abcdef0123456789abcdef01234567 128';

function pkiFor(p: Platform, ipsec = false): MeshPki {
  const clusters = Object.fromEntries(
    p.spec.clusters.map((c) => [
      c.name,
      { clustermeshServer: cert(`${c.name}/server`), clustermeshAdmin: cert(`${c.name}/admin`), clustermeshRemote: cert(`${c.name}/remote`), clustermeshLocal: cert(`${c.name}/local`), hubbleServer: cert(`${c.name}/hubble`) },
    ]),
  );
  return { ca: cert('ca'), clusters, ...(ipsec ? { ipsecKeys: IPSEC_LINE } : {}) };
}

const byPath = (files: RenderedFile[]) => new Map(files.map((f) => [f.path, f]));
const options = { caKeyToChart: false, kubeletInsecureTls: false };
const ciliumPaths = (files: RenderedFile[], cluster: string) => files.map((f) => f.path).filter((p) => p.startsWith(`${cluster}/`) && (p.includes('/helm/cilium-') || p.includes('/manifests/00-')));

describe('Cilium files of a cluster', () => {
  test('reference lab (KVStoreMesh on): values, secret values and the local-cert Secret, secret ones flagged', () => {
    const files = byPath(renderPlatform(referenceLab(), pkiFor(referenceLab()), options));
    assert.deepEqual(ciliumPaths([...files.values()], 'k8s-cilium-01'), [
      'k8s-cilium-01/helm/cilium-values.secret.yaml',
      'k8s-cilium-01/helm/cilium-values.yaml',
      'k8s-cilium-01/manifests/00-clustermesh-apiserver-local-cert.secret.yaml',
    ]);
    assert.equal(files.get('k8s-cilium-01/helm/cilium-values.yaml')!.secret, false);
    assert.equal(files.get('k8s-cilium-01/helm/cilium-values.secret.yaml')!.secret, true);
    const local = files.get('k8s-cilium-01/manifests/00-clustermesh-apiserver-local-cert.secret.yaml')!;
    assert.equal(local.secret, true);
    // Chart 1.16.5 templates/cilium-agent/daemonset.yaml mounts Secret clustermesh-apiserver-local-cert (tls.key, tls.crt).
    assert.deepEqual(parse(local.content), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'clustermesh-apiserver-local-cert', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'meshwright' } },
      type: 'kubernetes.io/tls',
      data: { 'ca.crt': b64('CERT ca\n'), 'tls.crt': b64('CERT k8s-cilium-01/local\n'), 'tls.key': b64('KEY k8s-cilium-01/local\n') },
    });
    assert.match(local.content, /^# Rendered by meshwright from platform cilium-lab; do not edit/);
  });

  test('the header says how to install: helm with both values files, the chart version, cluster name and id', () => {
    const files = byPath(renderPlatform(referenceLab(), pkiFor(referenceLab()), options));
    for (const path of ['k8s-cilium-02/helm/cilium-values.yaml', 'k8s-cilium-02/helm/cilium-values.secret.yaml']) {
      const head = files.get(path)!.content.split('\n').filter((l) => l.startsWith('#'));
      assert.equal(head[0], '# Rendered by meshwright from platform cilium-lab; do not edit — change platform.yaml and render again.', path);
      assert.match(head[1]!, /for cluster k8s-cilium-02 \(id 2\), Cilium chart 1\.16\.5:$/, path);
      assert.equal(head[2], '#   helm upgrade --install cilium cilium/cilium --version 1.16.5 --namespace kube-system \\', path);
      assert.equal(head[3], '#     -f cilium-values.yaml -f cilium-values.secret.yaml', path);
    }
    assert.match(files.get('k8s-cilium-02/helm/cilium-values.yaml')!.content, /^# Cilium values for cluster/m);
    assert.match(files.get('k8s-cilium-02/helm/cilium-values.secret.yaml')!.content, /^# Certificates and keys \(secret, keep 0600\) for cluster/m);
    assert.doesNotMatch(files.get('k8s-cilium-02/helm/cilium-values.secret.yaml')!.content, /WARNING/);
    // Without --ca-key-to-chart the secret half's header is the public one's, but for its title.
    const comments = (path: string) => files.get(path)!.content.split('\n').filter((l) => l.startsWith('#'));
    assert.deepEqual(comments('k8s-cilium-02/helm/cilium-values.secret.yaml'), comments('k8s-cilium-02/helm/cilium-values.yaml').map((l) => l.replace('# Cilium values for', '# Certificates and keys (secret, keep 0600) for')));
  });

  test('each Secret manifest says what it holds', () => {
    const lab = byPath(renderPlatform(referenceLab(), pkiFor(referenceLab()), options));
    assert.equal(lab.get('k8s-cilium-01/manifests/00-clustermesh-apiserver-local-cert.secret.yaml')!.content.split('\n')[1], "# KVStoreMesh's local etcd client certificate (secret, keep 0600).");
    const p = validFixture('ipsec-relay.yaml');
    const ipsec = byPath(renderPlatform(p, pkiFor(p, true), options));
    assert.equal(ipsec.get('clinic-north/manifests/00-cilium-ipsec-keys.secret.yaml')!.content.split('\n')[1], '# The mesh-wide IPsec key (secret, keep 0600); apply before Cilium.');
  });

  test('mesh and Hubble off: a cluster has no certificates of its own, and its files render', () => {
    const p = validFixture('mesh-off-two-clusters.yaml');
    p.spec.cilium.hubble = { enabled: false, relay: false, ui: false };
    const files = renderPlatform(p, { ca: cert('ca'), clusters: {} }, options).filter((f) => f.path.includes('/helm/cilium-values.secret'));
    assert.deepEqual(files.map((f) => [f.path, parse(f.content)]), ['site-a', 'site-b'].map((c) => [`${c}/helm/cilium-values.secret.yaml`, { tls: { ca: { cert: b64('CERT ca\n') } } }]));
  });

  test('--ca-key-to-chart: the CA key goes to tls.ca.key, and the secret file says so in a warning', () => {
    const files = byPath(renderPlatform(referenceLab(), pkiFor(referenceLab()), { ...options, caKeyToChart: true }));
    const secret = files.get('k8s-cilium-01/helm/cilium-values.secret.yaml')!.content;
    assert.match(secret, /^# WARNING: holds the mesh CA key \(--ca-key-to-chart\)/m);
    assert.equal((parse(secret) as { tls: { ca: { key: string } } }).tls.ca.key, b64('KEY ca\n'));
    assert.doesNotMatch(files.get('k8s-cilium-01/helm/cilium-values.yaml')!.content, /WARNING|KEY ca/);
  });

  test('KVStoreMesh off, or the mesh off: no local-cert Secret', () => {
    const noKvstoremesh = validFixture('nodeport-511.yaml');
    const meshOff = validFixture('mesh-off-two-clusters.yaml');
    for (const p of [noKvstoremesh, meshOff]) {
      const paths = renderPlatform(p, pkiFor(p), options).map((f) => f.path);
      assert.deepEqual(paths.filter((x) => x.includes('local-cert')), [], p.metadata.name);
    }
  });

  test('IPsec: the one key line as Secret cilium-ipsec-keys (Opaque, key "keys") in every cluster, as the docs create it', () => {
    // Documentation/security/network/encryption-ipsec.rst (1.16): kubectl create -n kube-system secret generic cilium-ipsec-keys --from-literal=keys="…".
    const p = validFixture('ipsec-relay.yaml');
    const files = renderPlatform(p, pkiFor(p, true), options);
    const secrets = files.filter((f) => f.path.endsWith('/manifests/00-cilium-ipsec-keys.secret.yaml'));
    assert.deepEqual(secrets.map((f) => f.path), ['clinic-north/manifests/00-cilium-ipsec-keys.secret.yaml', 'clinic-south/manifests/00-cilium-ipsec-keys.secret.yaml']);
    for (const f of secrets) {
      assert.equal(f.secret, true);
      assert.deepEqual(parse(f.content), {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'cilium-ipsec-keys', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'meshwright' } },
        type: 'Opaque',
        data: { keys: b64(IPSEC_LINE) },
      });
      assert.match(f.content, /^# Rendered by meshwright from platform clinic-mesh;/);
    }
  });

  test('WireGuard or no encryption: no IPsec Secret, even with a key line in the state', () => {
    for (const p of [validFixture('three-clusters.yaml'), referenceLab()]) {
      const paths = renderPlatform(p, pkiFor(p, true), options).map((f) => f.path);
      assert.deepEqual(paths.filter((x) => x.includes('ipsec')), [], p.metadata.name);
    }
  });

  test('the secret half holds only what the chart will use: no clustermesh TLS with the mesh off, no Hubble TLS with Hubble off', () => {
    const secretOf = (p: Platform) => parse(renderPlatform(p, pkiFor(p), options).find((f) => f.path.endsWith('/helm/cilium-values.secret.yaml'))!.content) as Record<string, unknown>;
    const meshOff = validFixture('mesh-off-two-clusters.yaml');
    assert.deepEqual(Object.keys(secretOf(meshOff)), ['tls', 'hubble']);
    const hubbleOff = referenceLab();
    hubbleOff.spec.cilium.hubble = { enabled: false, relay: false, ui: false };
    assert.deepEqual(Object.keys(secretOf(hubbleOff)), ['tls', 'clustermesh']);
    // Chart 1.16.5 values: tls.ca.cert, clustermesh.apiserver.tls.{server,admin,remote}.{cert,key}, hubble.tls.server.{cert,key}.
    const pair = (id: string) => ({ cert: b64(`CERT ${id}\n`), key: b64(`KEY ${id}\n`) });
    assert.deepEqual(secretOf(referenceLab()), {
      tls: { ca: { cert: b64('CERT ca\n') } },
      clustermesh: { apiserver: { tls: { server: pair('k8s-cilium-01/server'), admin: pair('k8s-cilium-01/admin'), remote: pair('k8s-cilium-01/remote') } } },
      hubble: { tls: { server: pair('k8s-cilium-01/hubble') } },
    });
  });
});

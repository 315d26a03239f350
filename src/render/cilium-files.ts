import type { MeshPki } from '../pki/index.js';
import type { ClusterSpec, Platform } from '../spec/index.js';
import { ciliumSecretValues } from './cilium-secret-values.js';
import { ciliumValues } from './cilium-values.js';
import { b64 } from './base64.js';
import { MANAGED_BY, renderedBy } from './header.js';
import type { RenderedFile, RenderOptions } from './types.js';
import { toYaml, withHeader } from './yaml.js';

function header(platform: Platform, cluster: ClusterSpec, what: string): string[] {
  const v = platform.spec.cilium.version;
  return [
    renderedBy(platform),
    `${what} for cluster ${cluster.name} (id ${cluster.id}), Cilium chart ${v}:`,
    `  helm upgrade --install cilium cilium/cilium --version ${v} --namespace kube-system \\`,
    '    -f cilium-values.yaml -f cilium-values.secret.yaml',
  ];
}

/** helm/cilium-values.yaml, helm/cilium-values.secret.yaml and the KVStoreMesh local certificate. */
export function renderCiliumFiles(platform: Platform, cluster: ClusterSpec, pki: MeshPki, options: RenderOptions): RenderedFile[] {
  const dir = `${cluster.name}/helm`;
  const files: RenderedFile[] = [
    { path: `${dir}/cilium-values.yaml`, secret: false, content: withHeader(header(platform, cluster, 'Cilium values'), toYaml(ciliumValues(platform, cluster))) },
    {
      path: `${dir}/cilium-values.secret.yaml`,
      secret: true,
      content: withHeader([...header(platform, cluster, 'Certificates and keys (secret, keep 0600)'), ...(options.caKeyToChart ? ['WARNING: holds the mesh CA key (--ca-key-to-chart): this cluster can mint certificates for the whole mesh.'] : [])], toYaml(ciliumSecretValues(platform, cluster, pki, options))),
    },
  ];
  const local = pki.clusters[cluster.name]?.clustermeshLocal;
  if (platform.spec.mesh.enabled && platform.spec.mesh.kvstoremesh && local) {
    // Chart 1.16.5 has no tls.local value: with its own generation off, KVStoreMesh's local certificate is applied as a Secret.
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'clustermesh-apiserver-local-cert', namespace: 'kube-system', labels: { ...MANAGED_BY } },
      type: 'kubernetes.io/tls',
      data: { 'ca.crt': b64(pki.ca.cert), 'tls.crt': b64(local.cert), 'tls.key': b64(local.key) },
    };
    files.push({ path: `${cluster.name}/manifests/00-clustermesh-apiserver-local-cert.secret.yaml`, secret: true, content: withHeader([renderedBy(platform), "KVStoreMesh's local etcd client certificate (secret, keep 0600)."], toYaml(secret)) });
  }
  if (platform.spec.cilium.encryption.type === 'ipsec' && pki.ipsecKeys) {
    // The same key in every cluster: IPsec between clusters only works with one shared key.
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cilium-ipsec-keys', namespace: 'kube-system', labels: { ...MANAGED_BY } }, type: 'Opaque', data: { keys: b64(pki.ipsecKeys) } };
    files.push({ path: `${cluster.name}/manifests/00-cilium-ipsec-keys.secret.yaml`, secret: true, content: withHeader([renderedBy(platform), 'The mesh-wide IPsec key (secret, keep 0600); apply before Cilium.'], toYaml(secret)) });
  }
  return files;
}

import type { MeshPki } from '../pki/index.js';
import { byCodeUnit } from '../net/index.js';
import type { Platform } from '../spec/index.js';
import { renderPlatformArtifacts } from './artifacts.js';
import { renderCiliumFiles } from './cilium-files.js';
import type { RenderedFile, RenderOptions } from './types.js';

export { DEFAULT_RENDER_OPTIONS } from './types.js';
export type { RenderedFile, RenderOptions } from './types.js';
export { ciliumValues } from './cilium-values.js';
export { ciliumSecretValues } from './cilium-secret-values.js';
export { clustermeshPeers } from './clustermesh-peers.js';
export type { ClustermeshPeer } from './clustermesh-peers.js';
export { toYaml, toYamlDocuments } from './yaml.js';
export { MANIFEST_RENDERERS, renderClusterArtifacts, renderPlatformArtifacts } from './artifacts.js';
export { API_SERVER_PORT, apiServerUrl, KUBESPRAY_LOCALHOST_LB, nodeApiEndpoint } from './api-endpoint.js';
export type { ApiEndpoint } from './api-endpoint.js';

/**
 * Every file the platform needs, in memory: pure, so the same platform and certificates
 * always give the same bytes, and nothing is written until all of it rendered.
 */
export function renderPlatform(platform: Platform, pki: MeshPki, options: RenderOptions): RenderedFile[] {
  const files: RenderedFile[] = [...renderPlatformArtifacts(platform, options), { path: 'mesh-ca.crt', content: pki.ca.cert, secret: false }];
  for (const cluster of platform.spec.clusters) {
    files.push(...renderCiliumFiles(platform, cluster, pki, options));
  }
  return files.sort((a, b) => byCodeUnit(a.path, b.path));
}

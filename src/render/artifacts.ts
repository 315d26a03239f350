import type { ClusterSpec, Platform } from '../spec/index.js';
import { renderKubeconfigPlan } from './kubeconfig-plan.js';
import { renderKubeletCsrApprover } from './kubelet-csr-approver.js';
import { renderKubespray } from './kubespray.js';
import { renderGlobalServiceDemo } from './manifests/global-service-demo.js';
import { renderIngressApp } from './manifests/ingress-app.js';
import { renderLbIpam } from './manifests/lb-ipam.js';
import { renderMetricsServerValues } from './metrics-server.js';
import type { RenderedFile, RenderOptions } from './types.js';

type ManifestRenderer = (platform: Platform, cluster: ClusterSpec) => RenderedFile | undefined;

/** In apply order (their file names are numbered the same way); each decides whether the cluster needs it. */
export const MANIFEST_RENDERERS: readonly ManifestRenderer[] = [renderLbIpam, renderIngressApp, renderGlobalServiceDemo];

/** A cluster's files other than Cilium's: Kubespray inventory and kubelet-csr-approver values (when meshwright builds the cluster), metrics-server values, manifests. */
export function renderClusterArtifacts(platform: Platform, cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'>): RenderedFile[] {
  const files: RenderedFile[] = [];
  if (platform.spec.kubernetes.provisioner === 'kubespray') files.push(...renderKubespray(platform, cluster, options));
  const approver = renderKubeletCsrApprover(platform, cluster, options);
  if (approver) files.push(approver);
  files.push(renderMetricsServerValues(platform, cluster, options));
  for (const render of MANIFEST_RENDERERS) {
    const file = render(platform, cluster);
    if (file) files.push(file);
  }
  return files;
}

/** Every cluster's artifacts plus the platform-wide kubeconfig plan. */
export function renderPlatformArtifacts(platform: Platform, options: Pick<RenderOptions, 'kubeletInsecureTls'>): RenderedFile[] {
  return [renderKubeconfigPlan(platform), ...platform.spec.clusters.flatMap((c) => renderClusterArtifacts(platform, c, options))];
}

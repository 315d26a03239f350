import type { ClusterSpec, Platform } from '../spec/index.js';
import { apiServerUrl } from './api-endpoint.js';
import { renderedBy } from './header.js';
import { kubesprayAdminConfPath } from './kubespray.js';
import type { RenderedFile } from './types.js';
import { toYaml, withHeader } from './yaml.js';

/**
 * The names artifacts/admin.conf arrives with (kubeconfig_localhost overrides kubeadm's
 * kubernetes-admin / kubernetes-admin@cluster.local there). A control plane's own
 * ~/.kube/config, which the notebook copied, says kubernetes-admin and
 * kubernetes-admin@cluster.local instead; the merge must accept both.
 */
export const KUBESPRAY_ADMIN_NAMES = {
  cluster: 'cluster.local',
  user: 'kubernetes-admin-cluster.local',
  context: 'kubernetes-admin-cluster.local@cluster.local',
} as const;

function entry(platform: Platform, cluster: ClusterSpec): Record<string, unknown> {
  // One name for context, cluster and user: every cluster's admin.conf says cluster.local, so
  // without renaming, KUBECONFIG=a:b silently keeps only the first.
  const names = { context: cluster.name, cluster: cluster.name, user: cluster.name };
  if (platform.spec.kubernetes.provisioner === 'existing') {
    // An existing cluster's kubeconfig is used as it is: its server and names come from there.
    return {
      ...names,
      source: { kubeconfig: cluster.kubeconfig?.path ?? 'KUBECONFIG or ~/.kube/config', context: cluster.kubeconfig?.context ?? cluster.name },
    };
  }
  return {
    ...names,
    server: apiServerUrl(cluster),
    source: { file: kubesprayAdminConfPath(cluster), writtenBy: 'Kubespray kubeconfig_localhost', names: { ...KUBESPRAY_ADMIN_NAMES } },
  };
}

/** kubeconfig-plan.yaml: how every cluster will appear in the merged kubeconfig. Names and addresses only, no credentials. */
export function renderKubeconfigPlan(platform: Platform): RenderedFile {
  const plan = {
    apiVersion: 'meshwright/v1alpha1',
    kind: 'KubeconfigPlan',
    metadata: { platform: platform.metadata.name },
    clusters: platform.spec.clusters.map((c) => entry(platform, c)),
  };
  const header = [renderedBy(platform), 'How each cluster will appear in the merged kubeconfig (names and servers only; no credentials).'];
  return { path: 'kubeconfig-plan.yaml', secret: false, content: withHeader(header, toYaml(plan)) };
}

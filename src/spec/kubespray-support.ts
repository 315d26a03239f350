/**
 * What Kubespray v2.26.0 (kubernetes-sigs/kubespray tag v2.26.0, commit f9ebd45c) accepts, so
 * `validate` refuses a version before cluster.yml does, an hour in.
 */

/** The tag every rendered inventory is written for: the only 2.26 tag whose default is Kubernetes v1.30.4. */
export const KUBESPRAY_VERSION = 'v2.26.0';

/**
 * The Kubernetes releases v2.26.0 can install: exactly those with kubelet, kubeadm and kubectl
 * checksums (roles/kubespray-defaults/defaults/main/checksums.yml; download.yml looks each up as
 * `kubelet_checksums[image_arch][kube_version]` and fails on a missing key), all of them at or
 * above `kube_version_min_required: v1.28.0` (defaults/main/main.yml), which
 * roles/kubernetes/preinstall/tasks/0040-verify-settings.yml asserts. Minor → newest patch.
 */
export const KUBESPRAY_KUBERNETES: Readonly<Record<string, number>> = { '1.28': 12, '1.29': 7, '1.30': 4 };

/** True when Kubespray v2.26.0 has checksums for this `vMAJOR.MINOR.PATCH` release. */
export function kubesprayInstalls(version: string): boolean {
  const m = /^v(\d+\.\d+)\.(\d+)$/.exec(version);
  if (!m) return false;
  const newest = KUBESPRAY_KUBERNETES[m[1]!];
  return newest !== undefined && Number(m[2]) <= newest;
}

/** "v1.28.0 … v1.30.4", for messages. */
export function kubesprayKubernetesRange(): string {
  const minors = Object.keys(KUBESPRAY_KUBERNETES);
  const last = minors[minors.length - 1]!;
  return `v${minors[0]}.0 … v${last}.${KUBESPRAY_KUBERNETES[last]}`;
}

import { CILIUM_CHART_MINOR, CILIUM_CHART_TESTED, ciliumChartSupport } from '../cilium-support.js';
import { KUBESPRAY_VERSION, kubesprayInstalls, kubesprayKubernetesRange } from '../kubespray-support.js';
import type { Rule } from '../rule.js';

/**
 * Kubespray v2.26.0 downloads kubelet, kubeadm and kubectl by checksum: a release it has no
 * checksum for fails in the download role, and one below v1.28.0 fails preinstall's assert.
 */
export const kubernetesVersion: Rule = ({ view, report }) => {
  const v = view.kubernetesVersion;
  if (view.provisioner !== 'kubespray' || v === undefined || kubesprayInstalls(v)) return;
  report({
    path: ['spec', 'kubernetes', 'version'],
    code: 'KUBERNETES_VERSION_UNSUPPORTED',
    message: `Kubespray ${KUBESPRAY_VERSION} cannot install Kubernetes ${v}: it has checksums for ${kubesprayKubernetesRange()} only`,
    hint: 'pick a release in that range (the reference lab runs v1.30.4), or set kubernetes.provisioner: existing',
  });
};

/** meshwright renders the 1.16 chart's keys; another minor names and defaults them differently. */
export const ciliumVersion: Rule = ({ view, report }) => {
  const v = view.cilium.version;
  if (v === undefined) return;
  const support = ciliumChartSupport(v);
  const path = ['spec', 'cilium', 'version'];
  if (support === 'unknown') {
    report({ path, code: 'CILIUM_VERSION_UNSUPPORTED', message: `Cilium ${v}: meshwright renders values for the ${CILIUM_CHART_MINOR} chart only; other minors rename and re-default its keys`, hint: `use ${CILIUM_CHART_TESTED}` });
  } else if (support === 'untested-patch') {
    report({ path, code: 'CILIUM_VERSION_UNTESTED', severity: 'warning', message: `Cilium ${v}: meshwright's values were checked against the ${CILIUM_CHART_TESTED} chart; other ${CILIUM_CHART_MINOR} patch releases keep its keys but were not checked`, hint: `use ${CILIUM_CHART_TESTED}, or review the rendered values` });
  }
};

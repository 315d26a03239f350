import { clusterLabel, type Rule } from '../rule.js';

/** The chart fails with "Hubble UI requires .Values.hubble.relay.enabled=true". */
export const hubble: Rule = ({ view, report }) => {
  const h = view.cilium.hubble;
  if (!h) return;
  if (h.ui && !h.relay) {
    report({ path: ['spec', 'cilium', 'hubble', 'ui'], code: 'HUBBLE_UI_WITHOUT_RELAY', message: 'Hubble UI needs Hubble Relay', hint: 'set hubble.relay: true, or turn the UI off' });
  }
  if (!h.enabled && (h.relay || h.ui)) {
    report({ path: ['spec', 'cilium', 'hubble', 'enabled'], code: 'HUBBLE_DISABLED', message: 'Hubble Relay and UI need Hubble itself', hint: 'set hubble.enabled: true, or turn relay and ui off' });
  }
};

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

export const ingressHosts: Rule = ({ view, report }) => {
  for (const c of view.clusters) {
    if (c.ingressHost === undefined) continue;
    const path = [...c.path, 'ingressHost'];
    if (!HOSTNAME.test(c.ingressHost)) {
      report({ path, code: 'INGRESS_HOST_INVALID', message: `ingressHost "${c.ingressHost}" is not a valid host name`, hint: 'a lowercase DNS name such as test-ingress.example.com' });
    } else if (view.cilium.ingress && !view.cilium.ingress.enabled) {
      report({ path, code: 'INGRESS_HOST_UNUSED', severity: 'warning', message: `ingressHost of cluster ${clusterLabel(c)} is ignored: the Cilium ingress is disabled`, hint: 'set cilium.ingress.enabled: true, or remove ingressHost' });
    }
  }
};

export const kubeconfigRefs: Rule = ({ view, report }) => {
  if (view.provisioner !== 'kubespray') return;
  for (const c of view.clusters) {
    if (c.kubeconfig === undefined) continue;
    report({ path: [...c.path, 'kubeconfig'], code: 'KUBECONFIG_IGNORED', severity: 'warning', key: true, message: `kubeconfig of cluster ${clusterLabel(c)} is ignored: Kubespray clusters get theirs from the control plane`, hint: 'remove it, or set kubernetes.provisioner: existing' });
  }
};

/** Cilium's L2 announcements, which make LB IPAM's VIPs answer ARP, need kube-proxy replacement. */
export const l2Announcements: Rule = ({ view, report }) => {
  if (view.cilium.kubeProxyReplacement !== false) return;
  if (!view.clusters.some((c) => c.loadBalancerIPs.length > 0)) return;
  report({
    path: ['spec', 'cilium', 'kubeProxyReplacement'],
    code: 'VIPS_NOT_ANNOUNCED',
    severity: 'warning',
    message: 'without kube-proxy replacement Cilium cannot announce the LoadBalancer IPs on the node network (L2 announcements need it)',
    hint: 'set kubeProxyReplacement: true, or announce the VIPs another way (BGP, a router)',
  });
};

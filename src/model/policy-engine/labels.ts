/**
 * Which pod labels become identity labels. Cilium keeps only "identity-relevant" labels in a
 * security identity (pkg/labelsfilter, 1.16 defaults); a label it drops can never be selected by
 * a policy, so the engine drops it too. Patterns are unanchored regular expressions on the key,
 * as in Cilium; when include and exclude patterns both match, the longer pattern wins (a tie
 * excludes), and a label no pattern matches is kept.
 */
const PATTERNS: { re: RegExp; length: number; include: boolean }[] = [
  ['io.kubernetes.pod.namespace', true],
  ['io.cilium.k8s.namespace.labels', true],
  ['app.kubernetes.io', true],
  ['io\\.kubernetes', false],
  ['kubernetes\\.io', false],
  ['statefulset\\.kubernetes\\.io/pod-name', false],
  ['apps\\.kubernetes\\.io/pod-index', false],
  ['batch\\.kubernetes\\.io/job-completion-index', false],
  ['batch\\.kubernetes\\.io/controller-uid', false],
  ['.*beta\\.kubernetes\\.io', false],
  ['k8s\\.io', false],
  ['pod-template-generation', false],
  ['pod-template-hash', false],
  ['controller-revision-hash', false],
  ['annotation.*', false],
  ['controller-uid', false],
  ['etcd_node', false],
].map(([p, include]) => ({ re: new RegExp(p as string), length: (p as string).length, include: include as boolean }));

export function isIdentityLabel(key: string): boolean {
  let included = 0;
  let ignored = 0;
  for (const p of PATTERNS) {
    if (!p.re.test(key)) continue;
    if (p.include) included = Math.max(included, p.length);
    else ignored = Math.max(ignored, p.length);
  }
  return (included === 0 && ignored === 0) || included > ignored;
}

/** Labels Cilium adds to every pod identity (k8s: source). */
export const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
export const SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';
export const CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
/** Set on every namespace by the API server (kubernetes.io "automatic labelling"). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Which pod labels become identity labels. Cilium keeps only "identity-relevant" labels in a
 * security identity (pkg/labelsfilter defaultLabelPrefixCfg); a label it drops can never be
 * selected by a policy, so the engine drops it too. Each pattern is a regular expression anchored
 * at the start of the key (labelsfilter matches(): a match counts only at index 0, and its length
 * is where it ends), so `kubernetes\.io` drops `kubernetes.io/hostname` but not
 * `topology.kubernetes.io/zone`. A key is kept when no exclude pattern matches it, or when the
 * longest include match is longer than the shortest exclude match (filterLabels).
 *
 * The defaults' other include patterns (namespace labels, app.kubernetes.io, the cluster label)
 * start where no default exclude pattern does, so they keep nothing that would not be kept anyway;
 * they matter only beside a cluster's own `labels` setting, which is not modelled. The identity-
 * relevant-labels page writes the beta pattern as `beta\.kubernetes\.io`; filter.go has
 * `.*beta\.kubernetes\.io`, used here.
 */
const PATTERNS: { re: RegExp; include: boolean }[] = [
  ['io\\.kubernetes\\.pod\\.namespace', true],
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
].map(([p, include]) => ({ re: new RegExp(`^(?:${p as string})`), include: include as boolean }));

export function isIdentityLabel(key: string): boolean {
  let included = 0;
  let ignored = 0;
  for (const p of PATTERNS) {
    const length = p.re.exec(key)?.[0].length;
    if (length === undefined) continue;
    if (p.include) included = Math.max(included, length);
    else if (ignored === 0 || length < ignored) ignored = length;
  }
  return ignored === 0 || included > ignored;
}

/** Labels Cilium adds to every pod identity (k8s: source). */
export const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
export const SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';
export const CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
/** Set on every namespace by the API server (kubernetes.io "automatic labelling"). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

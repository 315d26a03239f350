/**
 * The limits the rules enforce and the JSON Schema repeats, so an editor flags what `validate`
 * flags. Each comes from the upstream code that refuses the value.
 */

/** Cilium's cluster-name rule (cilium/cilium v1.16.0 pkg/clustermesh/types/option.go: clusterNameRegexStr, clusterNameMaxLength). */
export const CLUSTER_NAME_PATTERN = '^([a-z0-9][-a-z0-9]*)?[a-z0-9]$';
export const CLUSTER_NAME_MAX = 32;

/** Cilium cluster ids (pkg/clustermesh/types: ClusterIDMax is 255, or 511 with --max-connected-clusters=511; 0 outside a mesh). */
export const CLUSTER_ID_MAX = 255;
export const CLUSTER_ID_MAX_511 = 511;

/** Kubernetes node names are DNS-1123 subdomains (k8s.io/apimachinery validation.IsDNS1123Subdomain): this pattern, at most 253 characters. */
export const NODE_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const NODE_NAME_MAX = 253;

import type { FlowPolicy } from '../../observe/index.js';
import type { RuleRef } from '../../model/policy-engine/index.js';

/** The label that carries the deciding rule's place in the user's file on a Policy entry. */
export const SOURCE_LABEL_PREFIX = 'meshwright:source=';

/** Where a rule sits: "file:line:column". */
export function ruleSource(rule: RuleRef): string {
  return `${rule.file}:${rule.line}:${rule.column}`;
}

/**
 * flow.proto `Policy` for the rule that decided, as Hubble fills ingress_allowed_by and its kin:
 * the policy's name and namespace and the labels Cilium derives for a policy from Kubernetes
 * (cilium v1.16 pkg/k8s/apis/cilium.io/utils/utils.go GetPolicyLabels: io.cilium.k8s.policy.
 * derived-from / name / namespace / uid, source k8s), plus `meshwright:source=<file>:<line>:<col>`,
 * the rule's place, which a Hubble client passes on untouched like any label. The revision is the
 * policy object's resourceVersion in the lab (the agent's own repository revision is a per-agent
 * counter the lab does not keep).
 */
export function flowPolicy(rule: RuleRef, uid: string | undefined, revision: string | undefined): FlowPolicy {
  const labels = [`k8s:io.cilium.k8s.policy.derived-from=${rule.kind}`, `k8s:io.cilium.k8s.policy.name=${rule.name}`];
  if (rule.namespace) labels.push(`k8s:io.cilium.k8s.policy.namespace=${rule.namespace}`);
  if (uid) labels.push(`k8s:io.cilium.k8s.policy.uid=${uid}`);
  labels.push(`${SOURCE_LABEL_PREFIX}${ruleSource(rule)}`);
  return { name: rule.name, ...(rule.namespace ? { namespace: rule.namespace } : {}), labels, ...(revision ? { revision } : {}) };
}

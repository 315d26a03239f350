import type { ClusterNode, Taint } from './nodes.js';
import { isRecord } from './objects.js';

export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

interface Requirement {
  key: string;
  operator: string;
  values: string[];
}

interface Term {
  expressions: Requirement[];
  fields: Requirement[];
}

/** Where a pod may run: what the scheduler (or the DaemonSet controller) checks against each node. */
export interface Scheduling {
  nodeName?: string;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  /** affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms (ORed). */
  terms?: Term[];
}

/**
 * Tolerations the DaemonSet controller adds to every daemon pod (kubernetes
 * pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations), so daemons run
 * on cordoned and pressured nodes; network-unavailable only for host-network pods. None of them
 * tolerates the control-plane taint: a DaemonSet reaches a Kubespray control plane only when
 * its own template tolerates it.
 */
const DAEMON_TOLERATIONS: Toleration[] = [
  ['node.kubernetes.io/not-ready', 'NoExecute'],
  ['node.kubernetes.io/unreachable', 'NoExecute'],
  ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
  ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
  ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
  ['node.kubernetes.io/unschedulable', 'NoSchedule'],
].map(([key, effect]) => ({ key: key!, operator: 'Exists', value: '', effect: effect! }));
const NETWORK_UNAVAILABLE: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', value: '', effect: 'NoSchedule' };

/** The node controller taints a cordoned node so (kubernetes pkg/scheduler NodeUnschedulable plugin). */
const CORDON: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function requirements(v: unknown): Requirement[] {
  return Array.isArray(v) ? v.filter(isRecord).map((r) => ({ key: str(r.key), operator: str(r.operator), values: strings(r.values) })) : [];
}

export function schedulingOf(podSpec: Record<string, unknown>, daemon: boolean): Scheduling {
  const selector: Record<string, string> = {};
  if (isRecord(podSpec.nodeSelector)) for (const [k, v] of Object.entries(podSpec.nodeSelector)) selector[k] = str(v);
  const own = Array.isArray(podSpec.tolerations) ? podSpec.tolerations.filter(isRecord).map((t) => ({ key: str(t.key), operator: str(t.operator) || 'Equal', value: str(t.value), effect: str(t.effect) })) : [];
  const tolerations = daemon ? [...own, ...DAEMON_TOLERATIONS, ...(podSpec.hostNetwork === true ? [NETWORK_UNAVAILABLE] : [])] : own;
  const required = (podSpec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown } } } | undefined)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const terms = Array.isArray(required) ? required.filter(isRecord).map((t) => ({ expressions: requirements(t.matchExpressions), fields: requirements(t.matchFields) })) : undefined;
  return { ...(typeof podSpec.nodeName === 'string' && podSpec.nodeName ? { nodeName: podSpec.nodeName } : {}), nodeSelector: selector, tolerations, ...(terms ? { terms } : {}) };
}

/** k8s.io/api/core/v1 Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  return t.operator === 'Exists' || t.value === (taint.value ?? '');
}

/** A label or requirement read as strconv.ParseInt(v, 10, 64) reads it: decimal digits, an optional sign, nothing else. */
const integer = (v: string | undefined): number | undefined => (v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined);

function matches(r: Requirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const [a, b] = [integer(value), integer(r.values[0])];
      if (a === undefined || b === undefined) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** An empty term matches no node (k8s.io/component-helpers nodeaffinity). */
function termMatches(term: Term, node: ClusterNode): boolean {
  if (term.expressions.length === 0 && term.fields.length === 0) return false;
  return term.expressions.every((r) => matches(r, node.labels[r.key])) && term.fields.every((r) => r.key === 'metadata.name' && matches(r, node.name));
}

/** Whether a pod with this scheduling may be placed on the node. */
export function fits(s: Scheduling, node: ClusterNode): boolean {
  if (s.nodeName !== undefined) return s.nodeName === node.name;
  for (const [k, v] of Object.entries(s.nodeSelector)) if (node.labels[k] !== v) return false;
  if (s.terms && !s.terms.some((t) => termMatches(t, node))) return false;
  const taints = node.unschedulable ? [...node.taints, CORDON] : node.taints;
  return taints.every((taint) => taint.effect === 'PreferNoSchedule' || s.tolerations.some((t) => tolerates(t, taint)));
}

export function feasibleNodes(s: Scheduling, nodes: readonly ClusterNode[]): ClusterNode[] {
  return nodes.filter((n) => fits(s, n));
}

import type { ClusterClient } from '../ops/index.js';
import { listItems } from './kube.js';
import { PROBE_LABEL } from './probe/index.js';
import type { SampledPair, Workload } from './sample-pairs.js';
import type { ProbeAnswer } from './types.js';

/** Labels a controller adds to each pod (the workload model may predict other values than the cluster holds). */
const CONTROLLER_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/job-completion-index', 'controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name']);

export interface LivePod {
  namespace: string;
  name: string;
  ip: string;
}

/** The running pods of each cluster, read once per verify run. */
export class LivePods {
  private readonly cache = new Map<string, Promise<any[]>>();

  constructor(private readonly clients: ReadonlyMap<string, ClusterClient>) {}

  /** A running pod of the workload with an IP of its own (the first by name): the requests leave from it, with its identity. */
  async of(w: Workload): Promise<LivePod | undefined> {
    const pods = await this.list(w.cluster);
    const wanted = Object.entries(w.labels).filter(([k]) => !CONTROLLER_LABELS.has(k));
    // a probe pod copies its source's labels: never the pod a pair leaves from or goes to
    const mine = pods.filter((p) => p.metadata?.labels?.[PROBE_LABEL] === undefined && p.metadata?.namespace === w.namespace && p.status?.phase === 'Running' && p.status?.podIP && !p.spec?.hostNetwork && !p.metadata?.deletionTimestamp && (w.kind === 'Pod' ? p.metadata.name === w.name : wanted.every(([k, v]) => p.metadata?.labels?.[k] === v)));
    const pod = mine.sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)))[0];
    return pod ? { namespace: pod.metadata.namespace, name: pod.metadata.name, ip: pod.status.podIP } : undefined;
  }

  private list(cluster: string): Promise<any[]> {
    let p = this.cache.get(cluster);
    if (!p) {
      p = listItems(this.clients.get(cluster)!, '/api/v1/pods');
      this.cache.set(cluster, p);
    }
    return p;
  }
}

export type Observed = 'allowed' | 'denied at L3/L4' | 'denied at L7' | 'no verdict';

/**
 * What one answer says of the policy verdict: an HTTP answer is a connection made (allowed) — but
 * 403 "Access denied" is Cilium's proxy refusing the request at L7 (Documentation/gettingstarted/
 * demo.rst: `curl -s -XPUT deathstar…/v1/exhaust-port` prints "Access denied"); curl's exit 28 is
 * a dropped SYN, the connect timing out (demo.rst: "command terminated with exit code 28").
 * Anything else (a name that does not resolve, a refused connect) says nothing about policy.
 */
export function observedVerdict(a: ProbeAnswer): Observed {
  if (a.exitCode === 28) return 'denied at L3/L4';
  if (a.exitCode !== 0 || a.httpStatus === undefined) return 'no verdict';
  if (a.httpStatus === 403 && /^Access denied\s*$/.test(a.body)) return 'denied at L7';
  return 'allowed';
}

export function expectedObservation(p: SampledPair): Observed {
  if (p.expected.verdict === 'allowed') return 'allowed';
  return p.expected.stage === 'l7' ? 'denied at L7' : 'denied at L3/L4';
}

/** How one answer reads in the table. */
export function describeAnswer(a: ProbeAnswer): string {
  const seen = observedVerdict(a);
  if (seen === 'allowed') return `allowed (HTTP ${a.httpStatus}${a.backend ? ` from ${[a.backend.cluster, a.backend.namespace, a.backend.pod].filter(Boolean).join('/')}` : ''})`;
  if (seen === 'denied at L7') return 'denied at L7 (HTTP 403 "Access denied")';
  if (seen === 'denied at L3/L4') return `denied at L3/L4 (${a.error.trim() || 'curl exit 28: the connect timed out'})`;
  return `no verdict (${a.error.trim() || `curl exit ${a.exitCode}`})`;
}

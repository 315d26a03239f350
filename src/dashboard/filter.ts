import type { FlowEndpoint, FlowRecord, Verdict } from '../observe/index.js';

/**
 * The flow list's filters, as `hubble observe` names them (cilium v1.16.6 hubble/cmd/observe/flows.go:
 * --verdict, --namespace, --pod, --from-pod, --to-pod, --http-path) and as its filters match
 * (pkg/hubble/filters: a namespace on either side; a pod as [namespace/]name-prefix; a verdict by name).
 */
export interface FlowFilter {
  verdicts: Verdict[];
  namespace?: string;
  pod?: string;
  fromPod?: string;
  toPod?: string;
  cluster?: string;
  httpPath?: RegExp;
}

const VERDICTS: readonly Verdict[] = ['FORWARDED', 'DROPPED', 'ERROR', 'AUDIT', 'REDIRECTED', 'TRACED', 'TRANSLATED'];

export class FilterError extends Error {}

/** The filter a query string asks for; an unknown verdict or a bad path pattern is the caller's mistake. */
export function parseFilter(query: URLSearchParams): FlowFilter {
  const verdicts = query.getAll('verdict').filter(Boolean).map((v) => v.toUpperCase());
  for (const v of verdicts) if (!VERDICTS.includes(v as Verdict)) throw new FilterError(`verdict ${v}: one of ${VERDICTS.join(', ')}`);
  const text = (key: string) => query.get(key)?.trim() || undefined;
  const path = text('http-path');
  let httpPath: RegExp | undefined;
  try {
    httpPath = path === undefined ? undefined : new RegExp(path);
  } catch {
    throw new FilterError(`http-path ${path}: not a regular expression`);
  }
  const out: FlowFilter = { verdicts: verdicts as Verdict[] };
  for (const [key, field] of [['namespace', 'namespace'], ['pod', 'pod'], ['from-pod', 'fromPod'], ['to-pod', 'toPod'], ['cluster', 'cluster']] as const) {
    const v = text(key);
    if (v !== undefined) out[field] = v;
  }
  if (httpPath) out.httpPath = httpPath;
  return out;
}

/** hubble's pod filter: `[namespace/]prefix` of the pod's name (filters/k8s.go parseSelector, podNameFilter). */
function podMatches(ep: FlowEndpoint | undefined, pattern: string): boolean {
  const slash = pattern.indexOf('/');
  const ns = slash >= 0 ? pattern.slice(0, slash) : undefined;
  const prefix = slash >= 0 ? pattern.slice(slash + 1) : pattern;
  return !!ep?.pod_name && ep.pod_name.startsWith(prefix) && (ns === undefined || ep.namespace === ns);
}

export function matches(record: FlowRecord, f: FlowFilter): boolean {
  const { flow } = record;
  if (f.verdicts.length && !f.verdicts.includes(flow.verdict ?? 'VERDICT_UNKNOWN')) return false;
  if (f.namespace && flow.source?.namespace !== f.namespace && flow.destination?.namespace !== f.namespace) return false;
  if (f.pod && !podMatches(flow.source, f.pod) && !podMatches(flow.destination, f.pod)) return false;
  if (f.fromPod && !podMatches(flow.source, f.fromPod)) return false;
  if (f.toPod && !podMatches(flow.destination, f.toPod)) return false;
  if (f.cluster && flow.source?.cluster_name !== f.cluster && flow.destination?.cluster_name !== f.cluster) return false;
  if (f.httpPath && !(flow.l7?.http?.url && f.httpPath.test(new URL(flow.l7.http.url, 'http://x').pathname))) return false;
  return true;
}

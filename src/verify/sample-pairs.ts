import type { HttpRequest, PeerRef, PolicyEndpoint } from '../model/policy-engine/index.js';
import { explain, resolveContextOf, resolvePeer, type Explanation, type Resolved } from '../policy-report/index.js';
import { choose } from './sample-choose.js';
import { expectation, type Expectation } from './sample-expect.js';
import { SeededRandom } from '../lab/index.js';
import { httpProbes } from './sample-http.js';
import type { PolicyPrediction } from './policy-predict.js';

/** Pairs sampled per client cluster, at most. */
export const PAIRS_PER_CLUSTER = 20;

/** A workload as a person names it: its pods share an owner. */
export interface Workload {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  /** One pod's labels: a live pod of the workload carries them (less the controllers' hashes). */
  labels: Record<string, string>;
  endpoints: PolicyEndpoint[];
}

export type Destination =
  | { kind: 'service'; cluster: string; namespace: string; name: string }
  | { kind: 'workload'; workload: Workload };

/** One request to send, with the verdict `policy explain` gives for it. */
export interface SampledPair {
  /** The cluster the request starts in. */
  cluster: string;
  source: Workload;
  destination: Destination;
  /** The Service port, or the port the destination pod receives. */
  port: number;
  protocol: 'TCP';
  http?: HttpRequest;
  expected: Expectation;
  /** The policies selecting either end ("Kind ns/name"). */
  policies: string[];
}

export interface PairSample {
  pairs: SampledPair[];
  /** Candidates per client cluster before the bound: a person sees how much was left out. */
  candidates: Map<string, number>;
}

/**
 * Every (source workload, destination Service port or workload port) pair that a policy selects
 * at either end, judged by `policy explain` (policy-report's explain over the same engine and
 * Service model), then at most `limit` per client cluster, drawn with the seed — first one allowed
 * and one denied pair per policy where they exist, then the rest at random. Pairs whose verdict
 * is unknown (a rule not modelled) or differs between the pods behind a name are left out: one
 * request could not confirm them. Destinations in other clusters only when a policy names
 * io.cilium.k8s.policy.cluster (the mesh is otherwise judged through global Services).
 */
export function samplePairs(prediction: PolicyPrediction, seed: number, limit = PAIRS_PER_CLUSTER): PairSample {
  const workloads = workloadsOf(prediction.build.endpoints);
  const crossCluster = prediction.multiCluster && prediction.policies.some((p) => JSON.stringify(p.object).includes('io.cilium.k8s.policy.cluster'));
  const pairs: SampledPair[] = [];
  const candidates = new Map<string, number>();
  prediction.clusters.forEach((cluster, i) => {
    const found = candidatesFrom(prediction, workloads, cluster, crossCluster);
    candidates.set(cluster, found.length);
    pairs.push(...choose(found, new SeededRandom(seed + i), limit));
  });
  return { pairs, candidates };
}

function workloadsOf(endpoints: readonly PolicyEndpoint[]): Workload[] {
  const byKey = new Map<string, Workload>();
  for (const e of endpoints) {
    const key = `${e.cluster}/${e.namespace}/${e.owner.kind}/${e.owner.name}`;
    const w = byKey.get(key);
    if (w) w.endpoints.push(e);
    else byKey.set(key, { cluster: e.cluster, namespace: e.namespace, kind: e.owner.kind, name: e.owner.name, labels: e.labels, endpoints: [e] });
  }
  return [...byKey.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

const keyOf = (w: Workload) => `${w.cluster}/${w.namespace}/${w.name}/${w.kind}`;

interface Target {
  destination: Destination;
  resolved: Resolved;
  port: number;
  reachable?: (src: PeerRef, dst: PeerRef) => boolean;
}

function candidatesFrom(prediction: PolicyPrediction, workloads: readonly Workload[], cluster: string, crossCluster: boolean): SampledPair[] {
  const targets = [...serviceTargets(prediction, cluster), ...workloadTargets(prediction, workloads, cluster, crossCluster)];
  const out: SampledPair[] = [];
  for (const source of workloads.filter((w) => w.cluster === cluster)) {
    const from: Resolved = { what: 'workload', text: `${source.namespace}/${source.name}`, peers: source.endpoints.map((endpoint) => ({ kind: 'endpoint', endpoint })) };
    for (const t of targets) {
      if (t.destination.kind === 'workload' && t.destination.workload === source) continue;
      if (t.destination.kind === 'service' && t.resolved.peers.some((p) => p.kind === 'endpoint' && source.endpoints.includes(p.endpoint))) continue;
      out.push(...judged(prediction, cluster, source, from, t));
    }
  }
  return out;
}

/** The pair without an HTTP request, or — when an HTTP rule applies — a request the rule names and one it does not. */
function judged(prediction: PolicyPrediction, cluster: string, source: Workload, from: Resolved, t: Target): SampledPair[] {
  const x = explain(prediction.build.engine, from, t.resolved, t.port, 'TCP', undefined, prediction.multiCluster, t.reachable);
  const policies = selectors(x);
  if (!policies.length) return [];
  const l7 = x.cases.map((c) => c.verdict.egress.l7?.rule ?? c.verdict.ingress.l7?.rule).find(Boolean);
  const requests: Array<HttpRequest | undefined> = l7 ? httpProbes(prediction.build.objects, l7) : [undefined];
  const out: SampledPair[] = [];
  for (const http of requests) {
    const y = http ? explain(prediction.build.engine, from, t.resolved, t.port, 'TCP', http, prediction.multiCluster, t.reachable) : x;
    const expected = uniform(y, prediction);
    if (expected) out.push({ cluster, source, destination: t.destination, port: t.port, protocol: 'TCP', ...(http ? { http } : {}), expected, policies });
  }
  return out;
}

function serviceTargets(prediction: PolicyPrediction, cluster: string): Target[] {
  const ctx = resolveContextOf(prediction.build, prediction.clusters);
  const out: Target[] = [];
  for (const o of prediction.build.objects) {
    if (o.object.kind !== 'Service' || (o.cluster && o.cluster !== cluster)) continue;
    const spec = (o.object.spec ?? {}) as { clusterIP?: string; selector?: Record<string, string>; ports?: Array<{ port: number; protocol?: string }> };
    if (spec.clusterIP === 'None' || !spec.selector) continue;
    const namespace = o.object.metadata.namespace ?? 'default';
    const name = o.object.metadata.name;
    const resolved = resolvePeer(`${cluster}/${namespace}/svc/${name}`, ctx);
    const reaches = prediction.serviceClusters(namespace, name, cluster);
    const reachable = (_: PeerRef, dst: PeerRef) => dst.kind === 'endpoint' && reaches.has(dst.endpoint.cluster);
    for (const p of spec.ports ?? []) if ((p.protocol ?? 'TCP') === 'TCP') out.push({ destination: { kind: 'service', cluster, namespace, name }, resolved, port: p.port, reachable });
  }
  return out;
}

/** Each workload's TCP container ports and the target ports of the Services selecting it, in this cluster (and the others, across the mesh). */
function workloadTargets(prediction: PolicyPrediction, workloads: readonly Workload[], cluster: string, crossCluster: boolean): Target[] {
  const out: Target[] = [];
  for (const w of workloads) {
    if (w.cluster !== cluster && !crossCluster) continue;
    const resolved: Resolved = { what: 'workload', text: `${w.namespace}/${w.name}`, peers: w.endpoints.map((endpoint) => ({ kind: 'endpoint', endpoint })) };
    for (const port of portsOf(prediction, w)) out.push({ destination: { kind: 'workload', workload: w }, resolved, port });
  }
  return out;
}

function portsOf(prediction: PolicyPrediction, w: Workload): number[] {
  const e = w.endpoints[0]!;
  const ports = new Set(e.ports.filter((p) => p.protocol === 'TCP').map((p) => p.port));
  for (const o of prediction.build.objects) {
    if (o.object.kind !== 'Service' || (o.cluster && o.cluster !== w.cluster) || (o.object.metadata.namespace ?? 'default') !== w.namespace) continue;
    const spec = (o.object.spec ?? {}) as { selector?: Record<string, string>; ports?: Array<{ port: number; protocol?: string; targetPort?: number | string }> };
    const selector = Object.entries(spec.selector ?? {});
    if (!selector.length || !selector.every(([k, v]) => e.labels[k] === v)) continue;
    for (const p of spec.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP') continue;
      const target = typeof p.targetPort === 'string' ? e.ports.find((c) => c.name === p.targetPort)?.port : (p.targetPort ?? p.port);
      if (target !== undefined) ports.add(target);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** The policies selecting either end of any pod pair behind the names. */
function selectors(x: Explanation): string[] {
  const all = new Set<string>();
  for (const c of x.cases) for (const s of [...c.verdict.egress.selectedBy, ...c.verdict.ingress.selectedBy]) all.add(s);
  return [...all].sort();
}

/**
 * The verdict every pod pair behind the names shares (a global Service's backends in several
 * clusters may get it from different rules: each is named); undefined when the verdicts differ
 * — one request could not tell which pair it tested — or a rule not modelled could decide.
 */
function uniform(x: Explanation, prediction: PolicyPrediction): Expectation | undefined {
  const all = x.cases.map((c) => expectation(c.verdict, prediction));
  const first = all[0];
  if (!first || all.some((e) => !e || e.verdict !== first.verdict || e.stage !== first.stage)) return undefined;
  const texts = [...new Set(all.map((e) => e!.text))];
  return { ...first, text: texts.join(' | '), rules: [...new Set(all.flatMap((e) => e!.rules))] };
}

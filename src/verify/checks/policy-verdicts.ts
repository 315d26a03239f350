import { listItems, plural } from '../kube.js';
import { predictPolicies } from '../policy-predict.js';
import { describeAnswer, expectedObservation, LivePods, observedVerdict } from '../policy-observe.js';
import { PAIRS_PER_CLUSTER, samplePairs, type SampledPair } from '../sample-pairs.js';
import { PROBE_HINT } from '../probe/index.js';
import type { Check, CheckResult, ClusterAccess, ProbeAnswer, Traffic, VerifyContext } from '../types.js';

const ID = 'policy-verdicts';
const POLICY_LISTS = ['/apis/networking.k8s.io/v1/networkpolicies', '/apis/cilium.io/v2/ciliumnetworkpolicies', '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies'];

/**
 * Network-policy verdicts observed against `policy explain`'s: pairs of workloads a policy
 * selects (sample-pairs.ts: at most 20 per client cluster, drawn with verify's seed), each sent
 * as a request from a running pod of the source — with that pod's identity — to the destination
 * Service or pod. An HTTP answer is allowed, 403 "Access denied" is an L7 denial, curl's exit 28
 * (the connect timing out) is a drop. Time is bounded: the pairs of a cluster go one after the
 * other, clusters at once; a request predicted denied is sent once (it costs a connect timeout,
 * 2 s on the lab), one predicted allowed once to a pod and twice to a Service.
 */
export const policyVerdicts: Check = {
  id: ID,
  title: 'policy verdicts on sampled pairs = policy explain',
  async run(ctx) {
    const prediction = predictPolicies(ctx.platform, ctx.manifests ?? []);
    const errors = prediction.build.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      const d = errors[0]!;
      return [{ check: ID, subject: 'policies', status: 'fail', expected: 'policies meshwright can judge', observed: `${d.file ? `${d.file}: ` : ''}${d.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, hint: 'meshwright policy matrix --platform PLATFORM -f … shows every finding with its line' }];
    }
    if (!prediction.policies.length) return [await noPolicies(ctx)];
    const base = { check: ID, subject: 'sampled pairs', expected: `the verdicts of meshwright policy explain (${plural(prediction.policies.length, 'policy')})` };
    if (!ctx.traffic) return [{ ...base, status: 'skip', observed: 'not sent: requests from inside real clusters (a probe pod) are not implemented yet' }];
    const sample = samplePairs(prediction, ctx.seed);
    if (!sample.pairs.length) return [{ ...base, status: 'skip', observed: 'no pair to send: the policies select no pair of workloads with a port (a Service port or a container port) whose verdict one request could confirm' }];
    const traffic = ctx.traffic;
    const live = new LivePods(new Map(ctx.clusters.map((c) => [c.spec.name, c.client])));
    const rows = await Promise.all(
      prediction.clusters.map(async (cluster, i) => {
        const pairs = sample.pairs.filter((p) => p.cluster === cluster);
        const out: CheckResult[] = [];
        // one pair after another: a cluster's requests are few, and each denied one waits for its timeout
        for (const [j, p] of pairs.entries()) out.push(await observe(ctx, traffic, live, p, ctx.seed + i * 1000 + j));
        const more = (sample.candidates.get(cluster) ?? 0) - pairs.length;
        if (more > 0) out.push({ check: ID, cluster, subject: `${plural(more, 'more pair')} from ${cluster}`, status: 'skip', expected: `at most ${PAIRS_PER_CLUSTER} pairs per cluster`, observed: `not sent (another --seed samples others)` });
        return out;
      }),
    );
    return rows.flat();
  },
};

async function observe(ctx: VerifyContext, traffic: Traffic, live: LivePods, p: SampledPair, seed: number): Promise<CheckResult> {
  const row = { check: ID, cluster: p.cluster, subject: subjectOf(p), expected: p.expected.text };
  const access = (name: string) => ctx.clusters.find((c) => c.spec.name === name)!;
  const src = await live.of(p.source);
  if (!src) return { ...row, status: 'fail', observed: `no running pod of ${p.source.namespace}/${p.source.name} in ${p.cluster} to send from`, hint: `kubectl --context ${access(p.cluster).client.context} -n ${p.source.namespace} get pods --show-labels` };
  let url: string;
  if (p.destination.kind === 'service') url = `http://${p.destination.name}.${p.destination.namespace}:${p.port}${p.http?.path ?? '/'}`;
  else {
    const w = p.destination.workload;
    const dst = await live.of(w);
    if (!dst) return { ...row, status: 'fail', observed: `no running pod of ${w.namespace}/${w.name} in ${w.cluster} to send to`, hint: `kubectl --context ${access(w.cluster).client.context} -n ${w.namespace} get pods --show-labels` };
    url = `http://${dst.ip}:${p.port}${p.http?.path ?? '/'}`;
  }
  const want = expectedObservation(p);
  const count = want === 'allowed' && p.destination.kind === 'service' ? 2 : 1;
  let answers: ProbeAnswer[];
  try {
    answers = await traffic.curl(p.cluster, url, { from: `${src.namespace}/${src.name}`, count, seed, ...(p.http ? { method: p.http.method } : {}) });
  } catch (err) {
    // this pair could not be sent (no probe pod for its source: quota, image, RBAC): its row says so, the others stand
    return { ...row, status: 'error', observed: `not sent: ${err instanceof Error ? err.message : String(err)}`, hint: PROBE_HINT(access(p.cluster).client.context) };
  }
  const ok = answers.length > 0 && answers.every((a) => observedVerdict(a) === want);
  const seen = [...new Set(answers.map(describeAnswer))];
  return {
    ...row,
    status: ok ? 'pass' : 'fail',
    observed: `${seen.join('; ')} (${plural(answers.length, 'request')} from ${src.namespace}/${src.name})`,
    ...(ok ? {} : { hint: hintFor(ctx, p) }),
  };
}

/** "ns/src → ns/dst:port/proto [METHOD path] from CLUSTER", a Service as `policy explain` names it (NS/svc/NAME). */
export function subjectOf(p: SampledPair): string {
  const d = p.destination;
  const to = d.kind === 'service' ? `${d.namespace}/svc/${d.name}` : `${d.workload.cluster !== p.cluster ? `${d.workload.cluster}/` : ''}${d.workload.namespace}/${d.workload.name}`;
  return `${p.source.namespace}/${p.source.name} → ${to}:${p.port}/${p.protocol}${p.http ? ` ${p.http.method} ${p.http.path}` : ''} from ${p.cluster}`;
}

function hintFor(ctx: VerifyContext, p: SampledPair): string {
  const clusters = [...new Set([p.cluster, p.destination.kind === 'workload' ? p.destination.workload.cluster : p.cluster])];
  const contexts = clusters.map((c) => `kubectl --context ${ctx.clusters.find((x) => x.spec.name === c)!.client.context} get cnp,ccnp,netpol -A`);
  return `explain rests on ${p.expected.rules.join('; ')}; see what the cluster holds: ${contexts.join(' and ')} (a policy added, changed or deleted behind meshwright's back changes the verdict)`;
}

/** One skip row; it says when the clusters hold policies the prediction does not know. */
async function noPolicies(ctx: VerifyContext): Promise<CheckResult> {
  const held = await Promise.all(ctx.clusters.map(async (c) => ({ c, n: await countPolicies(c) })));
  const some = held.filter((h) => h.n > 0);
  return {
    check: ID,
    subject: 'policies',
    status: 'skip',
    expected: 'verdicts of the platform\'s policies',
    observed: `the platform has no network policies (meshwright's own manifests carry none; give yours with verify -f [CLUSTER=]PATH)${some.length ? `; the clusters hold ${some.map((h) => `${h.n} in ${h.c.spec.name}`).join(', ')}` : ''}`,
  };
}

async function countPolicies(c: ClusterAccess): Promise<number> {
  let n = 0;
  for (const path of POLICY_LISTS) n += (await listItems(c.client, path).catch(() => [])).length;
  return n;
}

import { getJson } from '../../ops/index.js';
import type { GlobalServicePrediction } from '../../plan/index.js';
import { binomialTestPValue } from '../binomial.js';
import { holmAdjust } from '../multiple-testing.js';
import { PROBE_HINT } from '../probe/index.js';
import type { Check, CheckResult, ProbeAnswer, VerifyContext } from '../types.js';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const formatP = (p: number) => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));

/**
 * For each global Service and client cluster: N requests (100 by default) from a node of the
 * client to the Service's name, counted by the cluster of the pod that answered, and per cluster
 * an exact two-sided binomial test of that count against the share `plan` predicted — not "at
 * least one answer". α (0.01) is the false-alarm rate of a row: the row tests every cluster with
 * a share between 0 and 1, so the p-values are corrected with Holm's method
 * (multiple-testing.ts) and a cluster fails when its adjusted p-value is below α. A cluster
 * predicted to get nothing must get nothing (no test: one answer is enough to fail).
 */
export const globalServices: Check = {
  id: 'global-services',
  title: 'global services: answers from the predicted clusters, in the predicted shares',
  async run(ctx) {
    const rows = ctx.plan.globalServices.filter((g) => g.global);
    const out: CheckResult[] = [];
    // one row at a time: the lab answers each batch of requests in its own event loop turn
    for (const [i, g] of rows.entries()) out.push(await serviceFromClient(ctx, this.id, g, ctx.seed + i));
    return out;
  },
};

async function serviceFromClient(ctx: VerifyContext, id: string, g: GlobalServicePrediction, seed: number): Promise<CheckResult> {
  const clusters = ctx.platform.spec.clusters.map((c) => c.name);
  const expectedText = Object.keys(g.share).length ? clusters.map((c) => `${c} ${pct(g.share[c] ?? 0)}`).join(', ') : 'no answer (no ready backend)';
  const base = { check: id, cluster: g.client, subject: `${g.namespace}/${g.name} from ${g.client}`, expected: `${expectedText} of ${ctx.requests}` };
  if (g.headless) return { ...base, status: 'skip', observed: 'headless: DNS answers with pod addresses, nothing is load-balanced', expected: 'not load-balanced' };
  if (!ctx.traffic) return { ...base, status: 'skip', observed: 'not sent: no in-cluster requests in this run' };
  const client = ctx.clusters.find((c) => c.spec.name === g.client)!.client;
  const svc = await getJson(client, `/api/v1/namespaces/${g.namespace}/services/${g.name}`);
  if (!svc) return { ...base, status: 'fail', observed: `no Service ${g.namespace}/${g.name} in ${g.client}`, hint: 'meshwright apply creates it; a global Service must exist, with the same name and namespace, in every cluster that uses it' };
  const port = Number(svc.spec?.ports?.[0]?.port ?? 80);
  let answers: ProbeAnswer[];
  try {
    answers = await ctx.traffic.curl(g.client, `http://${g.name}.${g.namespace}:${port}/`, { count: ctx.requests, seed });
  } catch (err) {
    return { ...base, status: 'error', observed: `not sent: ${(err as Error).message}`, hint: PROBE_HINT(client.context) };
  }
  const unnamed = answers.filter((a) => a.exitCode === 0 && !a.backend);
  if (unnamed.length) return reachabilityOnly(base, answers, g, client.context);
  const counts = new Map<string, number>();
  const failed = answers.filter((a) => a.exitCode !== 0 || !a.backend);
  for (const a of answers) if (a.backend) counts.set(a.backend.cluster, (counts.get(a.backend.cluster) ?? 0) + 1);
  const n = answers.length;
  const tested = clusters.map((c) => ({ c, k: counts.get(c) ?? 0, p: g.share[c] ?? 0 })).map((v) => ({ ...v, pValue: binomialTestPValue(v.k, n, v.p) }));
  // the family: clusters whose count can deviate either way (a share of 0 or 1 is checked exactly)
  const family = tested.filter((v) => v.p > 0 && v.p < 1);
  const adjusted = new Map(holmAdjust(family.map((v) => v.pValue)).map((a, i) => [family[i]!.c, a]));
  const verdicts = tested.map((v) => {
    const holm = adjusted.get(v.c) ?? v.pValue;
    return { ...v, holm, ok: v.p === 0 ? v.k === 0 : holm >= ctx.alpha };
  });
  const noneExpected = Object.keys(g.share).length === 0;
  const ok = noneExpected ? counts.size === 0 : !failed.length && verdicts.every((v) => v.ok);
  const observed = [
    clusters.map((c) => `${c} ${counts.get(c) ?? 0}`).join(', '),
    ...(failed.length ? [`${failed.length} failed (${failed[0]!.error.trim() || `HTTP ${failed[0]!.httpStatus}`})`] : []),
  ].join('; ');
  const bad = verdicts.filter((v) => !v.ok);
  return {
    ...base,
    status: ok ? 'pass' : 'fail',
    observed: ok || noneExpected ? `${observed}${noneExpected ? '' : ` (binomial p ${verdicts.map((v) => formatP(v.pValue)).join(', ')})`}` : `${observed}; ${bad.map((v) => (v.p === 0 ? `${v.c} answered ${v.k} but plan predicts it gets none` : `${v.c} answered ${v.k} of ${n}, predicted ${pct(v.p)} (binomial p = ${formatP(v.pValue)}${family.length > 1 ? `, Holm-adjusted over ${family.length} clusters ${formatP(v.holm)}` : ''} < ${ctx.alpha})`)).join('; ')}`,
    ...(ok ? {} : { hint: `compare meshwright plan's backends (${Object.entries(g.backends).map(([c, b]) => `${c} ${b}`).join(', ')}) with each cluster's ready endpoints (kubectl --context CLUSTER -n ${g.namespace} get endpointslices -l kubernetes.io/service-name=${g.name}) and the annotations service.cilium.io/global, service.cilium.io/shared` }),
  };
}

/**
 * A probe pod sees the Service's address, never the pod behind it: when the answers do not name
 * their cluster (only rebel-base's do, probe/backend.ts), the shares cannot be observed, and the
 * row says so — a skip when every request was answered, a failure when some were not — never a
 * pass it could not see.
 */
function reachabilityOnly(base: Omit<CheckResult, 'status' | 'observed'>, answers: ProbeAnswer[], g: GlobalServicePrediction, context: string): CheckResult {
  const failed = answers.filter((a) => a.exitCode !== 0);
  const codes = [...new Set(answers.filter((a) => a.exitCode === 0).map((a) => `HTTP ${a.httpStatus ?? '?'}`))].join(', ');
  const reached = `${answers.length - failed.length} of ${answers.length} answered${codes ? ` (${codes})` : ''}`;
  if (failed.length) return { ...base, status: 'fail', observed: `${reached}; ${failed.length} failed (${failed[0]!.error.trim()})`, hint: `kubectl --context ${context} -n ${g.namespace} get endpointslices -l kubernetes.io/service-name=${g.name}; policies that drop the probe's requests: meshwright policy explain` };
  return { ...base, status: 'skip', observed: `${reached}; shares not observable: the answers do not say which cluster sent them (reachability only)`, hint: 'a backend that names its cluster in its answer (as rebel-base does) makes the shares testable' };
}

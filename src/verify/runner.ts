import type { Check, CheckResult, CheckStatus, VerifyContext } from './types.js';

export const VERIFY_SCHEMA_VERSION = 1;

export interface VerifyReport {
  apiVersion: 'meshwright/v1alpha1';
  kind: 'VerifyReport';
  schemaVersion: number;
  platform: string;
  target: 'lab' | 'real';
  simulated: boolean;
  /** The seed of the lab's backend choice and the share test's parameters, to reproduce a run. */
  seed: number;
  requests: number;
  alpha: number;
  summary: Record<CheckStatus, number>;
  checks: Array<{ id: string; title: string; status: CheckStatus; durationMs: number }>;
  results: CheckResult[];
}

/** Worst first: an error (could not look) outranks a failure, a failure a pass; skips count as passes. */
function overall(results: CheckResult[]): CheckStatus {
  if (results.some((r) => r.status === 'error')) return 'error';
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.length && results.every((r) => r.status === 'skip')) return 'skip';
  return 'pass';
}

/**
 * Runs every check against one context, all at once (each reads its own objects; agent statuses
 * are read once and shared). A check that throws did not get to look: its result is an `error`
 * naming why, and the others still run.
 */
export async function runChecks(ctx: VerifyContext, checks: readonly Check[], clock: () => number = Date.now): Promise<VerifyReport> {
  const ran = await Promise.all(
    checks.map(async (check) => {
      const started = clock();
      let results: CheckResult[];
      try {
        results = await check.run(ctx);
      } catch (err) {
        results = [{ check: check.id, subject: check.title, status: 'error', expected: 'an answer', observed: `could not look: ${err instanceof Error ? err.message : String(err)}`, hint: 'a cluster or the lab did not answer: meshwright lab status, or kubectl --context CLUSTER get --raw /readyz' }];
      }
      // checks look at clusters in parallel: order their results by the platform's cluster order (stable)
      const order = ctx.platform.spec.clusters.map((c) => c.name);
      results.sort((a, b) => order.indexOf(a.cluster ?? '') - order.indexOf(b.cluster ?? ''));
      return { check, results, durationMs: clock() - started };
    }),
  );
  const results = ran.flatMap((r) => r.results);
  const summary: Record<CheckStatus, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) summary[r.status]++;
  return {
    apiVersion: 'meshwright/v1alpha1',
    kind: 'VerifyReport',
    schemaVersion: VERIFY_SCHEMA_VERSION,
    platform: ctx.platform.metadata.name,
    target: ctx.target,
    simulated: ctx.target === 'lab',
    seed: ctx.seed,
    requests: ctx.requests,
    alpha: ctx.alpha,
    summary,
    checks: ran.map((r) => ({ id: r.check.id, title: r.check.title, status: overall(r.results), durationMs: r.durationMs })),
    results,
  };
}

/** DESIGN.md: 0 all good, 1 a check failed, 3 a cluster or tool could not be reached. */
export function verifyExitCode(report: VerifyReport): 0 | 1 | 3 {
  if (report.summary.error) return 3;
  return report.summary.fail ? 1 : 0;
}

import type { Palette } from '../../diag/index.js';
import type { VerifyReport } from '../runner.js';
import type { CheckStatus } from '../types.js';

type TableFn = (headers: string[], rows: string[][]) => string;

const WORD: Record<CheckStatus, string> = { pass: 'ok', fail: 'FAIL', skip: 'skip', error: 'ERROR' };

/**
 * What a person reads: a line per observation (check, cluster, what, status, expected, observed),
 * then, for each one not passing, what to do. `table` is the CLI's kubectl-style table.
 */
export function verifyTable(report: VerifyReport, p: Palette, table: TableFn): string {
  const paintStatus = (s: CheckStatus) => (s === 'pass' ? p.green(WORD[s]) : s === 'skip' ? p.dim(WORD[s]) : p.red(WORD[s]));
  const rows = report.results.map((r) => [r.check, r.cluster ?? '-', r.subject, paintStatus(r.status), r.expected, r.observed]);
  const notOk = report.results.filter((r) => r.status === 'fail' || r.status === 'error');
  const skipped = report.results.filter((r) => r.status === 'skip');
  const { pass, fail, skip, error } = report.summary;
  const verdict = error ? p.red(`${error} could not be checked (a cluster or the lab did not answer)`) : fail ? p.red(`${fail} failed`) : p.green('all checks pass');
  return [
    `${p.bold('meshwright verify')} ${report.platform} (${report.target}${report.simulated ? ': SIMULATED clusters' : ''}): ${verdict}`,
    '',
    table(['check', 'cluster', 'subject', 'status', 'expected', 'observed'], rows),
    '',
    `${pass} passed, ${fail} failed, ${skip} skipped, ${error} errors; global services: ${report.requests} requests per client, binomial test at α = ${report.alpha}, seed ${report.seed} (--seed ${report.seed} repeats this run)`,
    ...(notOk.length ? ['', p.bold('what to do'), ...notOk.map((r) => `  ${r.check} ${r.cluster ?? ''} ${r.subject}: ${r.hint ?? 'see the observed value'}`.replace(/ {2,}/g, ' ').replace(/^ /, '  '))] : []),
    ...(skipped.length ? ['', p.dim(`skipped: ${[...new Set(skipped.map((r) => r.observed.replace(/^not served: |^not sent: /, '')))].join('; ')}`)] : []),
  ].join('\n');
}

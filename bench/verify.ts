import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, inChild } from './measure.js';

/**
 * bench/verify (issue 16's figures): wall time of `meshwright status` and `meshwright verify`
 * (fresh CLI processes, as a user runs them) on a lab after apply, for the reference lab
 * (2 clusters) and 32 generated clusters; three runs each (verify with seeds 1, 2, 3), with each
 * run's exit code and every row that failed. Each case in a process of its own. Needs
 * `npm run build` first (the CLI and the lab run from dist/).
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const CASE = join(HERE, 'verify-case.ts');

interface Run {
  ms: number;
  exit: number | null;
}
interface Result {
  clusters: number;
  nodes: number;
  applyMs: number;
  status: Run[];
  verify: Array<Run & { summary: Record<string, number>; notPassed: string[] }>;
  requests: number;
}

const times = (runs: Run[]) => runs.map((r) => `${fmt(r.ms)} ms`).join(' / ');
const exits = (runs: Run[]) => runs.map((r) => String(r.exit)).join(',');

console.log('bench/verify — meshwright status and verify (CLI) on the lab after apply (simulated clusters on 127.0.0.1); 3 runs each, in run order');
console.log('CASE           CLUSTERS  NODES  APPLY (setup)  STATUS runs 1/2/3 (exit)              VERIFY runs 1/2/3, seeds 1/2/3 (exit)   RESULTS run 1/2/3 (pass/fail/skip/error)   REQUESTS');
// `npm run bench:verify -- ref` runs one case
for (const which of process.argv.slice(2).length ? process.argv.slice(2) : ['ref', '32']) {
  const r = inChild<Result>(CASE, [which]);
  const name = which === 'ref' ? 'reference lab' : `generated ${which}`;
  console.log(
    `${name.padEnd(14)} ${String(r.clusters).padEnd(9)} ${String(r.nodes).padEnd(6)} ${`${fmt(r.applyMs)} ms`.padEnd(14)} ${`${times(r.status)} (${exits(r.status)})`.padEnd(38)} ${`${times(r.verify)} (${exits(r.verify)})`.padEnd(39)} ${r.verify.map((v) => `${v.summary.pass}/${v.summary.fail}/${v.summary.skip}/${v.summary.error}`).join(' ').padEnd(42)} ${r.requests}`,
  );
  r.verify.forEach((v, i) => v.notPassed.forEach((line) => console.log(`  run ${i + 1}: ${line}`)));
}

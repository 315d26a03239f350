import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, inChild } from './measure.js';

/**
 * bench/verify (issue 16's figures): wall time of `meshwright verify` (a fresh CLI process, as a
 * user runs it) on a lab after apply, for the reference lab (2 clusters) and 32 generated
 * clusters; three runs each, min/median/max. Each case in a process of its own. Needs
 * `npm run build` first (verify and the lab run from dist/).
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const CASE = join(HERE, 'verify-case.ts');

interface Result {
  clusters: number;
  nodes: number;
  applyMs: number;
  verifyMs: number[];
  exit: number;
  summary: Record<string, number>;
  requests: number;
}

console.log('bench/verify — meshwright verify (CLI) on the lab after apply (simulated clusters on 127.0.0.1)');
console.log('CASE           CLUSTERS  NODES  APPLY (setup)  VERIFY min / median / max     EXIT  RESULTS (pass/fail/skip/error)  REQUESTS');
for (const which of ['ref', '32']) {
  const r = inChild<Result>(CASE, [which]);
  const name = which === 'ref' ? 'reference lab' : `generated ${which}`;
  const v = r.verifyMs;
  console.log(
    `${name.padEnd(14)} ${String(r.clusters).padEnd(9)} ${String(r.nodes).padEnd(6)} ${`${fmt(r.applyMs)} ms`.padEnd(14)} ${`${fmt(v[0]!)} / ${fmt(v[1]!)} / ${fmt(v[2]!)} ms`.padEnd(29)} ${String(r.exit).padEnd(5)} ${`${r.summary.pass}/${r.summary.fail}/${r.summary.skip}/${r.summary.error}`.padEnd(31)} ${r.requests}`,
  );
}

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, inChild } from './measure.js';

/**
 * bench/status (issue 16's figures): wall time of `meshwright status` on the lab after apply, as a
 * user runs it (a fresh CLI process: start-up, every cluster's objects, `cilium-dbg status` in
 * every agent and `kvstoremesh-dbg status` in every clustermesh-apiserver through exec), and of
 * the collection alone in a warm process; for the reference lab (2 clusters) and 32 generated
 * clusters. Each case in a process of its own. Needs `npm run build` first.
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const CASE = join(HERE, 'status-case.ts');

interface Result {
  clusters: number;
  agents: number;
  links: number;
  cliMs: number;
  cliMinMs: number;
  collectMs: number;
}

console.log('bench/status — meshwright status on the lab after apply (simulated clusters on 127.0.0.1), median of 3');
console.log('CASE           CLUSTERS  AGENTS  LINKS  STATUS (CLI)  CLI MIN    COLLECT (warm)');
for (const which of process.argv.slice(2).length ? process.argv.slice(2) : ['ref', '32']) {
  const r = inChild<Result>(join(CASE), [which]);
  const name = which === 'ref' ? 'reference lab' : `generated ${which}`;
  console.log(`${name.padEnd(14)} ${String(r.clusters).padEnd(9)} ${String(r.agents).padEnd(7)} ${String(r.links).padEnd(6)} ${`${fmt(r.cliMs)} ms`.padEnd(13)} ${`${fmt(r.cliMinMs)} ms`.padEnd(10)} ${fmt(r.collectMs)} ms`);
}

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, inChild } from './measure.js';

/**
 * bench/apply (issue 15's figures): a full `apply` on the lab from nothing (lab started, Cilium,
 * metrics-server and kubelet-csr-approver by the lab's helm, LB IPAM, ingress app, mesh wait,
 * global-service demo) for the reference lab and 8 and 32 generated clusters; then the no-op
 * re-run, in process and as a fresh CLI process. Each case in a process of its own. Needs
 * `npm run build` first (apply starts the built lab).
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const CASE = join(HERE, 'apply-case.ts');

interface Result {
  clusters: number;
  nodes: number;
  fullMs: number;
  noopMs: number;
  noopCliMs: number;
  applyPeakMiB: number;
  labPeakMiB: number;
}

console.log('bench/apply — meshwright apply on the lab (simulated clusters on 127.0.0.1)');
console.log('targets: reference lab from nothing in < 10 s and < 300 MB; no-op re-run < 1 s\n');
console.log('CASE           CLUSTERS  NODES  FULL APPLY   NO-OP (in process)  NO-OP (CLI, median of 5)  APPLY PEAK RSS  LAB PEAK RSS');
// `npm run bench:apply -- ref` runs one case
const cases = process.argv.slice(2).length ? process.argv.slice(2) : ['ref', '8', '32'];
for (const which of cases) {
  const r = inChild<Result>(CASE, [which]);
  const name = which === 'ref' ? 'reference lab' : `generated ${which}`;
  console.log(
    `${name.padEnd(14)} ${String(r.clusters).padEnd(9)} ${String(r.nodes).padEnd(6)} ${`${fmt(r.fullMs)} ms`.padEnd(12)} ${`${fmt(r.noopMs)} ms`.padEnd(19)} ${`${fmt(r.noopCliMs)} ms`.padEnd(25)} ${`${fmt(r.applyPeakMiB)} MiB`.padEnd(15)} ${fmt(r.labPeakMiB)} MiB`,
  );
}

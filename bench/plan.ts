import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, inChild } from './measure.js';

/**
 * bench/plan: 255 clusters × 100 nodes × 1,000 global services, computed in aggregate (per
 * service and cluster). Target: under 1 s, growing linearly. Then the full per-pair output at 32.
 * Then a live snapshot of 10,000 pods with owner references: time to plan against time to parse
 * the same file in the same run (target: planning costs less than parsing).
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
interface Row { clusters: number; nodes: number; services: number; detail: string; validateMs: number; parseMs: number; planMs: number; jsonMs: number; jsonBytes: number; predictions: number; peakMiB: number }

interface LiveRow { pods: number; objects: number; bytes: number; parseMs: number; planMs: number; ready: number; peakMiB: number }

const run = (clusters: number, detail: string) => inChild<Row>(join(HERE, 'plan-case.ts'), [String(clusters), '100', '1000', detail]);
const rows = [32, 64, 128, 255].map((c) => run(c, 'aggregate'));
const pairs = run(32, 'pairs');

console.log('bench/plan — 100 nodes per cluster, 1,000 global services (one manifest applied to every cluster)\n');
console.log('CLUSTERS  DETAIL      PREDICTIONS  VALIDATE   PARSE MANIFESTS  PLAN      µs/(SVC·CLUSTER)  JSON              PEAK RSS');
for (const r of [...rows, pairs]) {
  console.log([String(r.clusters).padEnd(9), r.detail.padEnd(11), String(r.predictions).padEnd(12), `${fmt(r.validateMs)} ms`.padEnd(10), `${fmt(r.parseMs)} ms`.padEnd(16), `${fmt(r.planMs)} ms`.padEnd(9), fmt((r.planMs * 1000) / (r.services * r.clusters), 2).padEnd(17), `${fmt(r.jsonBytes / 1e6, 1)} MB ${fmt(r.jsonMs)} ms`.padEnd(17), `${fmt(r.peakMiB)} MiB`].join(' '));
}
const [a, , , z] = rows as [Row, Row, Row, Row];
console.log(`\ngrowth 32 → 255 clusters (aggregate): ${fmt(z.clusters / a.clusters, 1)}× the clusters, ${fmt(z.planMs / a.planMs, 1)}× the plan time`);
console.log(`target: 255 × 100 × 1,000 in aggregate under 1000 ms — plan ${fmt(z.planMs)} ms${z.planMs < 1000 ? ' (met)' : ' (NOT met)'}; with validation and manifest parsing ${fmt(z.validateMs + z.parseMs + z.planMs)} ms`);
console.log(`per pair at 32 clusters: ${pairs.predictions} predictions (service × client cluster) with per-cluster shares in ${fmt(pairs.planMs)} ms`);

const live = inChild<LiveRow>(join(HERE, 'plan-live-case.ts'), ['1000', '10']);
console.log('\nlive snapshot (kubectl get deploy,rs,pods,svc -o yaml of one cluster: 1,000 Deployments × 10 pods, ReplicaSets, Services)\n');
console.log('PODS     OBJECTS  FILE      PARSE        PLAN       PLAN/PARSE  READY BACKENDS  PEAK RSS');
console.log([String(live.pods).padEnd(8), String(live.objects).padEnd(8), `${fmt(live.bytes / 1e6, 1)} MB`.padEnd(9), `${fmt(live.parseMs)} ms`.padEnd(12), `${fmt(live.planMs)} ms`.padEnd(10), fmt(live.planMs / live.parseMs, 3).padEnd(11), String(live.ready).padEnd(15), `${fmt(live.peakMiB)} MiB`].join(' '));
console.log(`target: planning costs less than parsing — ${fmt(live.planMs)} ms against ${fmt(live.parseMs)} ms${live.planMs < live.parseMs ? ' (met)' : ' (NOT met)'}; ${live.ready} ready backends of ${live.pods} pods (one in ten not Ready), each counted once`);

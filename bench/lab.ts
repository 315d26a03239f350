import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, inChild } from './measure.js';

/**
 * bench/lab (issue 13's figures), each case in a process of its own, ratios from the same run:
 * `lab up` time and memory for the reference lab; `kubectl get pods -A` over 10,000 pods against
 * the lab and against a static file server replaying the same bytes on 127.0.0.1 (kubectl's own
 * floor); watch events per second to 100 watchers; clusters of 10 nodes one lab process holds.
 * Issue 14 adds: helm install of cilium to all nodes Ready; a global-service change reaching
 * every cluster of 8 and 32 meshed clusters (lab-traffic-case.ts).
 * Issue 17 adds: lab curl's requests per second with the flow ring on and off, flows recorded per
 * second, the ring's insert rate (lab-flows-case.ts); `bench/lab.ts flows` runs that case alone.
 * Needs `npm run build` first (the up case runs the built binary) and kubectl.1.30 beside kubectl.
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const CASE = join(HERE, 'lab-case.ts');
const TRAFFIC = join(HERE, 'lab-traffic-case.ts');
const FLOWS = join(HERE, 'lab-flows-case.ts');

function flows(n: number): void {
  const f = inChild<{ requests: number; offPerSecond: number; onPerSecond: number; smallRingPerSecond: number; flowsPerRequest: number; flowsPerSecondWithCurl: number; ringInsertsPerSecond: number; heldInRing: number }>(FLOWS, []);
  console.log(`${n}. flows (issue 17): lab curl from x-wing to the global rebel-base service, in the lab process (no HTTP hop),`);
  console.log(`   ${f.requests / 2} requests each way, three ways, off and on alternating, median of 5 rounds  [target: recording not noticeable]`);
  console.log(`   requests per second, flow ring off            ${fmt(f.offPerSecond)}`);
  console.log(`   requests per second, flow ring on             ${fmt(f.onPerSecond)}   (ratio on / off ${fmt(f.onPerSecond / f.offPerSecond, 2)})`);
  console.log(`   requests per second, ring of 100 per node     ${fmt(f.smallRingPerSecond)}   (the same flows built, fewer held)`);
  console.log(`   flows per request                             ${fmt(f.flowsPerRequest, 2)}`);
  console.log(`   flows recorded per second (with curl's work)  ${fmt(f.flowsPerSecondWithCurl)}`);
  console.log(`   ring inserts per second (records prebuilt)    ${fmt(f.ringInsertsPerSecond)}   (held: ${f.heldInRing}, bounded at 16,383 per node)`);
}

if (process.argv[2] === 'flows') {
  console.log('bench/lab flows — the lab\'s Hubble flows (127.0.0.1 only)\n');
  flows(7);
  process.exit(0);
}

console.log('bench/lab — the simulated Kubernetes API (127.0.0.1 only)\n');

const up = inChild<{ coldMs: number; warmMs: number; processMs: number; rssMiB: number; peakMiB: number }>(CASE, ['up']);
console.log('1. lab up, reference lab (2 clusters, 4 nodes)  [target: answering in < 2 s, < 150 MB]');
console.log(`   meshwright lab up, first time (lab CA made)   ${fmt(up.coldMs)} ms`);
console.log(`   meshwright lab up, again (after lab down)     ${fmt(up.warmMs)} ms`);
console.log(`   the lab process alone, start to answering     ${fmt(up.processMs)} ms`);
console.log(`   lab process memory                            ${fmt(up.rssMiB)} MiB RSS (peak ${fmt(up.peakMiB)} MiB)\n`);

const pods = inChild<{ pods: number; createMs: number; tableBytes: number; labMs: number; staticMs: number }>(CASE, ['get-pods', '10000']);
console.log('2. kubectl 1.30 get pods -A, 10,000 pods, warm discovery cache, median of 5  [target: within 20% of the static server]');
console.log(`   against the lab                               ${fmt(pods.labMs)} ms`);
console.log(`   against a static server of the same bytes     ${fmt(pods.staticMs)} ms   (Table: ${fmt(pods.tableBytes / 1e6, 1)} MB)`);
console.log(`   ratio lab / static                            ${fmt(pods.labMs / pods.staticMs, 2)}`);
console.log(`   (creating the 10,000 pods through the API     ${fmt(pods.createMs)} ms)\n`);

const w = inChild<{ watchers: number; writes: number; writeMs: number; totalMs: number; delivered: number; eventsPerSecond: number; rssMiB: number }>(CASE, ['watch', '100', '2000']);
console.log('3. watch: 100 watchers, 2,000 writes (50 at a time, each fsync-acknowledged)');
console.log(`   events delivered                              ${w.delivered} in ${fmt(w.totalMs)} ms (writes done in ${fmt(w.writeMs)} ms)`);
console.log(`   events per second to the 100 watchers         ${fmt(w.eventsPerSecond)}\n`);

console.log('4. clusters in one lab process, 10 nodes each  [Cilium\'s limit: 255]');
console.log('   CLUSTERS  ANSWERING  START      RSS        PEAK');
for (const n of [8, 32, 128, 255]) {
  const c = inChild<{ clusters: number; answering: number; upMs: number; rssMiB: number; peakMiB: number }>(CASE, ['clusters', String(n)]);
  console.log(`   ${String(c.clusters).padEnd(9)} ${String(c.answering).padEnd(10)} ${`${fmt(c.upMs)} ms`.padEnd(10)} ${`${fmt(c.rssMiB)} MiB`.padEnd(10)} ${fmt(c.peakMiB)} MiB`);
}

const ready = inChild<Record<string, number>>(TRAFFIC, ['cilium-ready']);
console.log('\n5. lab helm upgrade --install cilium (meshwright\'s rendered values) to all nodes Ready, reference lab');
for (const c of Object.keys(ready).filter((k) => !k.includes(':'))) console.log(`   ${c.padEnd(46)}${fmt(ready[c]!)} ms   (helm call ${fmt(ready[`${c}:helm`]!)} ms)`);

console.log('\n6. a global-service change (service.cilium.io/global flipped in one cluster) until every other cluster\'s backends show it,');
console.log('   200 changes, meshed clusters over real TLS links  [target: p99 < 100 ms at 32]');
console.log('   CLUSTERS  P50        P99        MAX        SET-UP');
for (const n of [8, 32]) {
  const g = inChild<{ clusters: number; p50: number; p99: number; max: number; setupMs: number }>(TRAFFIC, ['global-change', String(n), '200']);
  console.log(`   ${String(g.clusters).padEnd(9)} ${`${fmt(g.p50, 1)} ms`.padEnd(10)} ${`${fmt(g.p99, 1)} ms`.padEnd(10)} ${`${fmt(g.max, 1)} ms`.padEnd(10)} ${fmt(g.setupMs / 1000, 1)} s`);
}

console.log('');
flows(7);

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePlatform } from './generate.js';
import { fmt, inChild } from './measure.js';

/**
 * bench/validate: platforms of 2, 32 and 255 clusters × 100 nodes.
 * Target: 255 × 100 (about 2 MB of YAML) validated in under 1 s, growing linearly.
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const SIZES = [2, 32, 255];
const NODES = 100;

interface Row {
  clusters: number;
  nodes: number;
  bytes: number;
  parseMs: number;
  validateMs: number;
  totalMs: number;
  findingMs: number;
  peakMiB: number;
}

const rows = SIZES.map((c) => inChild<Row>(join(HERE, 'validate-case.ts'), [String(c), String(NODES)]));

console.log('bench/validate — parse (js-yaml) + schema + mesh rules, cold, one process per size\n');
console.log('CLUSTERS  NODES   YAML      PARSE    RULES+SCHEMA  TOTAL     µs/NODE  WITH 1 FINDING  PEAK RSS');
for (const r of rows) {
  console.log(
    [String(r.clusters).padEnd(9), String(r.nodes).padEnd(7), `${fmt(r.bytes / 1e6, 2)} MB`.padEnd(9), `${fmt(r.parseMs)} ms`.padEnd(8), `${fmt(r.validateMs)} ms`.padEnd(13), `${fmt(r.totalMs)} ms`.padEnd(9), fmt((r.totalMs * 1000) / r.nodes, 1).padEnd(8), `${fmt(r.findingMs)} ms`.padEnd(15), `${fmt(r.peakMiB)} MiB`].join(' '),
  );
}
const small = rows[1]!;
const big = rows[2]!;
console.log(`\ngrowth 32 → 255 clusters: ${fmt(big.nodes / small.nodes, 1)}× the nodes, ${fmt(big.totalMs / small.totalMs, 1)}× the time (linear ≈ ${fmt(big.nodes / small.nodes, 1)}×)`);
console.log(`target: 255 × 100 under 1000 ms — measured ${fmt(big.totalMs)} ms: ${big.totalMs < 1000 ? 'met' : 'NOT met'}`);

// The whole command as a user runs it (needs `npm run build`).
const dir = mkdtempSync(join(tmpdir(), 'meshwright-bench-'));
const file = join(dir, 'platform.yaml');
writeFileSync(file, generatePlatform(255, NODES));
const main = resolve(HERE, '..', 'dist', 'cli', 'main.js');
const t = process.hrtime.bigint();
const r = spawnSync(process.execPath, [main, 'validate', file], { encoding: 'utf8' });
const wall = Number(process.hrtime.bigint() - t) / 1e6;
console.log(r.status === 0 ? `meshwright validate on 255 × 100, whole process (start-up included): ${fmt(wall)} ms` : `CLI run failed (run npm run build first): ${r.stderr.split('\n')[0]}`);
rmSync(dir, { recursive: true, force: true });

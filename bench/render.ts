import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, inChild } from './measure.js';

/** bench/render: 2, 32 and 255 clusters × 100 nodes — with certificates issued, and with them reused (excluded). */
const HERE = fileURLToPath(new URL('.', import.meta.url));
interface Row { clusters: number; certificates: number; files: number; bytes: number; issueMs: number; reuseMs: number; renderMs: number; writeMs: number; peakMiB: number }
const rows = [2, 32, 255].map((c) => inChild<Row>(join(HERE, 'render-case.ts'), [String(c)]));

console.log('bench/render — 100 nodes per cluster; ECDSA P-256 mesh CA\n');
console.log('CLUSTERS  CERTS  FILES  BYTES      ISSUE CERTS  REUSE CERTS  RENDER    WRITE     TOTAL (CERTS INCL.)  TOTAL (EXCL.)  PEAK RSS');
for (const r of rows) {
  const excl = r.renderMs + r.writeMs;
  console.log([String(r.clusters).padEnd(9), String(r.certificates).padEnd(6), String(r.files).padEnd(6), `${fmt(r.bytes / 1e6, 2)} MB`.padEnd(10), `${fmt(r.issueMs)} ms`.padEnd(12), `${fmt(r.reuseMs)} ms`.padEnd(12), `${fmt(r.renderMs)} ms`.padEnd(9), `${fmt(r.writeMs)} ms`.padEnd(9), `${fmt(r.issueMs + excl)} ms`.padEnd(20), `${fmt(r.reuseMs + excl)} ms`.padEnd(14), `${fmt(r.peakMiB)} MiB`].join(' '));
}
console.log('\n"excl." = a re-render: certificates read back and reused (byte-identical output), not issued.');

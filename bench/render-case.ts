import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from '../src/render-output/index.js';
import { certificatePlan, reconcilePki } from '../src/pki/index.js';
import { DEFAULT_RENDER_OPTIONS, renderPlatform } from '../src/render/index.js';
import { validatePlatformText } from '../src/spec/index.js';
import { generatePlatform } from './generate.js';
import { ms, peakRssMiB } from './measure.js';

/** One size in its own process: issue the mesh certificates, reuse them, render, write. */
const clusters = Number(process.argv[2]);
const platform = validatePlatformText('bench.yaml', generatePlatform(clusters, 100)).platform!;
const now = new Date('2026-11-24T00:00:00Z');
const plan = certificatePlan(platform);

let t = process.hrtime.bigint();
const issued = await reconcilePki({}, plan, { now, crypto: webcrypto });
const issueMs = ms(t);

t = process.hrtime.bigint();
const reused = await reconcilePki(issued.state, plan, { now, crypto: webcrypto });
const reuseMs = ms(t);

t = process.hrtime.bigint();
const files = renderPlatform(platform, reused.pki, DEFAULT_RENDER_OPTIONS);
const renderMs = ms(t);

const dir = mkdtempSync(join(tmpdir(), 'meshwright-bench-render-'));
t = process.hrtime.bigint();
writeTree(join(dir, 'out'), files);
const writeMs = ms(t);
rmSync(dir, { recursive: true, force: true });

const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
console.log(JSON.stringify({ clusters, certificates: plan.length, files: files.length, bytes, issueMs, reuseMs, renderMs, writeMs, peakMiB: peakRssMiB() }));

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { memoryIO } from '../src/cli/index.js';
import { dashboardSources } from '../src/cli/dashboard.js';
import { DEFAULT_STATE } from '../src/cli/defaults.js';
import { startDashboard, type Dashboard } from '../src/dashboard/index.js';
import { FlowRing, type FlowRecord } from '../src/observe/index.js';
import { bin } from '../test/helpers/cli.js';
import { DEATHSTAR, REBEL_1, REBEL_2, serviceRequest, tcpFlow, XWING_1, XWING_STARWARS } from '../test/dashboard/flows.js';
import { fmt, ms } from './measure.js';

/**
 * bench/observe (issue 17's figures): how many flows a second the ring records and the dashboard
 * streams to 10 SSE clients at once; the page's first contentful paint on the reference lab
 * (Performance API, headless chromium); the bundle's size raw and gzipped. Needs `npm run build`.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLIENTS = 10;
const FLOWS = 20_000;
const BATCH = 500;
const LAUNCH = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Real-looking flows of the reference lab: service requests both ways and policy drops. */
function sample(): FlowRecord[] {
  return [...serviceRequest(XWING_1, REBEL_1, 'rebel-base'), ...serviceRequest(XWING_1, REBEL_2, 'rebel-base'), tcpFlow(XWING_STARWARS, DEATHSTAR, { direction: 'INGRESS', verdict: 'DROPPED' })];
}

/** One SSE client: counts the flows it received and the ones the server said it lost. */
function client(port: number): { opened: Promise<void>; counts: () => { got: number; lost: number }; close: () => void } {
  let got = 0;
  let lost = 0;
  let tail = '';
  let opened!: () => void;
  const p = new Promise<void>((r) => (opened = r));
  const req = request({ host: '127.0.0.1', port, path: '/api/flows?last=0', headers: { host: `127.0.0.1:${port}` } }, (res) => {
    opened();
    res.on('data', (d: Buffer) => {
      const text = tail + d.toString();
      const events = text.split('\n\n');
      tail = events.pop()!;
      for (const e of events) {
        if (e.startsWith('data: ')) got++;
        else if (e.startsWith('event: lost')) lost += Number(e.split('data: ')[1]);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { opened: p, counts: () => ({ got, lost }), close: () => req.destroy() };
}

async function streaming(): Promise<void> {
  // a record of its own for every flow, as the lab makes them (none is serialised twice by accident)
  const base = sample();
  const records = Array.from({ length: FLOWS }, (_, i) => ({ ...base[i % base.length]!, time: new Date(Date.UTC(2026, 11, 2) + i).toISOString() }));
  // recording alone: the ring, no listener
  const alone = new FlowRing();
  let t = process.hrtime.bigint();
  for (let i = 0; i < FLOWS; i++) alone.record(records[i]!);
  const recordMs = ms(t);
  const ring = new FlowRing();
  const dashboard = await startDashboard({ port: 0, sources: { status: async () => ({}), plan: () => ({}), policyMatrix: () => ({}), policyExplain: () => ({ data: {}, text: '' }), lastVerify: () => undefined }, flows: ring });
  const clients = Array.from({ length: CLIENTS }, () => client(dashboard.port));
  await Promise.all(clients.map((c) => c.opened));
  t = process.hrtime.bigint();
  // batches, as flows arrive from the lab's requests: the event loop writes between them
  for (let i = 0; i < FLOWS; i += BATCH) {
    for (let j = i; j < Math.min(FLOWS, i + BATCH); j++) ring.record(records[j]!);
    await new Promise((r) => setImmediate(r));
  }
  const deadline = Date.now() + 60_000;
  while (clients.some((c) => c.counts().got + c.counts().lost < FLOWS) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const streamMs = ms(t);
  const got = clients.reduce((n, c) => n + c.counts().got, 0);
  const lost = clients.reduce((n, c) => n + c.counts().lost, 0);
  for (const c of clients) c.close();
  await dashboard.close();
  console.log(`record into the ring          ${fmt((FLOWS / recordMs) * 1000)} flows/s (${FLOWS} flows in ${fmt(recordMs)} ms)`);
  console.log(`record + stream to ${CLIENTS} SSE     ${fmt((FLOWS / streamMs) * 1000)} flows/s recorded, ${fmt((got / streamMs) * 1000)} events/s delivered in all (${got} of ${FLOWS * CLIENTS} delivered, ${lost} lost to slow clients, ${fmt(streamMs)} ms)`);
}

async function firstPaint(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-observe-'));
  let dashboard: Dashboard | undefined;
  try {
    writeFileSync(join(dir, 'platform.yaml'), readFileSync(join(ROOT, 'examples', 'reference-lab', 'platform.yaml')));
    mkdirSync(join(dir, 'starwars'));
    const minikube = join(ROOT, 'test', 'fixtures', 'upstream', 'cilium-examples', 'examples', 'minikube');
    for (const f of ['http-sw-app.yaml', 'sw_l3_l4_l7_policy.yaml']) copyFileSync(join(minikube, f), join(dir, 'starwars', f));
    const applied = bin(['apply'], { cwd: dir, env: { HOME: dir } });
    if (applied.code !== 0) throw new Error(`apply: ${applied.stderr}`);
    const ring = new FlowRing();
    for (let i = 0; i < 2000; i++) for (const r of sample()) ring.record(r);
    dashboard = await startDashboard({ port: 0, sources: dashboardSources(memoryIO({ HOME: dir }, dir), undefined, { context: [], state: DEFAULT_STATE, filename: ['k8s-cilium-01=starwars'] }), flows: ring });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH, timeout: 20_000 });
    const paints: number[] = [];
    const loaded: number[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await page.goto(dashboard.url, { waitUntil: 'load' });
        await page.locator('[data-link]').first().waitFor({ timeout: 10_000 });
        paints.push(await page.evaluate<number>(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1`));
        loaded.push(await page.evaluate<number>(`performance.now()`));
        await page.close();
      }
    } finally {
      await browser.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`first contentful paint        ${fmt(median(paints))} ms median of 5 (min ${fmt(Math.min(...paints))}, max ${fmt(Math.max(...paints))}); mesh links drawn by ${fmt(median(loaded))} ms`);
  } finally {
    await dashboard?.close();
    bin(['lab', 'down'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  }
}

function bundle(): void {
  const dir = join(ROOT, 'dist', 'dashboard', 'web');
  let raw = 0;
  let gz = 0;
  const parts: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const body = readFileSync(join(dir, f));
    const z = gzipSync(body, { level: 9 }).length;
    raw += statSync(join(dir, f)).size;
    gz += z;
    parts.push(`${f} ${fmt(body.length / 1024, 1)}/${fmt(z / 1024, 1)}`);
  }
  console.log(`bundle (dist/dashboard/web)   ${fmt(raw / 1024, 1)} KiB raw, ${fmt(gz / 1024, 1)} KiB gzipped (target < 200 KB gzipped): ${parts.join(', ')} KiB`);
}

console.log(`bench/observe — flows streamed by the dashboard, its first paint and its bundle (${new Date().toISOString().slice(0, 10)})`);
bundle();
await streaming();
if (!process.argv.includes("--no-paint")) await firstPaint();

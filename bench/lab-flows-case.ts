/**
 * bench/lab's flows case (issue 17), one JSON line: on the reference lab (Cilium installed with
 * meshwright's rendered values, the clustermesh demo applied), lab curl's requests per second
 * from x-wing to the global rebel-base service with the flow ring on and off (labCurl in process:
 * what the lab process does per request, without the HTTP hop), the flows recorded per request,
 * and the ring's own insert rate.
 */
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { ensureLabPki, labHelm, startLab, type RunningLab } from '../src/lab/index.js';
import { labCurl } from '../src/lab/traffic/index.js';
import { FlowRing, type FlowRecord } from '../src/observe/index.js';
import { certificatePlan, reconcilePki } from '../src/pki/index.js';
import { ciliumSecretValues, ciliumValues, DEFAULT_RENDER_OPTIONS, renderPlatform } from '../src/render/index.js';
import { validatePlatformFile } from '../src/spec/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function applyYaml(api: RunningLab['clusters'][number]['api'], text: string): Promise<void> {
  for (const doc of loadAll(text) as any[]) {
    if (!doc?.kind) continue;
    const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : '';
    const def = api.catalog.byKind(group, doc.kind);
    if (def) await api.create(def, doc.metadata.namespace ?? (def.namespaced ? 'default' : ''), doc).catch(() => undefined);
  }
}

async function settle(lab: RunningLab, ready: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ready(); i++) {
    await Promise.all(lab.clusters.map((c) => c.controllers.settled()));
    await lab.mesh.settled();
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!ready()) throw new Error('the reference lab did not settle');
}

const platform = validatePlatformFile(join(ROOT, 'examples/reference-lab/platform.yaml')).platform!;
const dir = mkdtempSync(join(tmpdir(), 'mw-bench-flows-'));
const labPki = await ensureLabPki(join(dir, 'pki'), new Date());
const lab = await startLab({ platform, dataDir: join(dir, 'data'), ports: {}, pki: labPki });
try {
  const pki = (await reconcilePki({}, certificatePlan(platform), { now: new Date(), crypto: webcrypto, rotateCa: false })).pki;
  const files = renderPlatform(platform, pki, DEFAULT_RENDER_OPTIONS);
  for (const c of platform.spec.clusters) {
    const port = lab.clusters.find((x) => x.name === c.name)!.port;
    const values = [ciliumValues(platform, c) as Record<string, any>, ciliumSecretValues(platform, c, pki, { caKeyToChart: false, kubeletInsecureTls: false }) as Record<string, any>];
    await labHelm.upgradeInstall(port, labPki, { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values, now: Date.now() });
    const api = lab.clusters.find((x) => x.name === c.name)!.api;
    for (const f of ['01-lb-ipam.yaml', '03-global-service-demo.yaml']) await applyYaml(api, files.find((x) => x.path === `${c.name}/manifests/${f}`)!.content);
  }
  const first = lab.clusters[0]!;
  const xwing = () => first.api.store.list('core/pods', 'default').map((e) => e.value).find((p) => p.metadata.labels?.name === 'x-wing' && p.status?.podIP);
  const readyBackends = () => lab.clusters.every((c) => c.api.store.list('core/pods', 'default').filter((e) => e.value.metadata.labels?.name === 'rebel-base' && (e.value.status?.conditions ?? []).some((x: any) => x.type === 'Ready' && x.status === 'True')).length === 2);
  await settle(lab, () => Boolean(xwing()) && readyBackends() && lab.mesh.linkReady(first.name, lab.clusters[1]!.name));
  const from = `default/${xwing()!.metadata.name}`;
  // off and on alternate, five rounds each, medians: the machine is shared, a single run swings
  const requests = 5_000;
  const batch = 1000;
  const run = (world: ReturnType<RunningLab['world']>, round: number) => {
    const t = now();
    for (let i = 0; i < requests / batch; i++) labCurl(world, { cluster: first.name, from, url: 'http://rebel-base/', count: batch, seed: round * 100 + i });
    return now() - t;
  };
  const world = lab.world();
  const off = { ...world, flows: undefined };
  // the same flows built, kept in a ring of 100 per node: building them apart from holding 16,383 per node
  const small = { ...world, flows: new FlowRing(100) };
  run(off, 99); // warm: policy engine built, code hot
  run(world, 99);
  run(small, 99);
  const offMs: number[] = [];
  const onMs: number[] = [];
  const smallMs: number[] = [];
  let recorded = 0;
  for (let round = 0; round < 5; round++) {
    offMs.push(run(off, round));
    smallMs.push(run(small, round));
    const before = lab.flows.seenFlows;
    onMs.push(run(world, round));
    recorded += lab.flows.seenFlows - before;
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  // the ring alone: records already built, across the reference lab's four nodes
  const sample: FlowRecord[] = lab.flows.snapshot().slice(-4000);
  const ring = new FlowRing();
  const inserts = 1_000_000;
  const t = now();
  for (let i = 0; i < inserts; i++) ring.record(sample[i % sample.length]!);
  const ringMs = now() - t;
  console.log(
    JSON.stringify({
      requests: requests * 5,
      offPerSecond: requests / (median(offMs) / 1000),
      onPerSecond: requests / (median(onMs) / 1000),
      smallRingPerSecond: requests / (median(smallMs) / 1000),
      flowsPerRequest: recorded / (requests * 5),
      flowsPerSecondWithCurl: recorded / (onMs.reduce((x, y) => x + y, 0) / 1000),
      ringInsertsPerSecond: inserts / (ringMs / 1000),
      heldInRing: lab.flows.snapshot().length,
    }),
  );
} finally {
  await lab.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

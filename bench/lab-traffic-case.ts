/**
 * bench/lab (issue 14's figures), one case per process, one JSON line:
 *   cilium-ready        reference lab: `lab helm upgrade --install cilium` (meshwright's rendered
 *                       values) on each cluster, time until all its nodes are Ready
 *   global-change N     N meshed clusters (real TLS links): a Service turned global in one cluster,
 *                       time until every other cluster's backends for it include that cluster's
 */
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { ensureLabPki, labHelm, startLab, type RunningLab } from '../src/lab/index.js';
import { serviceBackends } from '../src/lab/traffic/index.js';
import { certificatePlan, reconcilePki } from '../src/pki/index.js';
import { ciliumSecretValues, ciliumValues, DEFAULT_RENDER_OPTIONS, renderPlatform } from '../src/render/index.js';
import { validatePlatformFile, validatePlatformText, type Platform } from '../src/spec/index.js';
import { generatePlatform } from './generate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function meshPki(platform: Platform) {
  return (await reconcilePki({}, certificatePlan(platform), { now: new Date(), crypto: webcrypto, rotateCa: false })).pki;
}

async function install(lab: RunningLab, platform: Platform, pki: Awaited<ReturnType<typeof meshPki>>, labPki: Awaited<ReturnType<typeof ensureLabPki>>, cluster: string) {
  const c = platform.spec.clusters.find((x) => x.name === cluster)!;
  const port = lab.clusters.find((x) => x.name === cluster)!.port;
  const values = [ciliumValues(platform, c) as Record<string, any>, ciliumSecretValues(platform, c, pki, { caKeyToChart: false, kubeletInsecureTls: false }) as Record<string, any>];
  await labHelm.upgradeInstall(port, labPki, { release: 'cilium', chart: 'cilium', namespace: 'kube-system', values, now: Date.now() });
}

function allNodesReady(lab: RunningLab, cluster: string): boolean {
  const api = lab.clusters.find((c) => c.name === cluster)!.api;
  return api.store.list('core/nodes').every((e) => (e.value.status?.conditions ?? []).some((x: any) => x.type === 'Ready' && x.status === 'True'));
}

/**
 * Resolves once `done()` holds, checked on every store event of any cluster, and every 25 ms for
 * what changes without one (a mesh link coming up after its handshake: set-up only, not measured).
 */
function until(lab: RunningLab, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    const offs: Array<() => void> = [];
    const check = () => {
      if (!done()) return;
      for (const o of offs) o();
      resolve();
    };
    for (const c of lab.clusters) offs.push(c.api.store.subscribe(() => setImmediate(check)));
    const tick = setInterval(check, 25);
    offs.push(() => clearInterval(tick));
  });
}

async function ciliumReady(): Promise<unknown> {
  const r = validatePlatformFile(join(ROOT, 'examples/reference-lab/platform.yaml'));
  const platform = r.platform!;
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-cilium-'));
  const labPki = await ensureLabPki(join(dir, 'pki'), new Date());
  const lab = await startLab({ platform, dataDir: join(dir, 'data'), ports: {}, pki: labPki });
  const pki = await meshPki(platform);
  const out: Record<string, number> = {};
  try {
    for (const c of platform.spec.clusters) {
      const t = now();
      await install(lab, platform, pki, labPki, c.name);
      const helmMs = now() - t;
      await until(lab, () => allNodesReady(lab, c.name));
      out[c.name] = now() - t;
      out[`${c.name}:helm`] = helmMs;
    }
    return out;
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function globalChange(n: number, changes: number): Promise<unknown> {
  const r = validatePlatformText('bench.yaml', generatePlatform(n, 2));
  if (!r.platform) throw new Error('generated platform invalid');
  const platform = r.platform;
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-global-'));
  const labPki = await ensureLabPki(join(dir, 'pki'), new Date());
  const lab = await startLab({ platform, dataDir: join(dir, 'data'), ports: {}, pki: labPki });
  try {
    const pki = await meshPki(platform);
    const files = renderPlatform(platform, pki, DEFAULT_RENDER_OPTIONS);
    const t0 = now();
    for (const c of platform.spec.clusters) {
      await install(lab, platform, pki, labPki, c.name);
      const api = lab.clusters.find((x) => x.name === c.name)!.api;
      for (const f of files.filter((x) => x.path.startsWith(`${c.name}/manifests/01-`))) for (const doc of f.content.split(/^---$/m)) await applyYaml(api, doc);
      // echo is global everywhere but in the first cluster, which the changes turn global and back
      await applyYaml(api, c.name === platform.spec.clusters[0]!.name ? DEMO.replace('"true"', '"false"') : DEMO);
    }
    const names = platform.spec.clusters.map((c) => c.name);
    const meshed = () => names.every((a) => names.every((b) => a === b || lab.mesh.linkReady(a, b)));
    const ready = () => lab.clusters.every((c) => c.api.store.list('discovery.k8s.io/endpointslices', 'default').some((e) => e.value.metadata.labels?.['kubernetes.io/service-name'] === 'echo' && (e.value.endpoints ?? []).some((x: any) => x.conditions?.ready)));
    await until(lab, () => meshed() && ready());
    await lab.mesh.settled();
    const setupMs = now() - t0;
    // one change: cluster 1's echo turned global (then back), seen by every other cluster when its backends include cluster 1's
    const first = lab.clusters[0]!;
    const svcDef = first.api.catalog.find('', 'v1', 'services')!;
    const world = lab.world();
    const sees = (global: boolean) => names.slice(1).every((client) => backendsOf(world, client).includes(first.name) === global);
    const samples: number[] = [];
    for (let i = 0; i < changes; i++) {
      const global = i % 2 === 0;
      const t = now();
      await first.api.patch(svcDef, 'default', 'echo', 'merge', JSON.stringify({ metadata: { annotations: { 'service.cilium.io/global': String(global) } } }));
      await until(lab, () => sees(global));
      samples.push(now() - t);
    }
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)]!;
    return { clusters: n, changes, setupMs, p50: q(0.5), p99: q(0.99), max: samples[samples.length - 1] };
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The clusters holding the backends `lab curl` from `client` picks among for default/echo:80. */
function backendsOf(world: ReturnType<RunningLab['world']>, client: string): string[] {
  const svc = world.clusters.find((c) => c.name === client)!.api.store.list('core/services', 'default').find((e) => e.value.metadata.name === 'echo')!.value;
  return [...new Set(serviceBackends(world, client, svc, 80).map((b) => b.cluster))];
}

const DEMO = `apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      containers: [{name: echo, image: docker.io/nginx:1.15.8}]
---
apiVersion: v1
kind: Service
metadata:
  name: echo
  namespace: default
  annotations: {service.cilium.io/global: "true"}
spec:
  selector: {app: echo}
  ports: [{port: 80}]
`;

async function applyYaml(api: RunningLab['clusters'][number]['api'], text: string): Promise<void> {
  for (const doc of loadAll(text) as any[]) {
    if (!doc?.kind) continue;
    const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : '';
    const def = api.catalog.byKind(group, doc.kind);
    if (!def) throw new Error(`no ${doc.apiVersion} ${doc.kind} in the lab`);
    await api.create(def, doc.metadata.namespace ?? (def.namespaced ? 'default' : ''), doc);
  }
}

const [what, a, b] = process.argv.slice(2);
const result = what === 'cilium-ready' ? await ciliumReady() : await globalChange(Number(a), Number(b ?? 200));
console.log(JSON.stringify(result));
process.exit(0);

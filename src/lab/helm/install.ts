import { dump, loadAll } from 'js-yaml';
import type { LabPki } from '../pki.js';
import type { Obj } from '../store/log-store.js';
import { approverObjects, APPROVER_CHART, METRICS_SERVER_CHART, metricsServerObjects } from './charts/small-charts.js';
import { CILIUM_CHART, CILIUM_DEFAULTS, ciliumObjects } from './charts/cilium.js';
import { mergeValues } from './charts/values.js';
import { labRequest, objectPath } from './client.js';
import { decodeRelease, releaseSecret, type HelmRelease } from './release.js';

export const LAB_CHARTS = {
  cilium: { ...CILIUM_CHART, objects: ciliumObjects, defaults: CILIUM_DEFAULTS },
  'metrics-server': { ...METRICS_SERVER_CHART, objects: metricsServerObjects, defaults: {} },
  'kubelet-csr-approver': { ...APPROVER_CHART, objects: approverObjects, defaults: {} },
} as const;
export type LabChart = keyof typeof LAB_CHARTS;

/** A chart reference as helm takes it ("cilium/cilium", "cilium", "metrics-server/metrics-server"): the lab knows three. */
export function labChart(ref: string): LabChart | undefined {
  const name = ref.split('/').pop()!.replace(/-\d+\.\d+\.\d+\.tgz$/, '');
  return name in LAB_CHARTS ? (name as LabChart) : undefined;
}

export class HelmError extends Error {}

async function ok(p: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new HelmError(`${what}: ${r.body?.message ?? `HTTP ${r.status}`}`);
  return r.body;
}

/** Every revision of a release, newest last (helm's storage.History). */
export async function releaseHistory(port: number, pki: LabPki, ns: string | undefined, name?: string): Promise<HelmRelease[]> {
  const sel = encodeURIComponent(`owner=helm${name ? `,name=${name}` : ''}`);
  const path = ns ? `/api/v1/namespaces/${ns}/secrets?labelSelector=${sel}` : `/api/v1/secrets?labelSelector=${sel}`;
  const list = await ok(labRequest(port, pki, 'GET', path), 'listing releases');
  return (list.items as Obj[]).filter((s) => s.type === 'helm.sh/release.v1').map((s) => decodeRelease(Buffer.from(s.data.release, 'base64').toString())).sort((a, b) => a.version - b.version);
}

/**
 * `helm upgrade --install NAME CHART -n NS -f VALUES…` on a lab cluster, as helm 3 does it
 * (pkg/action/upgrade.go, install.go): the new revision is recorded pending first (helm's
 * pessimistic lock), the chart's objects are applied (server-side apply, field manager helm),
 * objects of the previous revision the new one no longer has are deleted, then the new revision
 * is `deployed` and the previous `superseded`.
 */
export async function upgradeInstall(port: number, pki: LabPki, req: { release: string; chart: LabChart; namespace: string; values: Array<Record<string, unknown>>; now: number }): Promise<HelmRelease> {
  const chart = LAB_CHARTS[req.chart];
  const history = await releaseHistory(port, pki, req.namespace, req.release);
  const last = history.at(-1);
  if (last && last.info.status.startsWith('pending-')) throw new HelmError('another operation (install/upgrade/rollback) is in progress');
  const config = mergeValues({}, ...(req.values as Array<Record<string, any>>));
  const objects = chart.objects(req.release, req.namespace, config);
  const t = new Date(req.now).toISOString();
  const release: HelmRelease = {
    name: req.release,
    namespace: req.namespace,
    version: (last?.version ?? 0) + 1,
    info: { first_deployed: last?.info.first_deployed ?? t, last_deployed: t, deleted: '', description: last ? 'Upgrade complete' : 'Install complete', status: last ? 'pending-upgrade' : 'pending-install' },
    chart: { metadata: { name: chart.name, version: chart.version, appVersion: chart.appVersion, apiVersion: 'v2' }, values: chart.defaults as Record<string, unknown> },
    config,
    manifest: objects.map((o) => `---\n${dump(o, { lineWidth: -1, noRefs: true })}`).join(''),
  };
  const secrets = '/api/v1/namespaces/' + req.namespace + '/secrets';
  await ok(labRequest(port, pki, 'POST', secrets, releaseSecret(release, req.now)), 'recording the release');
  for (const o of objects) {
    await ok(labRequest(port, pki, 'PATCH', `${objectPath(o)}?fieldManager=helm&force=true`, JSON.stringify(o), 'application/apply-patch+yaml'), `applying ${o.kind} ${o.metadata.name}`);
  }
  if (last) {
    const keep = new Set(objects.map((o) => objectPath(o)));
    for (const o of loadAll(last.manifest) as Obj[]) {
      if (!o || keep.has(objectPath(o))) continue;
      const r = await labRequest(port, pki, 'DELETE', objectPath(o));
      if (r.status >= 300 && r.status !== 404) throw new HelmError(`deleting ${o.kind} ${o.metadata.name}: ${r.body?.message}`);
    }
    const prev = { ...last, info: { ...last.info, status: 'superseded' as const } };
    await ok(labRequest(port, pki, 'PUT', `${secrets}/sh.helm.release.v1.${last.name}.v${last.version}`, releaseSecret(prev, req.now, Math.floor(Date.parse(last.info.last_deployed) / 1000))), 'superseding the previous release');
  }
  const done = { ...release, info: { ...release.info, status: 'deployed' as const } };
  await ok(labRequest(port, pki, 'PUT', `${secrets}/sh.helm.release.v1.${done.name}.v${done.version}`, releaseSecret(done, req.now, Math.floor(req.now / 1000))), 'recording the release');
  return done;
}

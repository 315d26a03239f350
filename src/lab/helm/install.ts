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
export async function upgradeInstall(
  port: number,
  pki: LabPki,
  req: { release: string; chart: LabChart; namespace: string; values: Array<Record<string, unknown>>; now: number;
    /** Who runs this upgrade ("meshwright apply pid N"): written into the pending revision's description, so only its successor takes it over. */
    runner?: string;
    /** An interrupted run of the caller: a pending revision it recorded (same runner) since `since` is taken over. */
    takeOver?: { since: number; runner: string };
    afterPending?: () => void;
  },
): Promise<HelmRelease> {
  const chart = LAB_CHARTS[req.chart];
  const history = await releaseHistory(port, pki, req.namespace, req.release);
  let last = history.at(-1);
  if (last && last.info.status.startsWith('pending-')) {
    if (!pendingOfInterruptedRun(last, req.takeOver)) throw new HelmError('another operation (install/upgrade/rollback) is in progress');
    last = await markFailed(port, pki, last, req.now);
  }
  const config = mergeValues({}, ...(req.values as Array<Record<string, any>>));
  const objects = chart.objects(req.release, req.namespace, config);
  const t = new Date(req.now).toISOString();
  const release: HelmRelease = {
    name: req.release,
    namespace: req.namespace,
    version: (last?.version ?? 0) + 1,
    info: { first_deployed: last?.info.first_deployed ?? t, last_deployed: t, deleted: '', description: `${last ? 'Preparing upgrade' : 'Initial install underway'}${req.runner ? ` (${req.runner})` : ''}`, status: last ? 'pending-upgrade' : 'pending-install' },
    chart: { metadata: { name: chart.name, version: chart.version, appVersion: chart.appVersion, apiVersion: 'v2' }, values: chart.defaults as Record<string, unknown> },
    config,
    manifest: objects.map((o) => `---\n${dump(o, { lineWidth: -1, noRefs: true })}`).join(''),
  };
  const secrets = '/api/v1/namespaces/' + req.namespace + '/secrets';
  await ok(labRequest(port, pki, 'POST', secrets, releaseSecret(release, req.now)), 'recording the release');
  req.afterPending?.();
  for (const o of objects) {
    await ok(labRequest(port, pki, 'PATCH', `${objectPath(o)}?fieldManager=helm&force=true`, JSON.stringify(o), 'application/apply-patch+yaml'), `applying ${o.kind} ${o.metadata.name}`);
  }
  // helm's currentRelease (pkg/action/upgrade.go prepareUpgrade): the last deployed revision, else the last one
  const current = last?.info.status === 'deployed' ? last : (history.findLast((r) => r.info.status === 'deployed') ?? last);
  if (current) {
    const keep = new Set(objects.map((o) => objectPath(o)));
    for (const o of loadAll(current.manifest) as Obj[]) {
      if (!o || keep.has(objectPath(o))) continue;
      const r = await labRequest(port, pki, 'DELETE', objectPath(o));
      if (r.status >= 300 && r.status !== 404) throw new HelmError(`deleting ${o.kind} ${o.metadata.name}: ${r.body?.message}`);
    }
    // the deployed revision is superseded; a failed one stays failed in the history (helm history shows why)
    if (current.info.status === 'deployed') {
      const prev = { ...current, info: { ...current.info, status: 'superseded' as const } };
      await ok(labRequest(port, pki, 'PUT', `${secrets}/sh.helm.release.v1.${current.name}.v${current.version}`, releaseSecret(prev, req.now, Math.floor(Date.parse(current.info.last_deployed) / 1000))), 'superseding the previous release');
    }
  }
  // helm's descriptions: pending "Initial install underway" / "Preparing upgrade", then "Install complete" / "Upgrade complete" (pkg/action)
  const done = { ...release, info: { ...release.info, status: 'deployed' as const, description: last ? 'Upgrade complete' : 'Install complete' } };
  await ok(labRequest(port, pki, 'PUT', `${secrets}/sh.helm.release.v1.${done.name}.v${done.version}`, releaseSecret(done, req.now, Math.floor(req.now / 1000))), 'recording the release');
  return done;
}

/**
 * A pending revision recorded since an interrupted run of the caller started: that run died
 * between helm's pending record and its final one. Helm has no unlock; the lab leaves what a
 * failed upgrade leaves, a `failed` revision, from which helm 3 upgrades (pkg/action/upgrade.go
 * prepareUpgrade refuses only a pending last revision).
 */
function pendingOfInterruptedRun(last: HelmRelease, run: { since: number; runner: string } | undefined): boolean {
  return run !== undefined && Date.parse(last.info.last_deployed) >= run.since - 1000 && last.info.description.endsWith(`(${run.runner})`);
}

async function markFailed(port: number, pki: LabPki, last: HelmRelease, now: number): Promise<HelmRelease> {
  const failed: HelmRelease = { ...last, info: { ...last.info, status: 'failed', description: 'Interrupted: the run that started it was stopped (marked failed by the next meshwright apply)' } };
  const path = `/api/v1/namespaces/${last.namespace}/secrets/sh.helm.release.v1.${last.name}.v${last.version}`;
  await ok(labRequest(port, pki, 'PUT', path, releaseSecret(failed, now, Math.floor(Date.parse(last.info.last_deployed) / 1000))), 'marking the interrupted revision failed');
  return failed;
}

import type { ClusterSpec } from '../../spec/index.js';
import { applyObjects, type ObjectChange, type ObjectAction } from '../kube/apply.js';
import type { ClusterClient } from '../kube/client.js';
import { getJson } from '../kube/http.js';
import { mergeValues, readRelease, sameValues } from '../kube/helm-release.js';
import type { ChartInstall } from '../helm-driver.js';
import { chartSource, type ChartName } from '../tools/charts.js';
import { allOf, crdEstablished, daemonSetReady, deploymentReady, nodesReady } from './readiness.js';
import { filesOf, manifestObjects, parsedValues } from './manifests.js';
import type { ClusterStep, StepContext } from './types.js';
import { join } from 'node:path';
import type * as K8s from '@kubernetes/client-node';

const NS = 'kube-system';
/** The Secrets applied before Cilium (00-*: KVStoreMesh's local certificate, the IPsec key when rendered). */
const BEFORE_CILIUM = (ctx: StepContext, c: string): string[] => [...ctx.files.keys()].filter((p) => p.startsWith(`${c}/manifests/00-`)).sort();
const secretsFirst = (ctx: StepContext, c: string) => BEFORE_CILIUM(ctx, c).flatMap((p) => manifestObjects(ctx.files, p));

/** The releases of this step in install order: cilium first; the others need the pod network. */
function releases(ctx: StepContext, cluster: ClusterSpec): Array<{ chart: ChartName; files: string[] }> {
  const helm = (f: string) => `${cluster.name}/helm/${f}`;
  const out: Array<{ chart: ChartName; files: string[] }> = [{ chart: 'cilium', files: [helm('cilium-values.yaml'), helm('cilium-values.secret.yaml')].filter((f) => ctx.files.has(f)) }];
  // kubelet-csr-approver before metrics-server, which needs the approved kubelet serving certificates
  if (ctx.files.has(helm('kubelet-csr-approver-values.yaml'))) out.push({ chart: 'kubelet-csr-approver', files: [helm('kubelet-csr-approver-values.yaml')] });
  if (ctx.files.has(helm('metrics-server-values.yaml'))) out.push({ chart: 'metrics-server', files: [helm('metrics-server-values.yaml')] });
  return out;
}

function install(ctx: StepContext, r: { chart: ChartName; files: string[] }): ChartInstall {
  return { release: r.chart, chart: r.chart, namespace: NS, valuesFiles: r.files.map((f) => join(ctx.outDir, f)), values: r.files.map((f) => parsedValues(ctx.files, f) ?? {}) };
}


/** What `helm upgrade --install` would do to a release: nothing when the deployed revision has these values and chart version. */
async function releaseAction(ctx: StepContext, c: ClusterClient, i: ChartInstall): Promise<ObjectAction> {
  const live = await readRelease(c, i.namespace, i.release);
  if (!live) return 'created';
  const same = live.status === 'deployed' && live.chartVersion === chartSource(i.chart, ctx.platform.spec.cilium.version, {}).version && sameValues(live.config, mergeValues(...i.values));
  return same ? 'unchanged' : 'configured';
}

const configData = async (c: ClusterClient): Promise<Record<string, string>> => (await getJson(c, `/api/v1/namespaces/${NS}/configmaps/cilium-config`))?.data ?? {};

/**
 * `kubectl rollout restart` of the agents and the operator: the pod template's
 * kubectl.kubernetes.io/restartedAt annotation, as kubectl sets it. The cilium chart rolls its pods
 * on a config change only with rollOutCiliumPods (install/kubernetes/cilium/values.yaml:
 * `rollOutCiliumPods: false`, read in copies of values.yaml, not in the 1.16.5 tag), so apply
 * does it, and only when cilium-config itself changed.
 */
async function restart(c: ClusterClient, now: Date): Promise<void> {
  const body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString() } } } } };
  const k8s: typeof K8s = await import('@kubernetes/client-node');
  const apps = c.kc.makeApiClient(k8s.AppsV1Api);
  const opts = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
  await apps.patchNamespacedDaemonSet({ namespace: NS, name: 'cilium', body }, opts);
  await apps.patchNamespacedDeployment({ namespace: NS, name: 'cilium-operator', body }, opts);
}

export const ciliumStep: ClusterStep = {
  name: 'cilium',
  title: 'Cilium by Helm, then kubelet-csr-approver and metrics-server',
  applies: () => true,
  inputs: (ctx, cluster) => filesOf(ctx.files, [...BEFORE_CILIUM(ctx, cluster.name), ...releases(ctx, cluster).flatMap((r) => r.files)]),
  async run(ctx, h) {
    const c = h.client;
    const changes: ObjectChange[] = [];
    const notes: string[] = [];
    changes.push(...(await applyObjects(c, secretsFirst(ctx, h.spec.name))));
    for (const r of releases(ctx, h.spec)) {
      const i = install(ctx, r);
      const action = await releaseAction(ctx, c, i);
      if (action !== 'unchanged') {
        const before = r.chart === 'cilium' && action === 'configured' ? await configData(c) : undefined;
        await ctx.helm.upgradeInstall(c, ctx.kubeconfig, i, ctx.timeoutMs, h.interrupted);
        if (before) {
          const after = await configData(c);
          const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).sort();
          if (changed.length) {
            await restart(c, ctx.now());
            notes.push(`restarted the cilium agents and operator in ${h.spec.name}: cilium-config changed (${changed.join(', ')})`);
          }
        }
      }
      changes.push({ cluster: h.spec.name, object: `HelmRelease/${NS}/${r.chart}`, action });
      if (r.chart === 'cilium') {
        // not helm --wait: the LoadBalancer Services cannot get addresses before the pool exists
        await h.wait(['/apis/apps/v1/namespaces/kube-system/daemonsets', '/apis/apps/v1/namespaces/kube-system/deployments', '/api/v1/nodes', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'], () =>
          allOf([
            () => daemonSetReady(c, NS, 'cilium', 'cilium agents'),
            () => deploymentReady(c, NS, 'cilium-operator'),
            () => crdEstablished(c, 'ciliumloadbalancerippools.cilium.io'),
            () => crdEstablished(c, 'ciliuml2announcementpolicies.cilium.io'),
            () => nodesReady(c),
          ]),
        );
      } else {
        await h.wait(['/apis/apps/v1/namespaces/kube-system/deployments'], () => deploymentReady(c, NS, r.chart));
      }
    }
    return { changes, notes };
  },
  async preview(ctx, h) {
    const out = await applyObjects(h.client, secretsFirst(ctx, h.spec.name), { dryRun: true });
    for (const r of releases(ctx, h.spec)) out.push({ cluster: h.spec.name, object: `HelmRelease/${NS}/${r.chart}`, action: await releaseAction(ctx, h.client, install(ctx, r)) });
    return out;
  },
};

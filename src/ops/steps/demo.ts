import { applyObjects } from '../kube/apply.js';
import { allOf, deploymentReady } from './readiness.js';
import { filesOf, manifestObjects } from './manifests.js';
import type { ClusterStep } from './types.js';

const DEMO = (c: string) => `${c}/manifests/03-global-service-demo.yaml`;

/** The global-service demo in namespace default, as in the notebook: rebel-base per cluster, x-wing, the global Service. */
export const demoStep: ClusterStep = {
  name: 'demo',
  title: 'global-service demo (rebel-base, x-wing)',
  applies: (ctx, cluster) => ctx.files.has(DEMO(cluster.name)),
  inputs: (ctx, cluster) => filesOf(ctx.files, [DEMO(cluster.name)]),
  async run(ctx, h) {
    const objects = manifestObjects(ctx.files, DEMO(h.spec.name));
    const changes = await applyObjects(h.client, objects);
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    await h.wait(['/apis/apps/v1/namespaces/default/deployments'], () => allOf(deployments.map((d) => () => deploymentReady(h.client, d.metadata?.namespace ?? 'default', d.metadata!.name!))));
    return { changes, notes: [] };
  },
  preview: (ctx, h) => applyObjects(h.client, manifestObjects(ctx.files, DEMO(h.spec.name)), { dryRun: true }),
};

import { applyObjects, type ObjectChange } from '../kube/apply.js';
import { allOf, deploymentReady, ingressAddress, serviceAddress } from './readiness.js';
import { filesOf, manifestObjects } from './manifests.js';
import type { ClusterStep, StepContext } from './types.js';
import type { ClusterSpec } from '../../spec/index.js';

const POOL = (c: string) => `${c}/manifests/01-lb-ipam.yaml`;
const INGRESS_APP = (c: string) => `${c}/manifests/02-ingress-app.yaml`;

/** The addresses plan predicts for this cluster's LoadBalancer Services (the model LB IPAM runs). */
function predicted(ctx: StepContext, cluster: ClusterSpec) {
  return ctx.plan.loadBalancers.filter((l) => l.cluster === cluster.name && l.ip !== null) as Array<{ namespace: string; name: string; ip: string }>;
}

/**
 * The LB IPAM pool and L2 announcement policy (server-side apply, field manager meshwright),
 * then the wait until cilium-ingress and clustermesh-apiserver hold the addresses plan predicted,
 * then the ingress test application and its Ingress's address.
 */
export const lbIpamStep: ClusterStep = {
  name: 'lb-ipam',
  title: 'LB IPAM pool, predicted addresses, ingress test application',
  applies: (ctx, cluster) => ctx.files.has(POOL(cluster.name)) || ctx.files.has(INGRESS_APP(cluster.name)),
  inputs: (ctx, cluster) => ({ files: filesOf(ctx.files, [POOL(cluster.name), INGRESS_APP(cluster.name)]), predicted: predicted(ctx, cluster) }),
  async run(ctx, h) {
    const c = h.client;
    const changes: ObjectChange[] = [...(await applyObjects(c, manifestObjects(ctx.files, POOL(h.spec.name))))];
    const platformServices = predicted(ctx, h.spec).filter((l) => l.namespace === 'kube-system');
    if (platformServices.length) {
      await h.wait(['/api/v1/namespaces/kube-system/services'], () => allOf(platformServices.map((l) => () => serviceAddress(c, l.namespace, l.name, l.ip))));
    }
    const app = manifestObjects(ctx.files, INGRESS_APP(h.spec.name));
    if (app.length) {
      changes.push(...(await applyObjects(c, app)));
      const deployments = app.filter((o) => o.kind === 'Deployment');
      const ingresses = app.filter((o) => o.kind === 'Ingress');
      const ns = app.find((o) => o.metadata?.namespace)?.metadata?.namespace ?? 'default';
      await h.wait([`/apis/apps/v1/namespaces/${ns}/deployments`, `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`, `/api/v1/namespaces/${ns}/services`], () =>
        allOf([
          ...deployments.map((d) => () => deploymentReady(c, d.metadata!.namespace!, d.metadata!.name!)),
          ...predicted(ctx, h.spec).filter((l) => l.namespace === ns).map((l) => () => serviceAddress(c, l.namespace, l.name, l.ip)),
          ...ingresses.map((i) => () => ingressAddress(c, i.metadata!.namespace!, i.metadata!.name!)),
        ]),
      );
    }
    return { changes, notes: [] };
  },
  async preview(ctx, h) {
    return [...(await applyObjects(h.client, manifestObjects(ctx.files, POOL(h.spec.name)), { dryRun: true })), ...(await applyObjects(h.client, manifestObjects(ctx.files, INGRESS_APP(h.spec.name)), { dryRun: true }))];
  },
};

import type { CiliumSpec, MeshSpec } from '../spec/index.js';

/** The ingress test application meshwright deploys when a cluster has an ingressHost (the reference lab's names). */
export const INGRESS_APP = {
  namespace: 'test-ingress',
  ingress: 'app-ilba-ingress',
  deployment: 'app-ilba-deployment',
  service: 'app-ilba-service',
} as const;

export interface ServiceRef {
  namespace: string;
  name: string;
}

/**
 * The Services of type LoadBalancer a cluster gets from the platform itself, in the order
 * they are created (the order LB IPAM hands out free addresses).
 *
 * The chart creates Service cilium-ingress whenever the ingress controller is on, even in
 * dedicated mode; dedicated mode adds cilium-ingress-<ingress> beside each Ingress.
 */
export function impliedLoadBalancers(
  cilium: Pick<CiliumSpec, 'ingress'> | Partial<Pick<CiliumSpec, 'ingress'>>,
  mesh: Pick<MeshSpec, 'enabled' | 'apiserverService'>,
  cluster: { ingressHost?: string | undefined },
): ServiceRef[] {
  const out: ServiceRef[] = [];
  const ingress = cilium.ingress ?? { enabled: true, mode: 'shared' as const };
  if (ingress.enabled) {
    out.push({ namespace: 'kube-system', name: 'cilium-ingress' });
    if (ingress.mode === 'dedicated' && cluster.ingressHost) {
      out.push({ namespace: INGRESS_APP.namespace, name: `cilium-ingress-${INGRESS_APP.ingress}` });
    }
  }
  if (mesh.enabled && mesh.apiserverService === 'LoadBalancer') out.push({ namespace: 'kube-system', name: 'clustermesh-apiserver' });
  return out;
}

import { allocateLoadBalancerIPs, lbIpamRequest, pinnedLoadBalancerIPs, servedByLbIpam, serviceOf, type Findings, type LbRequest, type ModelObject } from '../model/index.js';
import type { ClusterSpec, Platform } from '../spec/index.js';
import { loadBalancerPoolName } from '../spec/index.js';
import type { LoadBalancerPrediction, PendingLoadBalancer, PoolStage } from './types.js';


/**
 * LB IPAM for one cluster in the order things are created: Cilium with its ingress, then the
 * clustermesh-apiserver, then the user's LoadBalancer Services. The pool is read after each stage,
 * as `kubectl get ippools` would show it then.
 */
export function planLoadBalancers(platform: Platform, cluster: ClusterSpec, objects: readonly ModelObject[], findings: Findings): { loadBalancers: LoadBalancerPrediction[]; pending: PendingLoadBalancer[]; pools: PoolStage[] } {
  const pins = pinnedLoadBalancerIPs(platform.spec.cilium, platform.spec.mesh, cluster);
  const platformRequests = pins.map((p): LbRequest => ({ ...p.service, requestedIPs: p.ip ? [p.ip] : [] }));
  const stages: { stage: string; requests: LbRequest[] }[] = [
    { stage: 'cilium installed', requests: platformRequests.filter((r) => r.name !== 'clustermesh-apiserver') },
    ...(platform.spec.mesh.enabled && platform.spec.mesh.apiserverService === 'LoadBalancer' ? [{ stage: 'clustermesh enabled', requests: platformRequests.filter((r) => r.name === 'clustermesh-apiserver') }] : []),
    { stage: 'manifests applied', requests: userRequests(platform, objects, findings) },
  ];
  const pool = loadBalancerPoolName(cluster);
  const pools: PoolStage[] = [];
  let all: LbRequest[] = [];
  let result = allocateLoadBalancerIPs(pool, cluster.loadBalancerIPs, all);
  for (const s of stages) {
    if (s.requests.length === 0 && s.stage === 'manifests applied') continue;
    all = [...all, ...s.requests];
    result = allocateLoadBalancerIPs(pool, cluster.loadBalancerIPs, all);
    pools.push({ cluster: cluster.name, stage: s.stage, pool: result.pool });
  }
  return {
    loadBalancers: result.allocations.map((a) => ({ cluster: cluster.name, namespace: a.namespace, name: a.name, ip: a.ip, ...(a.sharedWith ? { sharedWith: a.sharedWith } : {}) })),
    pending: result.allocations.filter((a) => a.ip === null).map((a) => ({ cluster: cluster.name, namespace: a.namespace, name: a.name, reason: a.reason, message: a.message })),
    pools,
  };
}

/** A Service's request is the same in every cluster that holds the object: read once. */
const requestOf = new WeakMap<ModelObject, LbRequest | null>();

function lbRequest(o: ModelObject, findings: Findings): LbRequest | null {
  const svc = serviceOf(o, findings);
  return svc && servedByLbIpam(svc) ? lbIpamRequest(svc) : null;
}

function userRequests(platform: Platform, objects: readonly ModelObject[], findings: Findings): LbRequest[] {
  const out: LbRequest[] = [];
  const dedicated = platform.spec.cilium.ingress.enabled && platform.spec.cilium.ingress.mode === 'dedicated';
  for (const o of objects) {
    const { object, origin } = o;
    if (object.kind === 'Service') {
      let req = requestOf.get(o);
      if (req === undefined) requestOf.set(o, (req = lbRequest(o, findings)));
      if (req) out.push(req);
    }
    // Dedicated mode: Cilium makes a LoadBalancer Service beside each Ingress of class cilium.
    // meshwright's own Ingress already has its pinned Service among the platform's.
    if (dedicated && origin !== 'platform' && object.kind === 'Ingress' && isCiliumIngress(object.spec, object.metadata.annotations)) {
      if (object.metadata.annotations?.['ingress.cilium.io/loadbalancer-mode'] === 'shared') continue;
      out.push({ namespace: object.metadata.namespace ?? 'default', name: `cilium-ingress-${object.metadata.name}`, requestedIPs: [] });
    }
  }
  return out;
}

function isCiliumIngress(spec: unknown, annotations: Record<string, string> = {}): boolean {
  return (spec as { ingressClassName?: string } | undefined)?.ingressClassName === 'cilium' || annotations['kubernetes.io/ingress.class'] === 'cilium';
}

import { allocateLoadBalancerIPs, lbIpamRequest, serviceOf, Findings, type LbRequest } from '../../model/index.js';
import type { KubeObject } from '../../manifests/index.js';
import type { Obj } from '../store/log-store.js';
import { condition, def, delayOf, getObj, listOf, mutate, selects, setCondition, type Controller, type SimContext } from './kit.js';

const KEY = 'lbipam';
const POOLS = 'cilium.io/ciliumloadbalancerippools';
/** Classes LB IPAM serves (operator/pkg/lbipam: no class, or the BGP and L2 announcers'). */
const CILIUM_CLASSES = new Set(['io.cilium/bgp-control-plane', 'io.cilium/l2-announcer']);

/** The operator runs: Deployment kube-system/cilium-operator has an available replica. */
export function operatorRunning(ctx: SimContext): boolean {
  const d = getObj(ctx.api, 'apps/deployments', 'kube-system', 'cilium-operator');
  return (d?.status?.availableReplicas ?? 0) > 0;
}

/**
 * Cilium operator's LB IPAM (operator/pkg/lbipam, 1.16) with the workload model's allocator, the
 * one `plan` predicts with (model/lb-ipam.ts allocateLoadBalancerIPs): once the operator runs,
 * every Service of type LoadBalancer in creation order gets an address from the first enabled
 * pool that selects it — a held address is kept — and status.loadBalancer.ingress, the
 * cilium.io/IPAMRequestSatisfied condition, and the pool's IPsTotal/IPsAvailable/IPsUsed
 * conditions (`kubectl get ippools`) are written.
 */
export function lbIpamController(ctx: SimContext): Controller {
  const { api } = ctx;
  const svcDef = def(api, '', 'v1', 'services');
  let due = 0;
  return {
    name: 'lbipam',
    watches: {
      'core/services': (ev) => (ev.value.spec?.type === 'LoadBalancer' || ev.prev?.spec?.type === 'LoadBalancer' ? [KEY] : []),
      [POOLS]: () => [KEY],
      'apps/deployments': (ev) => (ev.value.metadata.name === 'cilium-operator' ? [KEY] : []),
    },
    initial: () => [KEY],
    async reconcile() {
      if (!operatorRunning(ctx)) return;
      const poolDef = api.catalog.find('cilium.io', 'v2alpha1', 'ciliumloadbalancerippools');
      if (!poolDef) return;
      const wait = delayOf(ctx, 'lbipam');
      const now = ctx.clock.now();
      if (wait && !due) due = now + wait;
      if (wait && now < due) return { requeueAfterMs: due - now };
      due = 0;
      const services = api.store.list('core/services').sort((a, b) => a.createRev - b.createRev).map((e) => e.value).filter(servedByLbIpam);
      const pools = listOf(api, POOLS).filter((p) => !p.spec?.disabled);
      const taken = new Set<string>();
      const results = new Map<string, { ip: string | null; reason: string; message: string }>();
      for (const pool of pools) {
        const mine = services.filter((s) => !taken.has(keyOf(s)) && poolSelects(pool, s));
        const blocks = (pool.spec?.blocks ?? []).map((b: Obj) => (b.cidr ? b.cidr : b.stop ? `${b.start}-${b.stop}` : b.start)).filter(Boolean);
        const { allocations, pool: status } = allocateLoadBalancerIPs(pool.metadata.name, blocks, mine.map(requestOf));
        for (const a of allocations) {
          taken.add(`${a.namespace}/${a.name}`);
          results.set(`${a.namespace}/${a.name}`, a);
        }
        await mutate(api, poolDef, '', pool.metadata.name, (o) => {
          let c = o.status?.conditions;
          // metav1.Condition: message is required even when empty (the CRD schema's `required`), so it is always written
          const set = (type: string, st: string, reason: string, message: string) => (c = setCondition(c, { ...condition(type, st, reason, message, now, c), message, observedGeneration: o.metadata.generation }));
          set('cilium.io/PoolConflict', 'False', 'resolved', '');
          set('cilium.io/IPsTotal', 'Unknown', 'noreason', String(status.total));
          set('cilium.io/IPsAvailable', 'Unknown', 'noreason', String(status.available));
          set('cilium.io/IPsUsed', 'Unknown', 'noreason', String(status.used));
          o.status = { ...(o.status ?? {}), conditions: c };
        }, 'cilium-operator-lb-ipam');
      }
      for (const s of services) {
        const r = results.get(keyOf(s)) ?? { ip: null, reason: 'no_pool', message: 'There are no enabled CiliumLoadBalancerIPPools that match this service' };
        await mutate(api, svcDef, s.metadata.namespace, s.metadata.name, (o) => {
          const prev = o.status?.conditions;
          const ok = r.ip !== null;
          const c = { ...condition('cilium.io/IPAMRequestSatisfied', ok ? 'True' : 'False', r.reason, r.message, now, prev), observedGeneration: o.metadata.generation };
          o.status = { ...(o.status ?? {}), conditions: setCondition(prev, c), loadBalancer: ok ? { ingress: [{ ip: r.ip, ipMode: 'VIP' }] } : {} };
        }, 'cilium-operator-lb-ipam');
      }
    },
  };
}

const keyOf = (s: Obj): string => `${s.metadata.namespace}/${s.metadata.name}`;

function servedByLbIpam(s: Obj): boolean {
  return s.spec?.type === 'LoadBalancer' && !s.metadata.deletionTimestamp && (!s.spec.loadBalancerClass || CILIUM_CLASSES.has(s.spec.loadBalancerClass));
}

function poolSelects(pool: Obj, s: Obj): boolean {
  const sel = pool.spec?.serviceSelector;
  if (!sel || (!sel.matchLabels && !sel.matchExpressions)) return true;
  const labels = { ...(s.metadata.labels ?? {}), 'io.kubernetes.service.namespace': s.metadata.namespace, 'io.kubernetes.service.name': s.metadata.name };
  return selects(sel, labels);
}

/** The Service as LB IPAM reads it (as plan's load-balancers.ts does); an address it already holds is requested again, so it keeps it. */
function requestOf(s: Obj): LbRequest {
  const svc = serviceOf({ object: s as KubeObject }, new Findings())!;
  return lbIpamRequest(svc, s.status?.loadBalancer?.ingress?.[0]?.ip as string | undefined);
}

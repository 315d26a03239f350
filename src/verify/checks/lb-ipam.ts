import { getJson } from '../../ops/index.js';
import type { Check, CheckResult } from '../types.js';

const condition = (pool: any, type: string) => (pool?.status?.conditions ?? []).find((c: any) => c.type === type);

/**
 * The LB IPAM pool as `kubectl get ippools` shows it (DISABLED, CONFLICTING = PoolConflict's
 * status, IPS AVAILABLE = IPsAvailable's message; lbipam_types.go printcolumns), against the
 * plan's pool after the last stage, and every LoadBalancer Service on the address plan predicted.
 */
export const lbIpam: Check = {
  id: 'lb-ipam',
  title: 'LB IPAM pool and the predicted VIPs',
  async run(ctx) {
    const out: CheckResult[] = [];
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        const stages = ctx.plan.pools.filter((p) => p.cluster === spec.name);
        const predicted = stages[stages.length - 1]?.pool;
        if (predicted) {
          const pool = await getJson(client, `/apis/cilium.io/v2alpha1/ciliumloadbalancerippools/${predicted.name}`);
          const disabled = Boolean(pool?.spec?.disabled);
          const conflicting = condition(pool, 'cilium.io/PoolConflict')?.status === 'True';
          const available = condition(pool, 'cilium.io/IPsAvailable')?.message;
          const ok = pool && disabled === predicted.disabled && !conflicting && Number(available) === predicted.available;
          out.push({
            check: this.id,
            cluster: spec.name,
            subject: `pool ${predicted.name}`,
            status: ok ? 'pass' : 'fail',
            expected: `disabled ${predicted.disabled}, conflicting False, ${predicted.available} of ${predicted.total} IPs available`,
            observed: pool ? `disabled ${disabled}, conflicting ${conflicting ? `True (${condition(pool, 'cilium.io/PoolConflict')?.message ?? ''})` : 'False'}, ${available ?? '?'} IPs available` : 'no such pool',
            ...(ok ? {} : { hint: pool ? `kubectl --context ${client.context} get ippools ${predicted.name} -o yaml; compare with meshwright plan (a Service plan does not know holds an address, or the pool changed)` : 'meshwright apply creates it (manifests/01-lb-ipam.yaml)' }),
          });
        }
        for (const lb of ctx.plan.loadBalancers.filter((l) => l.cluster === spec.name)) {
          const svc = await getJson(client, `/api/v1/namespaces/${lb.namespace}/services/${lb.name}`);
          const ips = ((svc?.status?.loadBalancer?.ingress ?? []) as any[]).map((i) => String(i.ip ?? i.hostname));
          const want = lb.ip ?? '<pending>';
          const ok = svc && (lb.ip ? ips.length === 1 && ips[0] === lb.ip : ips.length === 0);
          out.push({
            check: this.id,
            cluster: spec.name,
            subject: `service ${lb.namespace}/${lb.name}`,
            status: ok ? 'pass' : 'fail',
            expected: want,
            observed: !svc ? 'no such Service' : ips.join(', ') || '<pending>',
            ...(ok ? {} : { hint: svc ? `kubectl --context ${client.context} -n ${lb.namespace} get svc ${lb.name} -o yaml (condition cilium.io/IPAMRequestSatisfied says why)` : 'meshwright apply creates it' }),
          });
        }
      }),
    );
    return out;
  },
};

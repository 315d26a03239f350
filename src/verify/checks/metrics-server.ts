import { getJson } from '../../ops/index.js';
import type { Check, CheckResult } from '../types.js';

const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';

/**
 * metrics-server serving: every node listed by metrics.k8s.io (`kubectl top nodes`), and no
 * kubelet serving-certificate request left pending (metrics-server cannot scrape a kubelet whose
 * serving certificate was never approved). An API that is not served is said so, never guessed.
 */
export const metricsServer: Check = {
  id: 'metrics-server',
  title: 'metrics-server serving',
  async run(ctx) {
    const out: CheckResult[] = [];
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        const base = { check: this.id, cluster: spec.name };
        const metrics = await getJson(client, '/apis/metrics.k8s.io/v1beta1/nodes');
        const want = spec.nodes.map((n) => n.name);
        if (!metrics) {
          out.push({
            ...base,
            subject: 'metrics.k8s.io nodes',
            // the lab serves metrics.k8s.io only while a metrics-server Deployment is available, as the aggregator does
            status: 'fail',
            expected: `every node (${want.join(', ')})`,
            observed: 'not served: the API service v1beta1.metrics.k8s.io is not available',
            hint: `kubectl --context ${client.context} get apiservice v1beta1.metrics.k8s.io; kubectl --context ${client.context} -n kube-system logs deploy/metrics-server`,
          });
        } else {
          const seen = new Set(((metrics.items ?? []) as any[]).map((m) => String(m.metadata?.name)));
          const missing = want.filter((n) => !seen.has(n));
          out.push({
            ...base,
            subject: 'metrics.k8s.io nodes',
            status: missing.length ? 'fail' : 'pass',
            expected: `every node (${want.join(', ')})`,
            observed: missing.length ? `no metrics for ${missing.join(', ')}` : `all ${want.length} nodes`,
            ...(missing.length ? { hint: `kubectl --context ${client.context} -n kube-system logs deploy/metrics-server (a kubelet without an approved serving certificate cannot be scraped)` } : {}),
          });
        }
        const csrs = await getJson(client, '/apis/certificates.k8s.io/v1/certificatesigningrequests');
        if (!csrs) {
          out.push({ ...base, subject: 'kubelet serving CSRs', status: ctx.target === 'lab' ? 'skip' : 'fail', expected: 'none pending', observed: ctx.target === 'lab' ? 'not served: the lab does not simulate certificates.k8s.io' : 'certificates.k8s.io not served', ...(ctx.target === 'lab' ? {} : { hint: 'the API server should serve certificates.k8s.io/v1' }) });
        } else {
          const pending = ((csrs.items ?? []) as any[]).filter((r) => r.spec?.signerName === KUBELET_SERVING && !(r.status?.conditions ?? []).some((c: any) => c.type === 'Approved' || c.type === 'Denied'));
          out.push({
            ...base,
            subject: 'kubelet serving CSRs',
            status: pending.length ? 'fail' : 'pass',
            expected: 'none pending',
            observed: pending.length ? `${pending.length} pending: ${pending.map((r) => r.metadata?.name).join(', ')}` : 'none pending',
            ...(pending.length ? { hint: `kubelet-csr-approver approves them (kubectl --context ${client.context} -n kube-system logs deploy/kubelet-csr-approver); by hand: kubectl certificate approve NAME` } : {}),
          });
        }
      }),
    );
    return out;
  },
};

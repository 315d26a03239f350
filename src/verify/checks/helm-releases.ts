import { chartSource, readRelease, type ChartName } from '../../ops/index.js';
import type { Check, CheckResult } from '../types.js';

/**
 * The releases apply installs, deployed at the chart versions meshwright pins (`helm ls -A`):
 * cilium at the spec's version, metrics-server, and kubelet-csr-approver where meshwright built
 * the cluster with Kubespray (render/kubelet-csr-approver.ts renders it only then). Read from
 * helm 3's release Secrets, the same on the lab and real clusters.
 */
export const helmReleases: Check = {
  id: 'helm-releases',
  title: 'Helm releases deployed at the spec’s chart versions',
  async run(ctx) {
    const charts: ChartName[] = ['cilium', ...(ctx.platform.spec.kubernetes.provisioner === 'kubespray' ? (['kubelet-csr-approver'] as const) : []), 'metrics-server'];
    const out: CheckResult[] = [];
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        for (const chart of charts) {
          const want = chartSource(chart, ctx.platform.spec.cilium.version, {}).version!;
          const r = await readRelease(client, 'kube-system', chart);
          const ok = r?.status === 'deployed' && r.chartVersion === want;
          out.push({
            check: this.id,
            cluster: spec.name,
            subject: `release kube-system/${chart}`,
            status: ok ? 'pass' : 'fail',
            expected: `deployed, chart ${chart}-${want}`,
            observed: r ? `${r.status}, chart ${chart}-${r.chartVersion}, revision ${r.version}` : 'not installed',
            ...(ok ? {} : { hint: r ? `helm --kube-context ${client.context} -n kube-system history ${chart}; meshwright apply installs ${chart}-${want}` : `meshwright apply installs it (helm upgrade --install ${chart} … --version ${want})` }),
          });
        }
      }),
    );
    return out;
  },
};

import { listItems, readyCondition } from '../kube.js';
import type { Check, CheckResult } from '../types.js';

/** Every node the platform names is registered and Ready (`kubectl get nodes`, the notebook's first look). */
export const nodesReady: Check = {
  id: 'nodes-ready',
  title: 'nodes Ready',
  async run(ctx) {
    const out: CheckResult[] = [];
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        const nodes = await listItems(client, '/api/v1/nodes');
        for (const n of spec.nodes) {
          const node = nodes.find((x) => x.metadata?.name === n.name);
          const ready = node ? readyCondition(node) : undefined;
          const ok = ready?.status === 'True';
          out.push({
            check: this.id,
            cluster: spec.name,
            subject: `node ${n.name}`,
            status: ok ? 'pass' : 'fail',
            expected: 'Ready',
            observed: !node ? 'not registered' : ok ? 'Ready' : `NotReady${ready!.message ? `: ${ready!.message}` : ''}`,
            ...(ok ? {} : { hint: node ? `kubectl --context ${client.context} describe node ${n.name} (a node stays NotReady until a Cilium agent runs on it)` : `the kubelet of ${n.name} (${n.address}) never registered: check it joined the cluster (Kubespray cluster.yml, journalctl -u kubelet)` }),
          });
        }
      }),
    );
    return out;
  },
};

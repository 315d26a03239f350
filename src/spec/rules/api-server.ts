import { clusterLabel, type Rule } from '../rule.js';

/**
 * Kubespray clusters reach the API server through its localhost load balancer on every node
 * (or the declared apiServerLoadBalancer). An existing cluster with several control planes and
 * no declared load balancer can only be given one of them as Cilium's k8sServiceHost: when that
 * control plane is down, agents without kube-proxy lose the API server.
 */
export const apiServerEndpoint: Rule = ({ view, report }) => {
  if (view.provisioner !== 'existing') return;
  for (const c of view.clusters) {
    const planes = c.nodes.filter((n) => n.role === 'control-plane');
    if (planes.length < 2 || c.apiServerLoadBalancer !== undefined) continue;
    report({
      path: [...c.path, 'nodes'],
      code: 'API_SERVER_SINGLE_CONTROL_PLANE',
      severity: 'warning',
      message: `cluster ${clusterLabel(c)} has ${planes.length} control planes but no apiServerLoadBalancer: Cilium will reach the API server through ${planes[0]!.name ?? 'the first'} only`,
      hint: 'declare the load balancer in front of them as apiServerLoadBalancer: {address, port}',
    });
  }
};

/**
 * Real-looking platform files of any size: `clusters` clusters (at most 255) of `nodes` nodes
 * (at most 256), one control plane each, distinct pod CIDRs, node addresses and VIPs.
 */
export function generatePlatform(clusters: number, nodes: number): string {
  if (clusters > 255 || nodes > 256) throw new Error('the generator addresses at most 255 clusters of 256 nodes');
  const out: string[] = [
    'apiVersion: meshwright/v1alpha1',
    'kind: Platform',
    'metadata:',
    `  name: bench-${clusters}x${nodes}`,
    'spec:',
    '  kubernetes: {version: v1.30.4, provisioner: kubespray}',
    '  cilium:',
    '    version: 1.16.5',
    '    ingress: {enabled: true, mode: shared}',
    '  mesh: {enabled: true, apiserverService: LoadBalancer, kvstoremesh: true}',
    '  clusters:',
  ];
  for (let c = 1; c <= clusters; c++) {
    const net = `172.${16 + (c >> 4)}.${(c & 15) * 16}`;
    out.push(`    - name: site-${String(c).padStart(3, '0')}`, `      id: ${c}`, `      podCIDR: 10.${c}.0.0/16`, '      podCIDRMaskSize: 24', '      serviceCIDR: 100.64.0.0/16', '      nodes:');
    for (let n = 0; n < nodes; n++) {
      const addr = `${net.split('.').slice(0, 2).join('.')}.${(c & 15) * 16 + (n >> 8)}.${n & 255}`;
      out.push(`        - name: site-${String(c).padStart(3, '0')}-${n === 0 ? 'cp' : `wk${String(n).padStart(3, '0')}`}`, `          address: ${addr}`, `          role: ${n === 0 ? 'control-plane' : 'worker'}`);
    }
    out.push(`      loadBalancerIPs: [192.168.${c}.10, 192.168.${c}.11]`, `      ingressHost: shop-${c}.example.com`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * `services` global Services (with a 2-replica Deployment each) spread over 10 namespaces, as one
 * manifest applied to every cluster; affinities and shared flags vary so every rule is exercised.
 */
export function generateGlobalServices(services: number): string {
  const docs: string[] = [];
  for (let i = 0; i < services; i++) {
    const ns = `team-${i % 10}`;
    const name = `svc-${String(i).padStart(4, '0')}`;
    const affinity = ['none', 'local', 'remote'][i % 3];
    const shared = i % 7 === 0 ? 'false' : 'true';
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}, tier: backend}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/${ns}/${name}:1.0.0\n`,
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  annotations:\n    service.cilium.io/global: "true"\n    service.cilium.io/shared: "${shared}"\n    service.cilium.io/affinity: ${affinity}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: 8080}]\n`,
    );
  }
  return docs.join('---\n');
}

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

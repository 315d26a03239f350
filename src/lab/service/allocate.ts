import { createHash } from 'node:crypto';
import { forbidden } from '../api/status.js';

/**
 * The apiserver's own allocators, run when a Service is created: a ClusterIP from the cluster's
 * service CIDR (the first address is the `kubernetes` Service's, as Kubespray's 10.233.0.1) and
 * node ports from 30000-32767. Picks are a hash of namespace/name, then the next free, so the
 * same object gets the same address in every run.
 */
export function allocateService(spec: any, key: string, serviceCIDR: string, taken: { ips: Set<string>; nodePorts: Set<number> }, isKubernetes: boolean): void {
  if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
    if (!spec.clusterIP) spec.clusterIP = isKubernetes ? nthAddress(serviceCIDR, 1) : pickAddress(serviceCIDR, key, taken.ips);
    spec.clusterIPs ??= [spec.clusterIP];
  } else if (spec.clusterIP === 'None') spec.clusterIPs ??= ['None'];
  const needsNodePorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (needsNodePorts) {
    for (const p of spec.ports ?? []) {
      if (!p.nodePort) {
        p.nodePort = pickPort(`${key}/${p.port}/${p.protocol}`, taken.nodePorts);
        taken.nodePorts.add(p.nodePort);
      }
    }
  }
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function nthAddress(cidr: string, n: number): string {
  const [base] = cidr.split('/');
  return toIp(toInt(base!) + n);
}

function pickAddress(cidr: string, key: string, taken: Set<string>): string {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = toInt(base) & ~(size - 1);
  const h = createHash('sha256').update(key).digest().readUInt32BE(0);
  // skip the network address, the kubernetes Service's .1 and the broadcast address
  for (let i = 0; i < size; i++) {
    const offset = 2 + ((h + i) % (size - 3));
    const ip = toIp(start + offset);
    if (!taken.has(ip)) return ip;
  }
  throw forbidden({ group: '', resource: 'services' }, key, `failed to allocate a serviceIP: range is full`);
}

function pickPort(key: string, taken: Set<number>): number {
  const h = createHash('sha256').update(key).digest().readUInt32BE(0);
  for (let i = 0; i < 2768; i++) {
    const port = 30000 + ((h + i) % 2768);
    if (!taken.has(port)) return port;
  }
  throw forbidden({ group: '', resource: 'services' }, key, 'provided port range is full');
}

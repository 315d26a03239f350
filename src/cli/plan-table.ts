import { paint } from '../diag/index.js';
import type { Plan } from '../plan/index.js';
import { table } from './table.js';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** The plan as a person reads it: one section per question, kubectl-style tables. */
export function planTable(plan: Plan, color: boolean): string {
  const p = paint(color);
  const h = (s: string) => p.bold(s);
  const out: string[] = [];
  if (plan.whatIf.length) out.push(p.yellow(`what-if: ${plan.whatIf.join('; ')}`), '');
  out.push(h('CLUSTERS'), table(['cluster', 'id', 'api server', 'nodes', 'pod cidr', 'node slices', 'pod ips/node', 'identities'], plan.clusters.map((c) => [c.name, c.id, c.apiServer, c.nodes.length, c.ipam.podCIDR, `${c.ipam.nodes.length}/${c.ipam.slices} (/${c.ipam.maskSize})`, c.ipam.nodes[0]?.podIPs ?? 0, `${c.identities.first}-${c.identities.last}`])));
  out.push('', h('NODES (cluster-pool IPAM, in node order)'), table(['cluster', 'node', 'role', 'pod cidr', 'pod ips'], plan.clusters.flatMap((c) => c.ipam.nodes.map((n) => [c.name, n.node, n.role, n.podCIDR, n.podIPs]))));
  out.push('', h('LOAD BALANCERS (LB IPAM)'), table(['cluster', 'namespace', 'name', 'ip'], plan.loadBalancers.map((l) => [l.cluster, l.namespace, l.name, l.ip ? `${l.ip}${l.sharedWith ? ` (shared with ${l.sharedWith.join(', ')})` : ''}` : p.red('<pending>')])));
  for (const x of plan.pending) out.push(p.red(`  ${x.cluster} ${x.namespace}/${x.name} stays <pending>: ${x.reason}: ${x.message}`));
  out.push('', h('IP POOLS (kubectl get ippools, after each stage)'), table(['cluster', 'stage', 'name', 'disabled', 'conflicting', 'ips available'], plan.pools.map((s) => [s.cluster, s.stage, s.pool.name, String(s.pool.disabled), s.pool.conflicting ? 'True' : 'False', s.pool.available])));
  if (plan.clustermesh.enabled) {
    out.push('', h('CLUSTER MESH'), table(['cluster', 'clustermesh-apiserver', 'dialled by', 'connects to'], plan.clustermesh.clusters.map((m) => [m.down ? `${m.cluster} ${p.red('(down)')}` : m.cluster, m.endpoint.addresses.map((a) => `${a}:${m.endpoint.port}`).join(', ') || p.red('<pending>'), m.kvstoremeshReplicas ? 'KVStoreMesh' : 'agents', m.connections.map((c) => `${c.peer}@${c.address ?? '<pending>'}:${c.port}${c.connected ? '' : p.red(' (down)')}`).join(', ') || '-'])));
    for (const m of plan.clustermesh.clusters) {
      if (m.down) out.push('', p.dim(`${m.cluster} is down (what-if): no \`cilium clustermesh status\` there`));
      else out.push('', p.dim(`expected \`cilium clustermesh status --context ${m.cluster}\`:`), ...m.expectedStatus.map((l) => `  ${l}`));
    }
  }
  if (plan.globalServices.length) {
    out.push('', h('SERVICES (where requests land, per client cluster)'), table(['service', 'client', 'global', 'affinity', 'ready backends', 'share of requests'], plan.globalServices.map((g) => [`${g.namespace}/${g.name}${g.headless ? ' (headless)' : ''}${g.dependsOn ? p.yellow(' *') : ''}`, g.client, g.global ? (g.shared ? 'yes' : 'yes, not shared') : 'no', g.affinity, Object.entries(g.backends).map(([c, n]) => `${c}=${n}`).join(' '), Object.keys(g.share).length ? Object.entries(g.share).map(([c, s]) => `${c} ${pct(s)}`).join(', ') : p.red('none answers')])));
    for (const g of plan.globalServices.filter((x) => x.note)) out.push(p.dim(`  ${g.namespace}/${g.name} from ${g.client}: ${g.note}`));
    for (const g of plan.globalServices.filter((x) => x.dependsOn)) out.push(p.yellow(`  * ${g.namespace}/${g.name} from ${g.client} holds only once the manifests are fixed as meant (the API server refuses them as written): ${g.dependsOn!.join('; ')}`));
  }
  if (plan.serviceAggregates?.length) {
    out.push('', h('SERVICES (aggregate: local / remote share per client cluster)'), table(['service', 'exporting clusters', 'client', 'affinity', 'local', 'remote'], plan.serviceAggregates.flatMap((a) => a.clients.map((c) => [`${a.namespace}/${a.name}`, Object.keys(a.exported).length, c.client, c.affinity, `${c.localReady} ready, ${pct(c.localShare)}`, `${c.remoteReady} ready, ${pct(c.remoteShare)}`]))));
  }
  out.push('', h(`NETWORK (routing: ${plan.network.routingMode})`));
  if (plan.network.requirements.length) out.push(table(['from', 'to', 'port', 'protocol', 'purpose'], plan.network.requirements.map((r) => [r.from, r.to, r.port, r.protocol, r.purpose])));
  else out.push('  no traffic between clusters');
  for (const c of plan.network.caveats) out.push(p.yellow(`  caveat: ${c}`));
  for (const n of plan.notModelled) out.push(p.yellow(`not modelled: ${n.file}${n.line ? `:${n.line}` : ''} ${n.kind}/${n.name}: ${n.reason}`));
  return out.join('\n');
}

import { paint } from '../diag/index.js';
import type { ClusterStatus, LinkStatus, MinAvgMaxValue, StatusDocument } from '../status/index.js';
import { table } from './table.js';

const mam = (v: MinAvgMaxValue) => `[min:${v.min} / avg:${v.avg.toFixed(1)} / max:${v.max}]`;

/**
 * `meshwright status` as a person reads it: the clusters' components, the mesh in cilium-cli
 * `clustermesh status`' words per cluster (v0.16.15 clustermesh.go: "All %d nodes are connected
 * to all clusters [min:%d / avg:%.1f / max:%d]", "- %s: %d/%d configured, %d/%d connected -
 * KVStoreMesh: …", "Global services: [ min:… ]"), who is connected to whom, why a link is down,
 * certificates, problems.
 */
export function statusTable(doc: StatusDocument, color: boolean): string {
  const p = paint(color);
  const n = doc.clusters.length;
  const out: string[] = [`${p.bold('meshwright status')}: platform ${doc.platform}, ${n} cluster${n === 1 ? '' : 's'}${doc.simulated ? ' — SIMULATED (the lab)' : ''}`, ''];
  out.push(components(doc.clusters), '');
  out.push(releases(doc.clusters), '');
  if (doc.links.length) {
    out.push(p.bold('CLUSTER MESH'));
    for (const c of doc.clusters.filter((x) => x.reachable)) out.push(...meshLines(c));
    out.push('', matrix(doc), '');
    const down = doc.links.filter((l) => l.state !== 'connected');
    if (down.length) out.push(p.bold('LINKS NOT CONNECTED'), ...down.flatMap(downLines), '');
  }
  out.push(certificates(doc), '');
  const problems = doc.clusters.flatMap((c) => c.problems.map((x) => `${c.name}: ${x}`));
  if (problems.length) out.push(p.bold('PROBLEMS'), ...problems.map((x) => `  ${x}`), '');
  out.push(verdict(doc));
  return `${out.join('\n')}\n`;
}

const ratio = (c: ClusterStatus, name: string) => {
  const x = c.components.find((y) => y.name === name);
  if (!x || !x.present) return name === 'kvstoremesh' ? 'disabled' : '-';
  return `${x.ready}/${x.desired}`;
};

function components(clusters: ClusterStatus[]): string {
  const rows = clusters.map((c) => (c.reachable ? [c.name, `${c.nodes.ready}/${c.nodes.total}`, ratio(c, 'cilium'), ratio(c, 'cilium-envoy'), ratio(c, 'cilium-operator'), ratio(c, 'clustermesh-apiserver'), ratio(c, 'kvstoremesh')] : [c.name, 'unreachable', '', '', '', '', '']));
  return table(['cluster', 'nodes ready', 'cilium', 'envoy', 'operator', 'clustermesh-apiserver', 'kvstoremesh'], rows);
}

function releases(clusters: ClusterStatus[]): string {
  const rows = clusters.flatMap((c) => c.releases.map((r) => [c.name, r.name, r.namespace, String(r.revision), r.status, r.chartVersion + (r.expectedChartVersion && r.expectedChartVersion !== r.chartVersion ? ` (platform: ${r.expectedChartVersion})` : '')]));
  return rows.length ? table(['cluster', 'release', 'namespace', 'revision', 'status', 'chart version'], rows) : 'no Helm releases';
}

function meshLines(c: ClusterStatus): string[] {
  const m = c.mesh;
  const a = m.agents;
  const lines = [`${c.name}:`];
  lines.push(a.connectedToAll === a.total && a.total > 0 ? `  all ${a.total} nodes are connected to all clusters ${mam(a.connected)}` : `  ${a.total - a.connectedToAll}/${a.total} nodes are not connected to all clusters ${mam(a.connected)}`);
  const k = m.kvstoremeshReplicas;
  if (k) lines.push(k.connectedToAll === k.total && k.total > 0 ? `  all ${k.total} KVStoreMesh replicas are connected to all clusters ${mam(k.connected)}` : `  ${k.total - k.connectedToAll}/${k.total} KVStoreMesh replicas are not connected to all clusters ${mam(k.connected)}`);
  for (const peer of m.peers) {
    const kv = peer.kvstoremesh ? ` - KVStoreMesh: ${peer.kvstoremesh.configured}/${peer.kvstoremesh.total} configured, ${peer.kvstoremesh.connected}/${peer.kvstoremesh.total} connected` : '';
    lines.push(`  - ${peer.cluster}: ${peer.agents.configured}/${peer.agents.total} configured, ${peer.agents.connected}/${peer.agents.total} connected${kv}`);
  }
  lines.push(`  global services: [ min:${m.globalServices.min} / avg:${m.globalServices.avg.toFixed(1)} / max:${m.globalServices.max} ]`);
  return lines;
}

/** Rows: the cluster whose agents connect; columns: the cluster they connect to. */
function matrix(doc: StatusDocument): string {
  const names = doc.clusters.map((c) => c.name);
  const cell = (from: string, to: string) => {
    if (from === to) return '-';
    const l = doc.links.find((x) => x.from === from && x.to === to);
    return !l ? '-' : l.state === 'connected' ? 'connected' : l.state === 'down' ? 'DOWN' : 'unknown';
  };
  return table(['from \\ to', ...names], names.map((f) => [f, ...names.map((t) => cell(f, t))]), false);
}

function downLines(l: LinkStatus): string[] {
  const lines = [`  ${l.from} → ${l.to}: ${l.reason ?? l.state}`];
  if (l.detail) lines.push(`      ${l.reportedBy ? `${l.reportedBy}: ` : ''}${l.detail}`);
  if (l.reportedBy?.endsWith('/cilium-agent') && l.state === 'down') lines.push(`      hint: kubectl --context ${l.from} exec -n kube-system ${l.reportedBy.split('/')[0]} -c cilium-agent -- cilium-dbg troubleshoot clustermesh ${l.to}`);
  return lines;
}

function certificates(doc: StatusDocument): string {
  const head = doc.meshCa ? `mesh CA (state folder): ${doc.meshCa.subject}, expires ${doc.meshCa.notAfter} (${doc.meshCa.daysLeft} days)` : 'mesh CA: no ca.crt in the state folder; CAs compared with nothing';
  const rows = doc.clusters.flatMap((c) =>
    c.certificates.filter((x) => x.key === 'tls.crt').map((x) => {
      const ca = c.certificates.find((y) => y.secret === x.secret && y.key === 'ca.crt');
      return [c.name, x.secret, x.subject, x.notAfter.slice(0, 10), String(x.daysLeft), !x.trusted ? 'NOT issued by its ca.crt' : ca && !ca.trusted ? `another CA (${ca.subject})` : 'mesh CA'];
    }),
  );
  return [head, rows.length ? table(['cluster', 'secret', 'subject', 'expires', 'days left', 'issued by'], rows) : 'no clustermesh certificates found'].join('\n');
}

function verdict(doc: StatusDocument): string {
  if (doc.unreachable.length) return `status: ${doc.unreachable.join(', ')} unreachable`;
  if (doc.ok) return 'status: every cluster is ready and every link is connected';
  const down = doc.links.filter((l) => l.state !== 'connected').length;
  const problems = doc.clusters.reduce((s, c) => s + c.problems.length, 0);
  return `status: not ready — ${down} link${down === 1 ? '' : 's'} not connected, ${problems} problem${problems === 1 ? '' : 's'}`;
}

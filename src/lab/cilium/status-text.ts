import { tabwrite } from './tabwriter.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type SR = Record<string, any>;

/**
 * `cilium-dbg status [--verbose]` as text: a port of FormatStatusResponse and
 * FormatStatusResponseRemoteClusters (cilium pkg/client/client.go, v1.16.0 as vendored by
 * cilium-cli v0.16.15), written through Go's tabwriter with cilium-dbg's settings (2, 0, 3, ' ').
 * Only the parts the lab's status fills are ported; the rest of the function prints nothing
 * for absent fields in upstream too.
 */
export function formatStatus(sr: SR, verbose: boolean, health: { reachable: number; total: number; at: string }): string {
  let w = '';
  const p = (s: string) => (w += s);
  if (sr.kvstore) p(`KVStore:\t${sr.kvstore.state}\t${sr.kvstore.msg ?? ''}\n`);
  let kubeProxyDevices = '';
  if (sr.kubernetes) {
    p(`Kubernetes:\t${sr.kubernetes.state}\t${sr.kubernetes.msg ?? ''}\n`);
    if (sr.kubernetes.state !== 'Disabled') p(`Kubernetes APIs:\t["${[...sr.kubernetes['k8s-api-versions']].sort().join('", "')}"]\n`);
  }
  const kpr = sr['kube-proxy-replacement'];
  if (kpr) {
    let devices = '';
    if (kpr.mode !== 'False') {
      kpr.deviceList.forEach((d: SR, i: number) => {
        kubeProxyDevices += `${d.name} ${d.ip.join(' ')}`;
        if (d.name === kpr.directRoutingDevice) kubeProxyDevices += ' (Direct Routing)';
        if (i + 1 !== kpr.devices.length) kubeProxyDevices += ', ';
      });
      if (kpr.deviceList.length) devices = `[${kubeProxyDevices}]`;
    }
    p(`KubeProxyReplacement:\t${kpr.mode}\t${devices}\n`);
  }
  if (sr['host-firewall']) p(`Host firewall:\t${sr['host-firewall'].mode}${sr['host-firewall'].mode !== 'Disabled' ? `\t[${sr['host-firewall'].devices.join(', ')}]` : ''}\n`);
  if (sr['cni-chaining']) p(`CNI Chaining:\t${sr['cni-chaining'].mode}\n`);
  if (sr['cni-file']) p(`CNI Config file:\t${sr['cni-file'].msg}\n`);
  if (sr.cilium) p(`Cilium:\t${sr.cilium.state}   ${sr.cilium.msg ?? ''}\n`);
  const nm = sr.nodeMonitor;
  if (nm) {
    p(`NodeMonitor:\tListening for events on ${nm.cpus ?? 0} CPUs with ${nm.npages ?? 0}x${nm.pagesize ?? 0} of shared memory\n`);
    if (nm.lost || nm.unknown) p(`\t${nm.lost ?? 0} events lost, ${nm.unknown ?? 0} unknown notifications\n`);
  } else p('NodeMonitor:\tDisabled\n');
  if (sr.cluster?.ciliumHealth) p(`Cilium health daemon:\t${sr.cluster.ciliumHealth.state}\t${sr.cluster.ciliumHealth.msg ?? ''}\n`);
  if (sr.ipam) {
    p(`IPAM:\t${sr.ipam.status}\n`);
    if (verbose) {
      p('Allocated addresses:\n');
      for (const line of Object.entries<string>(sr.ipam.allocations ?? {}).map(([ip, owner]) => `  ${ip} (${owner})`).sort()) p(`${line}\n`);
    }
  }
  const mesh = sr['cluster-mesh'];
  if (mesh) {
    const ready = mesh.clusters.filter((c: SR) => c.ready).length;
    p(`ClusterMesh:\t${ready}/${mesh.clusters.length} remote clusters ready, ${mesh['num-global-services'] ?? 0} global-services\n`);
    p(formatRemoteClusters(mesh.clusters, verbose ? 'verbose' : 'not-ready-only', health.at));
  }
  if (sr['bandwidth-manager']) p(`BandwidthManager:\t${sr['bandwidth-manager'].enabled ? `EDT with BPF [${String(sr['bandwidth-manager'].congestionControl).toUpperCase()}] [${sr['bandwidth-manager'].devices.join(', ')}]` : 'Disabled'}\n`);
  const r = sr.routing;
  if (r) p(`Routing:\tNetwork: ${r['inter-host-routing-mode']}${r['inter-host-routing-mode'] === 'Tunnel' ? ` [${r['tunnel-protocol']}]` : ''}\tHost: ${r['intra-host-routing-mode']}\n`);
  if (sr['attach-mode']) p(`Attach Mode:\t${sr['attach-mode'] === 'tcx' ? 'TCX' : 'Legacy TC'}\n`);
  if (sr['datapath-mode']) p(`Device Mode:\t${sr['datapath-mode']}\n`);
  const m = sr.masquerading;
  if (m) {
    const en = (b: boolean) => (b ? 'Enabled' : 'Disabled');
    let status: string;
    if (!m.enabledProtocols) status = en(m.enabled);
    else if (!m.enabledProtocols.ipv4 && !m.enabledProtocols.ipv6) status = en(false);
    else {
      status = m.mode === 'BPF' ? (m['ip-masq-agent'] ? 'BPF (ip-masq-agent)' : 'BPF') : 'IPTables';
      if (m.mode === 'BPF' && kpr) status += `\t[${kpr.deviceList.map((d: SR) => d.name).join(', ')}]\t${m['snat-exclusion-cidr-v4'] ?? ''}`;
      status = `${status} [IPv4: ${en(m.enabledProtocols.ipv4)}, IPv6: ${en(m.enabledProtocols.ipv6)}]`;
    }
    p(`Masquerading:\t${status}\n`);
  }
  if (verbose && sr['clock-source']) p(`Clock Source for BPF:\t${sr['clock-source'].mode === 'jiffies' ? `jiffies\t[${sr['clock-source'].hertz} Hz]` : sr['clock-source'].mode}\n`);
  if (sr.proxy) p(`Proxy Status:\tOK, ip ${sr.proxy.ip}, ${sr.proxy['total-redirects'] ?? 0} redirects active on ports ${sr.proxy['port-range']}, Envoy: ${sr.proxy['envoy-deployment-mode']}\n`);
  else p('Proxy Status:\tNo managed proxy redirect\n');
  if (sr['identity-range']) p(`Global Identity Range:\tmin ${sr['identity-range']['min-identity']}, max ${sr['identity-range']['max-identity']}\n`);
  else p('Global Identity Range:\tUnknown\n');
  if (sr.hubble) {
    const fields = [sr.hubble.msg ? `${sr.hubble.state} ${sr.hubble.msg}` : sr.hubble.state];
    const o = sr.hubble.observer;
    if (o) fields.push(o['max-flows'] > 0 ? `Current/Max Flows: ${o['current-flows'] ?? 0}/${o['max-flows']} (${(((o['current-flows'] ?? 0) / o['max-flows']) * 100).toFixed(2)}%)` : '');
    if (sr.hubble.metrics) fields.push(`Metrics: ${sr.hubble.metrics.state}`);
    p(`Hubble:\t${fields.join('\t')}\n`);
  }
  if (verbose && sr.kubernetes && kpr) p(kprDetails(kpr, kubeProxyDevices));
  const e = sr.encryption;
  if (e) p(`Encryption:\t${e.mode}\t${e.msg ?? ''}\n`);
  // healthPkg.GetAndFormatHealthStatus (cilium-health's summary line; format (unverified) from 1.16 output)
  p(`Cluster health:\t${health.reachable}/${health.total} reachable\t(${health.at})\n`);
  return tabwrite(w, 2, 3);
}

function kprDetails(kpr: SR, devices: string): string {
  const f = kpr.features ?? {};
  const np = f.nodePort ?? {};
  const en = (b: unknown) => (b ? 'Enabled' : 'Disabled');
  let t = '';
  const p = (s: string) => (t += s);
  p(`  Status:\t${kpr.mode}\n`);
  p(`  Socket LB:\t${en(f.socketLB?.enabled)}\n`);
  p(`  Socket LB Tracing:\t${en(f.socketLBTracing?.enabled)}\n`);
  p(`  Socket LB Coverage:\t${f.bpfSocketLBHostnsOnly ? 'Hostns-only' : 'Full'}\n`);
  if (devices) p(`  Devices:\t${devices}\n`);
  if (np.enabled && np.mode) p(`  Mode:\t${np.mode}\n`);
  if (np.enabled && (np.mode === 'DSR' || np.mode === 'Hybrid') && np.dsrMode) p(`    DSR Dispatch Mode:\t${np.dsrMode}\n`);
  if (np.enabled && np.algorithm) p(`  Backend Selection:\t${np.algorithm === 'Maglev' ? `Maglev (Table Size: ${np.lutSize})` : np.algorithm}\n`);
  p(`  Session Affinity:\t${en(f.sessionAffinity?.enabled)}\n`);
  p(`  Graceful Termination:\t${en(f.gracefulTermination?.enabled)}\n`);
  p(`  NAT46/64 Support:\tDisabled\n`);
  if (np.enabled && np.acceleration) p(`  XDP Acceleration:\t${np.acceleration}\n`);
  p('  Services:\n');
  p('  - ClusterIP:\tEnabled\n');
  p(`  - NodePort:\t${np.enabled ? `Enabled (Range: ${np.portMin}-${np.portMax})` : 'Disabled'} \n`);
  p(`  - LoadBalancer:\t${en(np.enabled)} \n`);
  p(`  - externalIPs:\t${en(f.externalIPs?.enabled)} \n`);
  p(`  - HostPort:\t${en(f.hostPort?.enabled)}\n`);
  // a tabwriter of its own (0, 0, 3) writing into cilium-dbg's: its padding is done before the outer one sees the lines
  return 'KubeProxyReplacement Details:\n' + tabwrite(t, 0, 3);
}

/** FormatStatusResponseRemoteClusters; `last` is Go's timeSince ("never" for a zero time). */
export function formatRemoteClusters(clusters: SR[], verbosity: 'verbose' | 'brief' | 'not-ready-only', now: string): string {
  let w = '';
  for (const c of clusters) {
    if (verbosity === 'not-ready-only' && c.ready) continue;
    w += `   ${c.name}: ${c.ready ? 'ready' : 'not-ready'}, ${c['num-nodes'] ?? 0} nodes, ${c['num-endpoints'] ?? 0} endpoints, ${c['num-identities'] ?? 0} identities, ${c['num-shared-services'] ?? 0} services, ${c['num-failures'] ?? 0} reconnections (last: ${timeSince(c['last-failure'], now)})\n`;
    if (verbosity === 'brief' && c.ready) continue;
    w += `   └  ${c.status ?? ''}\n`;
    w += '   └  remote configuration: ';
    const cfg = c.config;
    if (cfg) {
      w += `expected=${Boolean(cfg.required)}, retrieved=${Boolean(cfg.retrieved)}`;
      if (cfg.retrieved) w += `, cluster-id=${cfg['cluster-id'] ?? 0}, kvstoremesh=${Boolean(cfg.kvstoremesh)}, sync-canaries=${Boolean(cfg['sync-canaries'])}`;
    } else w += 'expected=unknown, retrieved=unknown';
    w += '\n';
    const s = c.synced;
    if (s) w += `   └  synchronization status: nodes=${Boolean(s.nodes)}, endpoints=${Boolean(s.endpoints)}, identities=${Boolean(s.identities)}, services=${Boolean(s.services)}\n`;
  }
  return w;
}

/** Go's `time.Since(t).Truncate(time.Second).String() + " ago"`, or "never". */
function timeSince(at: string | undefined, now: string): string {
  if (!at) return 'never';
  let s = Math.max(0, Math.floor((Date.parse(now) - Date.parse(at)) / 1000));
  if (s === 0) return '0s ago';
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s ago`;
}

import { readGlobalServiceAnnotations } from '../../model/index.js';
import { getObj, listOf, podReady } from '../controllers/kit.js';
import type { ClusterApi } from '../service/cluster-api.js';
import { iso } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import { MeshEndpoint, tlsOf } from './endpoint.js';
import { handshake } from './handshake.js';
import type { MeshView } from './view.js';

export interface MeshMember {
  name: string;
  api: ClusterApi;
  /** false once the cluster is stopped: its endpoint closes, links to it go down. */
  running: boolean;
}

interface Link {
  ready: boolean;
  status: string;
  failures: number;
  lastFailure?: string;
  /** The peer's endpoint and material the link was decided with: a change re-dials. */
  decidedFor: string;
  /** A failed link is dialled again from then on (ms, real time): KVStoreMesh keeps retrying with backoff. */
  retryAt?: number;
}

/** Backoff between dials of a failed link: 1 s, doubling, at most 30 s (a link that fails under load comes back). */
const retryDelayMs = (failures: number): number => Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));

const NS = 'kube-system';
/** KVStoreMesh's local etcd status line (pkg/kvstore etcd statusChecker wording (unverified); the etcd version is the lab's). */
const etcdStatus = (endpoint: string) => `etcd: 1/1 connected, leases=0, lock leases=0, has-quorum=true: ${endpoint} - 3.5.16 (Leader)`;

/**
 * The Cluster Mesh between the lab's clusters. Each cluster whose clustermesh-apiserver pod runs
 * gets a real TLS endpoint on 127.0.0.1 with the certificate of its
 * clustermesh-apiserver-server-cert Secret; the lab maps the Service's addresses (LoadBalancer
 * VIPs, node IP:nodePort) on port 2379 to that endpoint and never dials a spec address. Each
 * KVStoreMesh dials the peers its cilium-kvstoremesh Secret lists, resolving the endpoint's
 * hostname through the Deployment's hostAliases, with the certificate of its
 * clustermesh-apiserver-remote-cert Secret: the handshake decides the link. Remote state is only
 * read. Reconciles on any change of the objects it reads, in any cluster.
 */
export class LabMesh implements MeshView {
  private readonly endpoints = new Map<string, MeshEndpoint>();
  private readonly links = new Map<string, Link>();
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly unsubscribe: Array<() => void> = [];
  /** Clusters whose clustermesh-apiserver endpoint a fault drill stopped (`lab fault CLUSTER clustermesh-down`). */
  private readonly downEndpoints = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly members: () => MeshMember[],
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  start(): void {
    for (const m of this.members()) {
      this.unsubscribe.push(
        m.api.store.subscribe((ev) => {
          if (affectsLinks(ev.key)) this.schedule();
        }),
      );
    }
    this.schedule();
  }

  /** Look again (a cluster stopped or started). */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((r) => setImmediate(r))
      .then(() => this.reconcile())
      .catch((err) => this.log(`mesh: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
  }

  /** Resolves once no reconcile is pending; for tests and benchmarks. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** A fault drill: stop (or restart) one cluster's endpoint while its pod still runs; peers then get "connection refused". */
  setEndpointDown(cluster: string, down: boolean): void {
    if (down) this.downEndpoints.add(cluster);
    else this.downEndpoints.delete(cluster);
    this.schedule();
  }

  /**
   * With KVStoreMesh the agents read every remote cluster from their own cluster's
   * clustermesh-apiserver: stopped by a drill, or with no pod running, they reach none.
   */
  private localApiserverDown(m: MeshMember): boolean {
    if (!getObj(m.api, 'core/secrets', NS, 'cilium-kvstoremesh')) return false;
    return this.downEndpoints.has(m.name) || !apiserverRunning(m.api);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const u of this.unsubscribe) u();
    await this.settled();
    await Promise.all([...this.endpoints.values()].map((e) => e.close()));
    this.endpoints.clear();
  }

  private async reconcile(): Promise<void> {
    const members = this.members();
    for (const m of members) await this.ensureEndpoint(m);
    const routes = this.routes(members);
    const dialled = new Set<string>();
    for (const m of members) {
      if (!m.running || !apiserverRunning(m.api)) continue;
      const client = tlsOf(getObj(m.api, 'core/secrets', NS, 'clustermesh-apiserver-remote-cert'));
      for (const peer of peersOf(m.api)) {
        const key = `${m.name}>${peer.name}`;
        dialled.add(key);
        const host = resolveHost(m.api, peer.host);
        const route = host ? routes.get(`${host}:${peer.port}`) : undefined;
        const ep = route ? this.endpoints.get(route) : undefined;
        const decidedFor = `${host}|${route}|${ep?.port}|${client?.cert}|${ep?.material.cert}`;
        const prev = this.links.get(key);
        if (prev && prev.decidedFor === decidedFor && (prev.ready || Date.now() < (prev.retryAt ?? Infinity))) continue;
        let result: { ok: boolean; error?: string; hello?: string };
        if (!client) result = { ok: false, error: `open /var/lib/cilium/clustermesh/common-etcd-client.crt: no such file or directory (Secret ${NS}/clustermesh-apiserver-remote-cert has no certificate)` };
        else if (!host) result = { ok: false, error: `dial tcp: lookup ${peer.host}: no such host` };
        else if (!ep) result = { ok: false, error: `dial tcp ${host}:${peer.port}: connect: connection refused` };
        else result = await handshake(ep.port, peer.host, `${host}:${peer.port}`, client);
        if (result.ok && result.hello !== `cluster ${peer.name}`) result = { ok: false, error: `remote cluster name mismatch: expected ${peer.name}, the endpoint serves ${result.hello?.replace(/^cluster /, '')}` };
        const now = iso(m.api.now());
        const failures = (prev?.failures ?? 0) + (result.ok ? 0 : 1);
        this.links.set(key, {
          ready: result.ok,
          status: result.ok ? etcdStatus(peer.url) : `failed to connect to ${peer.url}: ${result.error}`,
          failures,
          ...(result.ok ? (prev?.lastFailure ? { lastFailure: prev.lastFailure } : {}) : { lastFailure: now, retryAt: Date.now() + retryDelayMs(failures) }),
          decidedFor,
        });
        if (!result.ok) this.log(`mesh: ${m.name} → ${peer.name}: ${result.error}`);
      }
    }
    this.armRetry(dialled);
  }

  /** Looks again when the earliest failed link of those still dialled is due to be dialled again. */
  private armRetry(dialled: Set<string>): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const due = Math.min(...[...this.links].filter(([k, l]) => dialled.has(k) && !l.ready && l.retryAt !== undefined).map(([, l]) => l.retryAt!));
    if (this.stopped || !Number.isFinite(due)) return;
    this.retryTimer = setTimeout(() => this.schedule(), Math.max(0, due - Date.now()));
    this.retryTimer.unref();
  }

  private async ensureEndpoint(m: MeshMember): Promise<void> {
    const material = m.running && apiserverRunning(m.api) && !this.downEndpoints.has(m.name) ? tlsOf(getObj(m.api, 'core/secrets', NS, 'clustermesh-apiserver-server-cert')) : undefined;
    const cur = this.endpoints.get(m.name);
    if (cur && material && cur.same(material)) return;
    if (cur) {
      this.endpoints.delete(m.name);
      await cur.close();
    }
    if (material) this.endpoints.set(m.name, await MeshEndpoint.start(material, `cluster ${m.name}`));
  }

  /** VIP:2379 (and node IP:nodePort) of each cluster's clustermesh-apiserver Service → that cluster. */
  private routes(members: MeshMember[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const m of members.filter((x) => x.running)) {
      const svc = getObj(m.api, 'core/services', NS, 'clustermesh-apiserver');
      if (!svc) continue;
      for (const p of svc.spec?.ports ?? []) {
        for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip) out.set(`${ing.ip}:${p.port}`, m.name);
        if (p.nodePort) for (const n of listOf(m.api, 'core/nodes')) for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP') out.set(`${a.address}:${p.nodePort}`, m.name);
      }
    }
    return out;
  }

  remoteClusters(cluster: string, who: 'agent' | 'kvstoremesh'): Obj[] {
    const m = this.members().find((x) => x.name === cluster);
    if (!m) return [];
    const kvstoremesh = Boolean(getObj(m.api, 'core/secrets', NS, 'cilium-kvstoremesh'));
    const names = who === 'kvstoremesh' ? peersOf(m.api).map((p) => p.name) : Object.keys(getObj(m.api, 'core/secrets', NS, 'cilium-clustermesh')?.data ?? {});
    return names.sort().map((name) => {
      const link = this.links.get(`${cluster}>${name}`);
      const peer = this.members().find((x) => x.name === name);
      const ready = Boolean(link?.ready && peer?.running);
      const counts = ready && peer ? remoteCounts(peer.api) : undefined;
      const base = { name, ready, connected: ready, 'num-failures': link?.failures ?? 0, ...(link?.lastFailure ? { 'last-failure': link.lastFailure } : {}) };
      const config = ready ? { required: true, retrieved: true, 'cluster-id': clusterIdOf(peer!.api), kvstoremesh: who === 'agent' && kvstoremesh, 'sync-canaries': true } : { required: true, retrieved: false };
      const localDown = who === 'agent' && kvstoremesh && this.localApiserverDown(m);
      if (localDown) return { name, ready: false, connected: false, 'num-failures': (link?.failures ?? 0) + 1, status: `failed to connect to https://clustermesh-apiserver.${NS}.svc:2379: dial tcp ${serviceIp(m.api)}:2379: connect: connection refused`, config: { required: true, retrieved: false }, synced: { nodes: false, endpoints: false, identities: false, services: false } };
      const status =
        who === 'agent' && kvstoremesh
          ? ready
            ? etcdStatus(`https://clustermesh-apiserver.${NS}.svc:2379`)
            : 'remote cluster configuration required but not found'
          : (link?.status ?? 'waiting for the initial connection');
      return {
        ...base,
        status,
        config,
        ...(counts ? { 'num-nodes': counts.nodes, 'num-endpoints': counts.endpoints, 'num-identities': counts.identities, 'num-shared-services': counts.services } : {}),
        synced: { nodes: ready, endpoints: ready, identities: ready, services: ready },
      };
    });
  }

  globalServices(cluster: string): number {
    const m = this.members().find((x) => x.name === cluster);
    if (!m) return 0;
    // num-global-services counts what remote clusters share (cilium pkg/clustermesh/clustermesh.go Status:
    // globalServices.size(); services.go fills that cache from remote clusters only), as plan's globalServiceCounts
    const known = new Set<string>();
    for (const r of this.remoteClusters(cluster, 'agent')) {
      const peer = this.members().find((x) => x.name === r.name);
      if (r.ready && peer) for (const s of globalServicesOf(peer.api, true)) known.add(s);
    }
    return known.size;
  }

  /**
   * The loopback port behind a clustermesh-apiserver Service address ("VIP:2379", "nodeIP:nodePort"),
   * so a client outside the lab process (verify) can reach what a peer would, never the address itself.
   */
  endpointPortFor(address: string): number | undefined {
    const cluster = this.routes(this.members()).get(address);
    return cluster ? this.endpoints.get(cluster)?.port : undefined;
  }

  /** Whether `from`'s KVStoreMesh is connected to `to` (and `to` runs). */
  linkReady(from: string, to: string): boolean {
    const m = this.members().find((x) => x.name === from);
    return Boolean(this.links.get(`${from}>${to}`)?.ready && this.members().find((x) => x.name === to)?.running && m && !this.localApiserverDown(m));
  }
}

/**
 * Whether a write can change a link: what reconcile reads is all in kube-system (the mesh Secrets,
 * the clustermesh-apiserver Service, pods and Deployment) plus the nodes (nodePort routes). A
 * workload Service or EndpointSlice elsewhere changes no link, and re-deciding 992 links at 32
 * clusters on each of them delayed global-service propagation (bench/lab, issue 14).
 */
function affectsLinks(key: string): boolean {
  const [resource, namespace] = key.split('|');
  if (resource === 'core/nodes') return true;
  return namespace === NS && ['core/secrets', 'core/services', 'core/pods', 'apps/deployments', 'apps/daemonsets'].includes(resource!);
}

function apiserverRunning(api: ClusterApi): boolean {
  return listOf(api, 'core/pods', NS).some((p) => p.metadata.labels?.['k8s-app'] === 'clustermesh-apiserver' && podReady(p) && !p.metadata.deletionTimestamp);
}

interface Peer {
  name: string;
  url: string;
  host: string;
  port: number;
}

/** The peers KVStoreMesh dials: cilium-kvstoremesh's keys (cilium-clustermesh's without KVStoreMesh), each an etcd config with `endpoints:`. */
export function peersOf(api: ClusterApi): Peer[] {
  const secret = getObj(api, 'core/secrets', NS, 'cilium-kvstoremesh') ?? getObj(api, 'core/secrets', NS, 'cilium-clustermesh');
  const out: Peer[] = [];
  for (const [name, b64] of Object.entries<string>(secret?.data ?? {})) {
    const cfg = Buffer.from(b64, 'base64').toString();
    const m = /endpoints:\s*\n\s*-\s*(\S+)/.exec(cfg);
    if (!m) continue;
    const u = new URL(m[1]!);
    out.push({ name, url: m[1]!, host: u.hostname, port: Number(u.port || 2379) });
  }
  return out;
}

/** A hostname through the clustermesh-apiserver (or agent) pod's hostAliases, or an IP as is. */
function resolveHost(api: ClusterApi, host: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  const owners = [getObj(api, 'apps/deployments', NS, 'clustermesh-apiserver'), getObj(api, 'apps/daemonsets', NS, 'cilium')];
  for (const o of owners) for (const a of o?.spec?.template?.spec?.hostAliases ?? []) if ((a.hostnames ?? []).includes(host)) return a.ip;
  return undefined;
}

/** The clustermesh-apiserver Service's ClusterIP, as the agents dial it. */
function serviceIp(api: ClusterApi): string {
  return String(getObj(api, 'core/services', NS, 'clustermesh-apiserver')?.spec?.clusterIP ?? '');
}

function clusterIdOf(api: ClusterApi): number {
  return Number(getObj(api, 'core/configmaps', NS, 'cilium-config')?.data?.['cluster-id'] ?? 0);
}

/** What a remote cluster exports: its nodes, pod endpoints, identities (distinct label sets per namespace), shared global services. */
function remoteCounts(api: ClusterApi): { nodes: number; endpoints: number; identities: number; services: number } {
  const pods = listOf(api, 'core/pods').filter((p) => p.status?.podIP && !p.spec?.hostNetwork);
  const identities = new Set(pods.map((p) => `${p.metadata.namespace}|${JSON.stringify(Object.entries(p.metadata.labels ?? {}).filter(([k]) => k !== 'pod-template-hash' && k !== 'controller-revision-hash').sort())}`));
  return { nodes: listOf(api, 'core/nodes').length, endpoints: pods.length, identities: identities.size, services: globalServicesOf(api, true).length };
}

/** "namespace/name" of the Services annotated global (and, when `shared`, not unshared), read as the agent reads them (model readGlobalServiceAnnotations). */
export function globalServicesOf(api: ClusterApi, shared = false): string[] {
  return listOf(api, 'core/services')
    .filter((s) => {
      const a = readGlobalServiceAnnotations(s.metadata.annotations ?? {});
      return a.global && (!shared || a.shared);
    })
    .map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
}

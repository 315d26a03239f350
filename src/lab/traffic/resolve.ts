import { getObj, listOf } from '../controllers/kit.js';
import type { Obj } from '../store/log-store.js';
import { clusterOf, type TrafficWorld } from './world.js';

/** What a destination address turns out to be, seen from a client cluster. */
export type Frontend =
  | { kind: 'service'; cluster: string; service: Obj; via: 'dns' | 'clusterIP' | 'loadBalancer' }
  | { kind: 'ingress'; cluster: string; ip: string; ingresses: Obj[] }
  | { kind: 'pod'; cluster: string; pod: Obj }
  | { kind: 'unresolved' }
  | { kind: 'unreachable' };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Kubespray's default dns_domain. */
const CLUSTER_DOMAIN = 'cluster.local';

/**
 * Resolves a name or address as a pod (or node) of `client` would see it: a Service's DNS name
 * (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`; short names in the client's
 * namespace: a pod's search path `<ns>.svc.cluster.local`; a node's is `default.svc…`, as
 * Kubespray writes it), a ClusterIP of the client's cluster, a LoadBalancer IP of any running
 * cluster (the network reaches it; the Cilium Ingress' VIP goes to its Envoy), or a pod IP — in
 * another cluster only over an up mesh link (its routes come from the mesh).
 */
export function resolveFrontend(world: TrafficWorld, client: string, host: string, clientNamespace: string): Frontend {
  const me = clusterOf(world, client)!;
  if (!IPV4.test(host)) {
    const name = host.replace(/\.$/, '');
    const parts = name.endsWith(`.svc.${CLUSTER_DOMAIN}`) ? name.slice(0, -`.svc.${CLUSTER_DOMAIN}`.length).split('.') : name.endsWith('.svc') ? name.slice(0, -4).split('.') : name.split('.');
    if (parts.length > 2) return { kind: 'unresolved' };
    const [svcName, ns = clientNamespace] = parts as [string, string?];
    const service = getObj(me.api, 'core/services', ns, svcName);
    return service ? { kind: 'service', cluster: client, service, via: 'dns' } : { kind: 'unresolved' };
  }
  for (const s of listOf(me.api, 'core/services')) if ((s.spec?.clusterIPs ?? [s.spec?.clusterIP]).includes(host)) return { kind: 'service', cluster: client, service: s, via: 'clusterIP' };
  const order = [me, ...world.clusters.filter((c) => c.name !== client && c.running)];
  for (const c of order) {
    for (const s of listOf(c.api, 'core/services')) {
      if (!(s.status?.loadBalancer?.ingress ?? []).some((i: Obj) => i.ip === host)) continue;
      const ingresses = listOf(c.api, 'networking.k8s.io/ingresses').filter((i) => (i.status?.loadBalancer?.ingress ?? []).some((x: Obj) => x.ip === host));
      if (s.metadata.labels?.['cilium.io/ingress'] === 'true' || (s.metadata.namespace === 'kube-system' && s.metadata.name === 'cilium-ingress')) return { kind: 'ingress', cluster: c.name, ip: host, ingresses };
      return { kind: 'service', cluster: c.name, service: s, via: 'loadBalancer' };
    }
  }
  for (const c of order) {
    if (c.name !== client && !world.linkReady(client, c.name)) continue;
    const pod = listOf(c.api, 'core/pods').find((p) => p.status?.podIP === host && !p.spec?.hostNetwork);
    if (pod) return { kind: 'pod', cluster: c.name, pod };
  }
  return { kind: 'unreachable' };
}

/** The Ingress rule and path a request matches (networking.k8s.io/v1: exact host or `*.` wildcard of one label; Exact, Prefix by path elements, ImplementationSpecific as Prefix; longest path first). */
export function routeIngress(ingresses: readonly Obj[], host: string, path: string): { ingress: Obj; service: string; port: Obj } | undefined {
  type Hit = { ingress: Obj; backend: Obj; length: number; exact: boolean; hostExact: boolean };
  const hits: Hit[] = [];
  for (const ing of ingresses) {
    for (const rule of ing.spec?.rules ?? []) {
      const h: string | undefined = rule.host;
      const hostMatch = !h || h === host || (h.startsWith('*.') && host.endsWith(h.slice(1)) && !host.slice(0, -h.length + 1).includes('.'));
      if (!hostMatch) continue;
      for (const p of rule.http?.paths ?? []) {
        const want: string = p.path ?? '/';
        const exact = p.pathType === 'Exact';
        const ok = exact ? path === want : want === '/' || path === want.replace(/\/$/, '') || path.startsWith(`${want.replace(/\/$/, '')}/`);
        if (ok) hits.push({ ingress: ing, backend: p.backend, length: want.length, exact, hostExact: h === host });
      }
    }
  }
  hits.sort((a, b) => Number(b.hostExact) - Number(a.hostExact) || Number(b.exact) - Number(a.exact) || b.length - a.length);
  const hit = hits[0];
  const fallback = ingresses.find((i) => i.spec?.defaultBackend?.service);
  const backend = hit?.backend ?? fallback?.spec?.defaultBackend;
  if (!backend?.service) return undefined;
  return { ingress: hit?.ingress ?? fallback!, service: backend.service.name, port: backend.service.port ?? {} };
}

import { readGlobalServiceAnnotations } from '../../model/index.js';
import { getObj, listOf } from '../controllers/kit.js';
import type { ClusterApi } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import type { TrafficWorld } from './world.js';

/** One backend a frontend may send a request to: a ready pod and the port it receives on. */
export interface Backend {
  cluster: string;
  namespace: string;
  pod: string;
  ip: string;
  port: number;
}

/** The service port a frontend port names, or undefined. */
export function servicePort(svc: Obj, port: number): Obj | undefined {
  return (svc.spec?.ports ?? []).find((p: Obj) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
}

/** Ready endpoints of a Service's EndpointSlices for one service port (matched by name, as kube-proxy and Cilium do). */
export function readyEndpoints(cluster: string, api: ClusterApi, svc: Obj, portName: string): Backend[] {
  const out: Backend[] = [];
  const ns = svc.metadata.namespace;
  for (const slice of listOf(api, 'discovery.k8s.io/endpointslices', ns)) {
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name) continue;
    const port = (slice.ports ?? []).find((p: Obj) => (p.name ?? '') === portName)?.port;
    if (port === undefined) continue;
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false || e.targetRef?.kind !== 'Pod') continue;
      out.push({ cluster, namespace: ns, pod: e.targetRef.name, ip: e.addresses[0], port });
    }
  }
  return out;
}

/**
 * The backends a client in `client` reaches through its copy of a Service on `port`, as Cilium
 * 1.16 merges them (services.rst, affinity.rst; the same rules as model/global-services.ts
 * aggregateService): its own cluster's ready backends, plus — when its copy is global — those
 * of every other cluster whose copy is global and shared and to which its mesh link is up.
 * Affinity local (remote) keeps to one side while it has a ready backend.
 */
export function serviceBackends(world: TrafficWorld, client: string, svc: Obj, port: number): Backend[] {
  const sp = servicePort(svc, port);
  if (!sp) return [];
  const me = world.clusters.find((c) => c.name === client)!;
  const local = readyEndpoints(client, me.api, svc, sp.name ?? '');
  const ann = readGlobalServiceAnnotations(svc.metadata.annotations ?? {});
  const headless = svc.spec?.clusterIP === 'None';
  if (!ann.global || headless) return local;
  const remote: Backend[] = [];
  for (const peer of world.clusters) {
    if (peer.name === client || !peer.running || !world.linkReady(client, peer.name)) continue;
    const theirs = getObj(peer.api, 'core/services', svc.metadata.namespace, svc.metadata.name);
    if (!theirs || theirs.spec?.clusterIP === 'None') continue;
    const a = readGlobalServiceAnnotations(theirs.metadata.annotations ?? {});
    if (!a.global || !a.shared) continue;
    const tp = servicePort(theirs, port);
    if (tp) remote.push(...readyEndpoints(peer.name, peer.api, theirs, tp.name ?? ''));
  }
  if (ann.affinity === 'local') return local.length ? local : remote;
  if (ann.affinity === 'remote') return remote.length ? remote : local;
  return [...local, ...remote];
}

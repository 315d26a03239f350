import { createHash } from 'node:crypto';
import type { Obj } from '../store/log-store.js';
import { def, ensure, getObj, listOf, mapSelects, mutate, ownerRef, podReady, type Controller, type SimContext } from './kit.js';

const MANAGED_BY = 'endpointslice-controller.k8s.io';

/**
 * The EndpointSlice controller (pkg/controller/endpointslice) and the Endpoints controller: per
 * Service with a selector, one slice `<service>-<5 characters>` (and the Endpoints object of the
 * same name) listing the selected pods that have an IP, with ready/serving/terminating as the
 * pods' Ready condition says; target ports resolved by name against each pod's containers.
 */
export function endpointSliceController(ctx: SimContext): Controller {
  const { api } = ctx;
  const sliceDef = def(api, 'discovery.k8s.io', 'v1', 'endpointslices');
  const epDef = def(api, '', 'v1', 'endpoints');
  const servicesFor = (p: Obj | undefined): string[] => (p ? listOf(api, 'core/services', p.metadata.namespace).filter((s) => mapSelects(s.spec?.selector, p.metadata.labels)).map((s) => `${s.metadata.namespace}/${s.metadata.name}`) : []);
  return {
    name: 'endpointslice',
    watches: {
      'core/services': (ev) => [`${ev.value.metadata.namespace}/${ev.value.metadata.name}`],
      'core/pods': (ev) => [...new Set([...servicesFor(ev.value), ...servicesFor(ev.prev)])],
    },
    initial: () => listOf(api, 'core/services').map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
    async reconcile(key) {
      const i = key.indexOf('/');
      const [ns, name] = [key.slice(0, i), key.slice(i + 1)];
      const svc = getObj(api, 'core/services', ns, name);
      const sliceName = `${name}-${createHash('sha256').update(`${ns}/${name}`).digest('hex').replace(/[^bcdfghjklmnpqrstvwxz2456789]/g, '').slice(0, 5).padEnd(5, 'x')}`;
      if (!svc || !svc.spec?.selector || svc.spec.type === 'ExternalName') return;
      const pods = listOf(api, 'core/pods', ns).filter((p) => mapSelects(svc.spec.selector, p.metadata.labels) && p.status?.podIP && !['Succeeded', 'Failed'].includes(p.status?.phase));
      const ports = (svc.spec.ports ?? []).map((sp: Obj) => ({ name: sp.name ?? '', port: targetPort(sp, pods[0]), protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }));
      const endpoints = pods
        .sort((a, b) => a.status.podIP.localeCompare(b.status.podIP, undefined, { numeric: true }))
        .map((p) => ({
          addresses: [p.status.podIP],
          conditions: { ready: podReady(p) && !p.metadata.deletionTimestamp, serving: podReady(p), terminating: Boolean(p.metadata.deletionTimestamp) },
          nodeName: p.spec.nodeName,
          targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
        }));
      const labels = { 'endpointslice.kubernetes.io/managed-by': MANAGED_BY, 'kubernetes.io/service-name': name, ...(svc.metadata.labels ?? {}) };
      const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: sliceName, namespace: ns, generateName: `${name}-`, labels, ownerReferences: [ownerRef(svc)] }, addressType: 'IPv4', endpoints, ports };
      await ensure(api, sliceDef, slice);
      await mutate(api, sliceDef, ns, sliceName, (o) => {
        o.endpoints = endpoints;
        o.ports = ports;
        o.metadata.labels = labels;
      });
      const ready = endpoints.filter((e) => e.conditions.ready);
      const notReady = endpoints.filter((e) => !e.conditions.ready);
      const addr = (e: (typeof endpoints)[number]) => ({ ip: e.addresses[0], nodeName: e.nodeName, targetRef: e.targetRef });
      const subsets = endpoints.length ? [{ ...(ready.length ? { addresses: ready.map(addr) } : {}), ...(notReady.length ? { notReadyAddresses: notReady.map(addr) } : {}), ports: ports.map((p: Obj) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol })) }] : undefined;
      const ep = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns, labels: svc.metadata.labels ?? {} } };
      await ensure(api, epDef, { ...ep, ...(subsets ? { subsets } : {}) });
      await mutate(api, epDef, ns, name, (o) => {
        if (subsets) o.subsets = subsets;
        else delete o.subsets;
      });
    },
  };
}

/** FindPort: a number as is, a name looked up in the pod's container ports. */
function targetPort(sp: Obj, pod: Obj | undefined): number {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(String(t))) return Number(t);
  for (const c of pod?.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === t) return p.containerPort;
  return sp.port;
}

import type { Obj } from '../store/log-store.js';
import { def, ensure, getObj, listOf, mutate, ownerRef, type Controller, type SimContext } from './kit.js';
import { operatorRunning } from './lbipam.js';

const isCilium = (i: Obj): boolean => i.spec?.ingressClassName === 'cilium' || i.metadata.annotations?.['kubernetes.io/ingress.class'] === 'cilium';

/**
 * Cilium's ingress controller in the operator (operator/pkg/ingress, 1.16): with
 * `enable-ingress-controller` in cilium-config, an Ingress of class cilium gets the address of
 * Service kube-system/cilium-ingress (shared mode, the default `ingress-default-lb-mode`) or of
 * its own LoadBalancer Service `cilium-ingress-<ingress>` beside it (dedicated mode, or the
 * `ingress.cilium.io/loadbalancer-mode` annotation), once LB IPAM gave that Service one.
 */
export function ingressController(ctx: SimContext): Controller {
  const { api } = ctx;
  const ingDef = def(api, 'networking.k8s.io', 'v1', 'ingresses');
  const svcDef = def(api, '', 'v1', 'services');
  const all = () => listOf(api, 'networking.k8s.io/ingresses').map((i) => `${i.metadata.namespace}/${i.metadata.name}`);
  return {
    name: 'ingress',
    watches: {
      'networking.k8s.io/ingresses': (ev) => [`${ev.value.metadata.namespace}/${ev.value.metadata.name}`],
      'core/services': (ev) => (ev.value.metadata.name.startsWith('cilium-ingress') ? all() : []),
      'core/configmaps': (ev) => (ev.value.metadata.name === 'cilium-config' ? all() : []),
      'apps/deployments': (ev) => (ev.value.metadata.name === 'cilium-operator' ? all() : []),
    },
    initial: all,
    async reconcile(key) {
      const i = key.indexOf('/');
      const [ns, name] = [key.slice(0, i), key.slice(i + 1)];
      const ing = getObj(api, 'networking.k8s.io/ingresses', ns, name);
      const config = getObj(api, 'core/configmaps', 'kube-system', 'cilium-config')?.data ?? {};
      if (!ing || !isCilium(ing) || config['enable-ingress-controller'] !== 'true' || !operatorRunning(ctx)) return;
      const mode = ing.metadata.annotations?.['ingress.cilium.io/loadbalancer-mode'] ?? config['ingress-default-lb-mode'] ?? 'dedicated';
      let svc: Obj | undefined;
      if (mode === 'shared') svc = getObj(api, 'core/services', 'kube-system', 'cilium-ingress');
      else {
        svc = await ensure(api, svcDef, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `cilium-ingress-${name}`, namespace: ns, labels: { 'cilium.io/ingress': 'true' }, ownerReferences: [ownerRef(ing, false)] },
          spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }] },
        }, 'cilium-operator-generic');
      }
      const lb = (svc?.status?.loadBalancer?.ingress ?? []).map((x: Obj) => ({ ip: x.ip }));
      await mutate(api, ingDef, ns, name, (o) => void (o.status = { loadBalancer: lb.length ? { ingress: lb } : {} }), 'cilium-operator-generic');
    },
  };
}

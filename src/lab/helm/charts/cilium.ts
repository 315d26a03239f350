import type { Obj } from '../../store/log-store.js';
import { at, helmMeta, mergeValues } from './values.js';

export const CILIUM_CHART = { name: 'cilium', version: '1.16.5', appVersion: '1.16.5' } as const;

/**
 * The defaults of cilium/charts cilium-1.16.5.tgz values.yaml that decide which objects the
 * templates make (sha256 182035ae…, the same file ../shared/reference/cilium-chart-1.16.5 holds).
 */
export const CILIUM_DEFAULTS: Record<string, any> = {
  agent: true,
  l7Proxy: true,
  envoy: { enabled: null },
  preflight: { enabled: false },
  externalWorkloads: { enabled: false },
  cluster: { name: 'default', id: 0 },
  ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.0.0.0/8'], clusterPoolIPv4MaskSize: 24 } },
  operator: { enabled: true, replicas: 2 },
  ingressController: { enabled: false, loadbalancerMode: 'dedicated', service: { name: 'cilium-ingress', type: 'LoadBalancer' }, secretsNamespace: { create: true, name: 'cilium-secrets' } },
  clustermesh: {
    useAPIServer: false,
    maxConnectedClusters: 255,
    config: { enabled: false, domain: 'mesh.cilium.io', clusters: [] },
    apiserver: { replicas: 1, service: { type: 'NodePort' }, kvstoremesh: { enabled: true }, tls: { authMode: 'legacy', auto: { enabled: true, method: 'helm' }, enableSecrets: true } },
  },
  hubble: { enabled: true, relay: { enabled: false }, ui: { enabled: false }, tls: { enabled: true, auto: { enabled: true, method: 'helm' } } },
  tls: { ca: { cert: '', key: '' } },
  image: { tag: 'v1.16.5' },
};

const IMAGE = (name: string) => `quay.io/cilium/${name}:v1.16.5`;

/**
 * The objects cilium-1.16.5's templates render for these values, by the templates' conditions
 * (each named below by its file under templates/): the agent and, unless switched off, Envoy
 * DaemonSets, the operator, cilium-config, Hubble's peer Service and certificates, the ingress
 * Service and IngressClass (ingressController.enabled), the clustermesh-apiserver Deployment,
 * Service and certificates (clustermesh.useAPIServer), the clustermesh Secrets
 * (clustermesh.config.enabled), Hubble Relay (hubble.relay.enabled). RBAC beyond the service
 * accounts is left out: the lab authorises nothing.
 */
export function ciliumObjects(release: string, ns: string, userValues: Record<string, any>): Obj[] {
  const v = mergeValues(CILIUM_DEFAULTS, userValues);
  const meta = (name: string, labels: Record<string, string> = {}, namespaced = true) => ({ name, ...(namespaced ? { namespace: ns } : {}), ...helmMeta(release, ns, labels) });
  const out: Obj[] = [];
  const add = (o: Obj) => out.push(o);
  const sa = (name: string) => add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name) });
  const agent = v.agent && !at(v, 'preflight.enabled');
  // _helpers.tpl envoyDaemonSetEnabled: l7Proxy and envoy.enabled, or unset on 1.16 → true
  const envoy = v.l7Proxy && (at(v, 'envoy.enabled') ?? true) && !at(v, 'preflight.enabled');
  const mesh = at(v, 'clustermesh.useAPIServer') || at(v, 'externalWorkloads.enabled');
  const ingress = at(v, 'ingressController.enabled');
  const hubble = at(v, 'hubble.enabled');
  const relay = hubble && at(v, 'hubble.relay.enabled');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  // clustermesh.config hostAliases (<name>.<domain> → each of ips): on the clustermesh-apiserver
  // Deployment with KVStoreMesh, else on the agent DaemonSet (../shared/reference/cilium-mesh.md §1.6)
  const kvstoremeshInUse = Boolean(at(v, 'clustermesh.config.enabled') && at(v, 'clustermesh.useAPIServer') && at(v, 'clustermesh.apiserver.kvstoremesh.enabled'));
  const hostAliases: Obj[] = at(v, 'clustermesh.config.enabled')
    ? (at(v, 'clustermesh.config.clusters') ?? []).flatMap((c: Obj) => (c.ips ?? []).map((ip: string) => ({ ip, hostnames: [`${c.name}.${at(v, 'clustermesh.config.domain')}`] })))
    : [];

  // cilium-configmap.yaml
  if (agent || at(v, 'operator.enabled') || mesh) add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cilium-config'), data: ciliumConfig(v) });
  if (agent) {
    sa('cilium'); // cilium-agent/serviceaccount.yaml
    add(daemonSet(meta('cilium', { 'k8s-app': 'cilium', 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'cilium-agent' }), { 'k8s-app': 'cilium' }, 'cilium', [
      { name: 'cilium-agent', image: IMAGE('cilium'), command: ['cilium-agent'], args: ['--config-dir=/tmp/cilium/config-map'], readinessProbe: { httpGet: { host: '127.0.0.1', path: '/healthz', port: 9879, scheme: 'HTTP', httpHeaders: [{ name: 'brief', value: 'true' }] }, periodSeconds: 30 } },
    ]));
    if (hostAliases.length && !kvstoremeshInUse) out[out.length - 1]!.spec.template.spec.hostAliases = hostAliases;
  }
  if (envoy) {
    sa('cilium-envoy');
    add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cilium-envoy-config'), data: { 'bootstrap-config.json': '{}' } }); // cilium-envoy/configmap.yaml (bootstrap elided)
    add(daemonSet(meta('cilium-envoy', { 'k8s-app': 'cilium-envoy', 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'cilium-envoy', name: 'cilium-envoy' }), { 'k8s-app': 'cilium-envoy' }, 'cilium-envoy', [
      { name: 'cilium-envoy', image: 'quay.io/cilium/cilium-envoy:v1.30.8-1733837904-eaae5aca0fb988583e5617170a65ac5aa51c0aa8', command: ['/usr/bin/cilium-envoy-starter'], readinessProbe: { httpGet: { host: '127.0.0.1', path: '/healthz', port: 9878 } } },
    ]));
  }
  if (at(v, 'operator.enabled')) {
    sa('cilium-operator');
    const labels = { 'io.cilium/app': 'operator', name: 'cilium-operator', 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'cilium-operator' };
    add({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('cilium-operator', labels),
      spec: {
        replicas: at(v, 'operator.replicas'),
        selector: { matchLabels: { 'io.cilium/app': 'operator', name: 'cilium-operator' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '50%' } },
        template: {
          metadata: { labels },
          spec: {
            hostNetwork: true,
            serviceAccountName: 'cilium-operator',
            priorityClassName: 'system-cluster-critical',
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'cilium-operator', image: 'quay.io/cilium/operator-generic:v1.16.5', command: ['cilium-operator-generic'], readinessProbe: { httpGet: { host: '127.0.0.1', path: '/healthz', port: 9234 } } }],
          },
        },
      },
    });
  }
  if (agent && hubble) {
    // hubble/peer-service.yaml
    add({ apiVersion: 'v1', kind: 'Service', metadata: meta('hubble-peer', { 'k8s-app': 'cilium', 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'hubble-peer' }), spec: { selector: { 'k8s-app': 'cilium' }, ports: [{ name: 'peer-service', port: 443, protocol: 'TCP', targetPort: 4244 }], internalTrafficPolicy: 'Local' } });
    if (at(v, 'hubble.tls.enabled')) add(tlsSecret(meta('hubble-server-certs'), v, 'hubble.tls.server')); // hubble/tls-{helm,provided}/server-secret.yaml
  }
  if (ingress) {
    // cilium-ingress-service.yaml, cilium-ingress-class.yaml, cilium-secrets-namespace.yaml
    const svc = at(v, 'ingressController.service');
    add({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...meta(svc.name, { 'cilium.io/ingress': 'true', ...(svc.labels ?? {}) }), ...(svc.annotations ? { annotations: { ...helmMeta(release, ns).annotations, ...svc.annotations } } : {}) },
      spec: { type: svc.type, ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }], ...(svc.loadBalancerClass ? { loadBalancerClass: svc.loadBalancerClass } : {}) },
    });
    add({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('cilium', { 'app.kubernetes.io/part-of': 'cilium' }, false), spec: { controller: 'cilium.io/ingress-controller' } });
    const secrets = at(v, 'ingressController.secretsNamespace');
    if (secrets?.create && secrets?.name) add({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(secrets.name, {}, false) });
  }
  if (mesh) {
    sa('clustermesh-apiserver');
    const labels = { 'k8s-app': 'clustermesh-apiserver', 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'clustermesh-apiserver' };
    const containers: Obj[] = [
      { name: 'etcd', image: IMAGE('clustermesh-apiserver'), command: ['/usr/bin/etcd'] },
      { name: 'apiserver', image: IMAGE('clustermesh-apiserver'), command: ['/usr/bin/clustermesh-apiserver'], args: ['clustermesh'], readinessProbe: { httpGet: { path: '/readyz', port: 9880 } } },
    ];
    if (at(v, 'clustermesh.apiserver.kvstoremesh.enabled')) containers.push({ name: 'kvstoremesh', image: IMAGE('clustermesh-apiserver'), command: ['/usr/bin/clustermesh-apiserver'], args: ['kvstoremesh'], readinessProbe: { httpGet: { path: '/readyz', port: 9881 } } });
    add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('clustermesh-apiserver', labels), spec: { replicas: at(v, 'clustermesh.apiserver.replicas'), selector: { matchLabels: { 'k8s-app': 'clustermesh-apiserver' } }, template: { metadata: { labels }, spec: { serviceAccountName: 'clustermesh-apiserver', containers, ...(hostAliases.length && kvstoremeshInUse ? { hostAliases } : {}) } } } });
    const svc = at(v, 'clustermesh.apiserver.service');
    add({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...meta('clustermesh-apiserver', labels), ...(svc.annotations ? { annotations: { ...helmMeta(release, ns).annotations, ...svc.annotations } } : {}) },
      spec: { type: svc.type, selector: { 'k8s-app': 'clustermesh-apiserver' }, ports: [{ port: 2379, protocol: 'TCP', ...(svc.type === 'NodePort' && svc.nodePort ? { nodePort: svc.nodePort } : {}) }], ...(svc.type === 'LoadBalancer' && svc.loadBalancerClass ? { loadBalancerClass: svc.loadBalancerClass } : {}) },
    });
    // clustermesh-apiserver/tls-{helm,provided}/{server,admin,remote}-secret.yaml
    if (at(v, 'clustermesh.apiserver.tls.auto.enabled') || at(v, 'clustermesh.apiserver.tls.enableSecrets')) {
      add(tlsSecret(meta('clustermesh-apiserver-server-cert'), v, 'clustermesh.apiserver.tls.server'));
      add(tlsSecret(meta('clustermesh-apiserver-admin-cert'), v, 'clustermesh.apiserver.tls.admin'));
      if (at(v, 'clustermesh.useAPIServer')) add(tlsSecret(meta('clustermesh-apiserver-remote-cert'), v, 'clustermesh.apiserver.tls.remote'));
    }
  }
  if (at(v, 'clustermesh.config.enabled')) {
    const kvstoremesh = at(v, 'clustermesh.useAPIServer') && at(v, 'clustermesh.apiserver.kvstoremesh.enabled');
    const domain = at(v, 'clustermesh.config.domain');
    const cfg = (c: Obj, override: string) => b64(etcdConfig(c, domain, override));
    const clusters: Obj[] = at(v, 'clustermesh.config.clusters') ?? [];
    // clustermesh-config/clustermesh-secret.yaml: with KVStoreMesh the agents read the local cache
    add({ apiVersion: 'v1', kind: 'Secret', metadata: meta('cilium-clustermesh'), data: Object.fromEntries(clusters.map((c) => [c.name, cfg(c, kvstoremesh ? `https://clustermesh-apiserver.${ns}.svc:2379` : '')])) });
    if (kvstoremesh) add({ apiVersion: 'v1', kind: 'Secret', metadata: meta('cilium-kvstoremesh'), data: Object.fromEntries(clusters.map((c) => [c.name, cfg(c, '')])) });
  }
  if (relay) {
    sa('hubble-relay');
    const labels = { 'k8s-app': 'hubble-relay', 'app.kubernetes.io/part-of': 'cilium', 'app.kubernetes.io/name': 'hubble-relay' };
    add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('hubble-relay-config'), data: { 'config.yaml': 'cluster-name: ' + at(v, 'cluster.name') + '\npeer-service: "hubble-peer.' + ns + '.svc.cluster.local.:443"\nlisten-address: :4245\n' } });
    add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('hubble-relay', labels), spec: { replicas: 1, selector: { matchLabels: { 'k8s-app': 'hubble-relay' } }, template: { metadata: { labels }, spec: { serviceAccountName: 'hubble-relay', containers: [{ name: 'hubble-relay', image: IMAGE('hubble-relay'), command: ['hubble-relay'], args: ['serve'], readinessProbe: { grpc: { port: 4222 } } }] } } } });
    add({ apiVersion: 'v1', kind: 'Service', metadata: meta('hubble-relay', labels), spec: { type: 'ClusterIP', selector: { 'k8s-app': 'hubble-relay' }, ports: [{ protocol: 'TCP', port: at(v, 'hubble.tls.enabled') ? 443 : 80, targetPort: 4245 }] } });
    if (at(v, 'hubble.tls.enabled')) add(tlsSecret(meta('hubble-relay-client-certs'), v, 'hubble.relay.tls.client'));
  }
  return out;
}

function daemonSet(metadata: Obj, selector: Record<string, string>, sa: string, containers: Obj[]): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata,
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } },
      template: { metadata: { labels: { ...selector, 'app.kubernetes.io/name': metadata.labels['app.kubernetes.io/name'], 'app.kubernetes.io/part-of': 'cilium' } }, spec: { hostNetwork: true, serviceAccountName: sa, priorityClassName: 'system-node-critical', tolerations: [{ operator: 'Exists' }], containers } },
    },
  };
}

/** A kubernetes.io/tls Secret from the provided certificate values (tls-provided templates; with tls.auto the lab stands in for helm's genCA). */
function tlsSecret(metadata: Obj, v: Record<string, any>, path: string): Obj {
  const pair = at(v, path) ?? {};
  const data: Record<string, string> = {};
  if (at(v, 'tls.ca.cert')) data['ca.crt'] = at(v, 'tls.ca.cert');
  if (pair.cert) data['tls.crt'] = pair.cert;
  if (pair.key) data['tls.key'] = pair.key;
  return { apiVersion: 'v1', kind: 'Secret', metadata, type: 'kubernetes.io/tls', data };
}

/** _clustermesh-config-generate-etcd-cfg.tpl: the etcd client configuration of one remote cluster. */
function etcdConfig(c: Record<string, any>, domain: string, override: string): string {
  const endpoint = override || `https://${c.name}.${domain}:${c.port ?? 2379}`;
  const prefix = override ? '' : 'common-';
  return `endpoints:\n- ${endpoint}\ntrusted-ca-file: /var/lib/cilium/clustermesh/${prefix}etcd-client-ca.crt\nkey-file: /var/lib/cilium/clustermesh/${prefix}etcd-client.key\ncert-file: /var/lib/cilium/clustermesh/${prefix}etcd-client.crt\n`;
}

/** cilium-configmap.yaml: the keys of cilium-config the lab and `cilium-dbg status` read. */
function ciliumConfig(v: Record<string, any>): Record<string, string> {
  const s = (x: unknown) => (x === undefined || x === null ? '' : String(x));
  return {
    'cluster-name': s(at(v, 'cluster.name')),
    'cluster-id': s(at(v, 'cluster.id')),
    ipam: s(at(v, 'ipam.mode')),
    'cluster-pool-ipv4-cidr': (at(v, 'ipam.operator.clusterPoolIPv4PodCIDRList') ?? []).join(' '),
    'cluster-pool-ipv4-mask-size': s(at(v, 'ipam.operator.clusterPoolIPv4MaskSize')),
    'kube-proxy-replacement': s(at(v, 'kubeProxyReplacement') ?? 'false'),
    'routing-mode': s(at(v, 'routingMode') || 'tunnel'),
    'tunnel-protocol': s(at(v, 'tunnelProtocol') || 'vxlan'),
    'enable-hubble': s(at(v, 'hubble.enabled')),
    'enable-ingress-controller': s(Boolean(at(v, 'ingressController.enabled'))),
    ...(at(v, 'ingressController.enabled') ? { 'ingress-default-lb-mode': s(at(v, 'ingressController.loadbalancerMode')), 'ingress-lb-annotation-prefixes': 'lbipam.cilium.io' } : {}),
    'enable-l2-announcements': s(Boolean(at(v, 'l2announcements.enabled'))),
    'max-connected-clusters': s(at(v, 'clustermesh.maxConnectedClusters')),
    'enable-envoy-config': s(Boolean(at(v, 'envoyConfig.enabled'))),
    'external-envoy-proxy': s(Boolean(v.l7Proxy && (at(v, 'envoy.enabled') ?? true))),
  };
}

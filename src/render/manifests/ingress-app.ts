import type { ClusterSpec, Platform } from '../../spec/index.js';
import { INGRESS_APP, pinnedIPOf, pinnedLoadBalancerIPs } from '../../model/index.js';
import { MANAGED_BY, renderedBy } from '../header.js';
import type { RenderedFile } from '../types.js';
import { toYamlDocuments, withHeader } from '../yaml.js';

/** The "Hello Kubernetes!" page the reference lab serves at its ingressHost; listens on 8080. */
export const HELLO_KUBERNETES_IMAGE = 'paulbouwer/hello-kubernetes:1.10';
const APP_PORT = 8080;

/**
 * The ingress test application: Deployment, ClusterIP Service and an Ingress of class cilium
 * for the cluster's ingressHost. Only when the cluster has an ingressHost and the Cilium Ingress is on.
 */
export function renderIngressApp(platform: Platform, cluster: ClusterSpec): RenderedFile | undefined {
  const { cilium, mesh } = platform.spec;
  if (!cluster.ingressHost || !cilium.ingress.enabled) return undefined;
  const { namespace } = INGRESS_APP;
  const selector = { app: INGRESS_APP.deployment };
  const labels = { ...selector, ...MANAGED_BY };
  // Dedicated mode gives this Ingress its own LoadBalancer Service; Cilium copies lbipam.cilium.io
  // annotations from the Ingress onto it, which pins the VIP the plan predicted.
  const dedicatedIP = cilium.ingress.mode === 'dedicated' ? pinnedIPOf(pinnedLoadBalancerIPs(cilium, mesh, cluster), `cilium-ingress-${INGRESS_APP.ingress}`) : undefined;
  const docs = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...MANAGED_BY } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: INGRESS_APP.deployment, namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            containers: [
              {
                name: 'hello-kubernetes',
                image: HELLO_KUBERNETES_IMAGE,
                ports: [{ name: 'http', containerPort: APP_PORT }],
                // The page shows which pod and node answered: proof the Ingress spreads requests.
                env: [
                  { name: 'KUBERNETES_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'KUBERNETES_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'KUBERNETES_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                ],
                readinessProbe: { httpGet: { path: '/', port: APP_PORT } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: INGRESS_APP.service, namespace, labels },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: APP_PORT }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: INGRESS_APP.ingress, namespace, labels, ...(dedicatedIP ? { annotations: { 'lbipam.cilium.io/ips': dedicatedIP } } : {}) },
      spec: {
        ingressClassName: 'cilium',
        rules: [
          {
            host: cluster.ingressHost,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: INGRESS_APP.service, port: { number: 80 } } } }] },
          },
        ],
      },
    },
  ];
  const header = [renderedBy(platform), `Ingress test application of cluster ${cluster.name}: "Hello Kubernetes!" at http://${cluster.ingressHost}/ through the Cilium Ingress.`];
  return { path: `${cluster.name}/manifests/02-ingress-app.yaml`, secret: false, content: withHeader(header, toYamlDocuments(docs)) };
}

import type { ClusterSpec, Platform } from '../../spec/index.js';
import { MANAGED_BY, renderedBy } from '../header.js';
import type { RenderedFile } from '../types.js';
import { toYamlDocuments, withHeader } from '../yaml.js';

/** Upstream cilium/cilium examples/kubernetes/clustermesh: cluster<N>.yaml and global-service-example.yaml. */
export const DEMO = { namespace: 'default', rebelBase: 'rebel-base', headless: 'rebel-base-headless', xWing: 'x-wing', configMap: 'rebel-base-response' } as const;

const CURL_LOCALHOST = ['curl', '-sS', '-o', '/dev/null', 'localhost'];

/** What one rebel-base pod answers; the trailing newline puts each curl answer on its own line, as the notebook shows. */
export function rebelBaseMessage(cluster: Pick<ClusterSpec, 'id'>): string {
  return `{"Galaxy": "Alderaan", "Cluster": "Cluster-${cluster.id}"}\n`;
}

/**
 * The Cluster Mesh demo as the notebook applied it: rebel-base answers with its cluster id,
 * x-wing is the client, and the global Service spreads x-wing's requests over the rebel-base
 * pods of every cluster. Only with the mesh on.
 */
export function renderGlobalServiceDemo(platform: Platform, cluster: ClusterSpec): RenderedFile | undefined {
  if (!platform.spec.mesh.enabled) return undefined;
  const { namespace } = DEMO;
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace, labels: { ...MANAGED_BY }, ...extra });
  const deployment = (name: string, container: Record<string, unknown>, podSpec: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: { replicas: 2, selector: { matchLabels: { name } }, template: { metadata: { labels: { name } }, spec: { containers: [container], ...podSpec } } },
  });
  // Same name and namespace in every cluster plus this annotation: Cilium merges the backends of all clusters.
  const global = { annotations: { 'service.cilium.io/global': 'true' } };
  const docs = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(DEMO.configMap), data: { message: rebelBaseMessage(cluster) } },
    deployment(
      DEMO.rebelBase,
      {
        name: DEMO.rebelBase,
        image: 'docker.io/nginx:1.15.8',
        volumeMounts: [{ name: 'html', mountPath: '/usr/share/nginx/html/' }],
        livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 },
        readinessProbe: { httpGet: { path: '/', port: 80 } },
      },
      { volumes: [{ name: 'html', configMap: { name: DEMO.configMap, items: [{ key: 'message', path: 'index.html' }] } }] },
    ),
    deployment(DEMO.xWing, {
      name: 'x-wing-container',
      image: 'docker.io/cilium/json-mock:1.2',
      livenessProbe: { exec: { command: CURL_LOCALHOST } },
      readinessProbe: { exec: { command: CURL_LOCALHOST } },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(DEMO.rebelBase, global),
      spec: { type: 'ClusterIP', ports: [{ port: 80 }], selector: { name: DEMO.rebelBase } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(DEMO.headless, global),
      spec: { type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 80 }], selector: { name: DEMO.rebelBase } },
    },
  ];
  const header = [
    renderedBy(platform),
    `Cluster Mesh demo for cluster ${cluster.name} (id ${cluster.id}), from cilium/cilium examples/kubernetes/clustermesh:`,
    `rebel-base answers "Cluster-${cluster.id}"; requests to the global Service rebel-base reach every cluster's rebel-base.`,
  ];
  return { path: `${cluster.name}/manifests/03-global-service-demo.yaml`, secret: false, content: withHeader(header, toYamlDocuments(docs)) };
}

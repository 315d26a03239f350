import * as https from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { MissingContext } from './endpoint.js';
import type { ApiEndpoint } from './http.js';

export { clusterUid, getJson, isLabVersion, isNotFound, serverVersion, statusOf } from './http.js';
export type { ApiEndpoint } from './http.js';
export { MissingContext } from './endpoint.js';

/**
 * One cluster through client-node: a kubeconfig file and the context named after the cluster (or
 * --context). This module loads client-node; apply reaches it only through an endpoint's
 * `full()` (kube/endpoint.ts), when a step has something to do.
 */
export interface ClusterClient extends ApiEndpoint {
  kc: k8s.KubeConfig;
  objects: k8s.KubernetesObjectApi;
  core: k8s.CoreV1Api;
}

export function clusterClient(kubeconfig: string, cluster: string, context: string): ClusterClient {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  if (!kc.getContextObject(context)) throw new MissingContext(cluster, context, kubeconfig);
  kc.setCurrentContext(context);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`context ${context} has no cluster`);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  const requestOptions = async (): Promise<https.RequestOptions> => {
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    return opts;
  };
  return { cluster, context, server, kc, objects: k8s.KubernetesObjectApi.makeApiClient(kc), core: kc.makeApiClient(k8s.CoreV1Api), agent, requestOptions, close: () => agent.destroy() };
}

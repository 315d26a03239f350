import type { ClusterClient } from '../kube/client.js';
import { getJson } from '../kube/http.js';
import type { Readiness } from '../kube/wait.js';

const ready = (waitingFor: string): Readiness => ({ ready: true, waitingFor });
const notYet = (waitingFor: string): Readiness => ({ ready: false, waitingFor });

/**
 * A DaemonSet rolled out on every node it targets: the status fields helm's ReadyChecker reads
 * (pkg/kube/ready.go daemonSetReady: observedGeneration, updatedNumberScheduled, numberReady).
 */
export async function daemonSetReady(c: ClusterClient, ns: string, name: string, what: string): Promise<Readiness> {
  const ds = await getJson(c, `/apis/apps/v1/namespaces/${ns}/daemonsets/${name}`);
  if (!ds) return notYet(`${what} (daemonset ${ns}/${name} not created yet) in ${c.cluster}`);
  const s = ds.status ?? {};
  const desired = Number(s.desiredNumberScheduled ?? 0);
  const readyCount = Number(s.numberReady ?? 0);
  const label = `${readyCount}/${desired} ${what} Ready in ${c.cluster}`;
  if ((s.observedGeneration ?? 0) < (ds.metadata?.generation ?? 0)) return notYet(`${what} rollout to start in ${c.cluster}`);
  if (desired === 0 || readyCount < desired || Number(s.updatedNumberScheduled ?? 0) < desired) return notYet(label);
  return ready(label);
}

/** A Deployment available with all its replicas updated (helm ready.go deploymentReady; kubectl rollout status). */
export async function deploymentReady(c: ClusterClient, ns: string, name: string): Promise<Readiness> {
  const d = await getJson(c, `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
  if (!d) return notYet(`deployment ${ns}/${name} to be created in ${c.cluster}`);
  const want = Number(d.spec?.replicas ?? 1);
  const s = d.status ?? {};
  const label = `${Number(s.availableReplicas ?? 0)}/${want} replicas of deployment ${ns}/${name} available in ${c.cluster}`;
  if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) return notYet(`deployment ${ns}/${name} rollout to start in ${c.cluster}`);
  if (Number(s.updatedReplicas ?? 0) < want || Number(s.availableReplicas ?? 0) < want) return notYet(label);
  return ready(label);
}

export async function nodesReady(c: ClusterClient): Promise<Readiness> {
  const list = await getJson(c, '/api/v1/nodes');
  const nodes: any[] = list?.items ?? [];
  const readyNodes = nodes.filter((n) => (n.status?.conditions ?? []).some((x: any) => x.type === 'Ready' && x.status === 'True'));
  const label = `${readyNodes.length}/${nodes.length} nodes Ready in ${c.cluster}`;
  return nodes.length > 0 && readyNodes.length === nodes.length ? ready(label) : notYet(label);
}

/** A CRD registered and Established (the operator registers Cilium's CRDs). */
export async function crdEstablished(c: ClusterClient, name: string): Promise<Readiness> {
  const crd = await getJson(c, `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
  const established = (crd?.status?.conditions ?? []).some((x: any) => x.type === 'Established' && x.status === 'True');
  return crd && (established || !crd.status?.conditions) ? ready(`CRD ${name} in ${c.cluster}`) : notYet(`CRD ${name} in ${c.cluster}`);
}

/** A LoadBalancer Service holding the address plan predicted. */
export async function serviceAddress(c: ClusterClient, ns: string, name: string, ip: string): Promise<Readiness> {
  const svc = await getJson(c, `/api/v1/namespaces/${ns}/services/${name}`);
  const got: string[] = (svc?.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip).filter(Boolean);
  if (got.includes(ip)) return ready(`${ns}/${name} on ${ip} in ${c.cluster}`);
  return notYet(`${ns}/${name} to get ${ip} (plan's prediction) in ${c.cluster}${got.length ? `; it holds ${got.join(', ')}` : svc ? ', <pending>' : ', service not created yet'}`);
}

/** An Ingress with an address (the Cilium ingress controller sets it from cilium-ingress's). */
export async function ingressAddress(c: ClusterClient, ns: string, name: string): Promise<Readiness> {
  const ing = await getJson(c, `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${name}`);
  const got: string[] = (ing?.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip ?? i.hostname).filter(Boolean);
  return got.length ? ready(`ingress ${ns}/${name} on ${got.join(', ')} in ${c.cluster}`) : notYet(`ingress ${ns}/${name} to get an address in ${c.cluster}`);
}

/** Every check in order: the first that is not ready is what the step is waiting for. */
export async function allOf(checks: Array<() => Promise<Readiness>>): Promise<Readiness> {
  let last = ready('');
  for (const check of checks) {
    last = await check();
    if (!last.ready) return last;
  }
  return last;
}

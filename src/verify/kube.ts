import { getJson, type ClusterClient } from '../ops/index.js';

/** Items of a list path (empty when the API does not serve it). */
export async function listItems(c: ClusterClient, path: string): Promise<any[]> {
  const list = await getJson(c, path);
  return (list?.items ?? []) as any[];
}

/** The Ready condition of a node or pod. */
export function readyCondition(obj: any): { status: string; message: string } {
  const cond = (obj?.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
  return { status: String(cond?.status ?? 'Unknown'), message: String(cond?.message ?? cond?.reason ?? '') };
}

/** The Cilium agents of a cluster: pods labelled k8s-app=cilium in kube-system (the chart's selector). */
export async function agentPods(c: ClusterClient): Promise<Array<{ name: string; node: string; running: boolean }>> {
  const pods = await listItems(c, '/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium');
  return pods.map((p) => ({ name: String(p.metadata.name), node: String(p.spec?.nodeName ?? ''), running: p.status?.phase === 'Running' }));
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

import { apiStatusOf, getJson, statusOf, type ClusterClient } from '../../ops/index.js';
import { PROBE_LABEL, PROBE_LIFETIME_SECONDS, PROBE_OWNER_ANNOTATION } from './pod.js';

/** A probe pod that could not be made or never ran: verify cannot look (exit 3), and says why. */
export class ProbeError extends Error {}

/** Container states that do not pass by waiting (kubelet's waiting reasons). */
const STUCK = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** How often a starting probe is looked at (cilium-cli check/wait.go: PollInterval, one second). */
const POLL_MS = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The message of a client-node ApiException (its body is the API's Status), else the error's own. */
export function apiMessage(err: unknown): string {
  return apiStatusOf(err)?.message || (err instanceof Error ? err.message : String(err));
}

/**
 * The namespace for probes: made (with the probe label) when missing. True when it is verify's to
 * delete afterwards: this run made it, or a killed run did (it carries the label). A Terminating
 * one (a previous run's, going) is waited out first.
 */
export async function ensureNamespace(c: ClusterClient, name: string, run: string, deadline: () => number): Promise<boolean> {
  for (;;) {
    const ns = await getJson(c, `/api/v1/namespaces/${name}`);
    if (ns && ns.status?.phase !== 'Terminating') return ns.metadata?.labels?.[PROBE_LABEL] !== undefined;
    if (!ns) {
      try {
        await c.core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [PROBE_LABEL]: run } } } });
        return true;
      } catch (err) {
        if (statusOf(err) !== 409) throw new ProbeError(`cannot create namespace ${name} for the probe pod in ${c.cluster}: ${apiMessage(err)}${statusOf(err) === 403 ? ' (RBAC: verify needs to create namespaces, or give --probe-namespace an existing one)' : ''}`);
        continue;
      }
    }
    if (Date.now() > deadline()) throw new ProbeError(`namespace ${name} in ${c.cluster} is still Terminating (a previous run's): wait, or give --probe-namespace another`);
    await sleep(POLL_MS);
  }
}

/**
 * Creates the probe pod and waits until it runs; removes it again when it cannot run. `deadline`
 * is read at every look: verify stopping (Ctrl-C) moves it to now.
 */
export async function startProbe(c: ClusterClient, manifest: Record<string, any>, deadline: () => number): Promise<{ namespace: string; name: string }> {
  const namespace = String(manifest.metadata.namespace);
  let name: string;
  try {
    const created = await c.core.createNamespacedPod({ namespace, body: manifest as any });
    name = String(created.metadata?.name);
  } catch (err) {
    const why = statusOf(err) === 403 ? (/quota/i.test(apiMessage(err)) ? ' (a ResourceQuota)' : ' (RBAC or admission: verify needs to create pods and pods/exec there)') : '';
    throw new ProbeError(`cannot create the probe pod in ${c.cluster} namespace ${namespace}: ${apiMessage(err)}${why}`);
  }
  const probe = { namespace, name };
  try {
    await waitRunning(c, probe, deadline);
    return probe;
  } catch (err) {
    await deleteProbe(c, probe);
    throw err;
  }
}

async function waitRunning(c: ClusterClient, p: { namespace: string; name: string }, deadline: () => number): Promise<void> {
  let last = 'not yet scheduled';
  for (;;) {
    const pod = await getJson(c, `/api/v1/namespaces/${p.namespace}/pods/${p.name}`);
    if (!pod) throw new ProbeError(`probe pod ${p.namespace}/${p.name} in ${c.cluster} was deleted while starting`);
    const phase = String(pod.status?.phase ?? 'Pending');
    if (phase === 'Running') return;
    const image = pod.spec?.containers?.[0]?.image;
    const waiting = (pod.status?.containerStatuses ?? []).map((s: any) => s.state?.waiting).find((w: any) => w?.reason);
    if (waiting && STUCK.has(waiting.reason)) throw new ProbeError(`probe pod ${p.namespace}/${p.name} in ${c.cluster} cannot start: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''} (image ${image}; pre-pull it or give --probe-image one your registry serves)`);
    if (phase === 'Failed' || phase === 'Succeeded') throw new ProbeError(`probe pod ${p.namespace}/${p.name} in ${c.cluster} ended (${phase}${pod.status?.reason ? `: ${pod.status.reason}` : ''}) before it ran`);
    const unscheduled = (pod.status?.conditions ?? []).find((x: any) => x.type === 'PodScheduled' && x.status === 'False');
    last = unscheduled ? `unschedulable: ${unscheduled.message ?? unscheduled.reason}` : waiting ? `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` : `${phase}`;
    if (Date.now() > deadline()) throw new ProbeError(`probe pod ${p.namespace}/${p.name} in ${c.cluster} did not run in time: ${last}`);
    await sleep(POLL_MS);
  }
}

/** Deletes a probe at once (grace 0); gone already is fine. */
export async function deleteProbe(c: ClusterClient, p: { namespace: string; name: string }): Promise<void> {
  try {
    await c.core.deleteNamespacedPod({ name: p.name, namespace: p.namespace, gracePeriodSeconds: 0 });
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
}

/**
 * Deletes verify's probe namespace, unless another run's probe still runs there, and waits (a
 * bounded while) until it is gone, as cilium-cli's deleteDeployments does.
 */
export async function deleteNamespace(c: ClusterClient, name: string, deadline: number): Promise<void> {
  const others = await getJson(c, `/api/v1/namespaces/${name}/pods?labelSelector=${encodeURIComponent(PROBE_LABEL)}`);
  if ((others?.items ?? []).length) return;
  try {
    await c.core.deleteNamespace({ name });
  } catch (err) {
    if (statusOf(err) === 404) return;
    throw err;
  }
  while (Date.now() < deadline && (await getJson(c, `/api/v1/namespaces/${name}`))) await sleep(POLL_MS);
}

export interface ProbeOwner {
  host: string;
  pid: number;
}

/**
 * Probe pods a killed run left behind: made on this host by a process that is gone, finished
 * (the kubelet ended them at activeDeadlineSeconds), or older than a probe lives. A live run's
 * probe (another terminal, another host) is left alone. Deleted with grace 0; returns their names.
 */
export async function sweepLeftovers(c: ClusterClient, self: ProbeOwner, now: number, alive: (pid: number) => boolean, namespace: string): Promise<string[]> {
  const selector = `labelSelector=${encodeURIComponent(PROBE_LABEL)}`;
  // every namespace (from-pod probes live beside their pods); RBAC limited to the probe namespace: that one; else nothing to sweep
  const list = await getJson(c, `/api/v1/pods?${selector}`).catch((err) => (statusOf(err) === 403 ? getJson(c, `/api/v1/namespaces/${namespace}/pods?${selector}`).catch(() => undefined) : Promise.reject(err)));
  const gone: string[] = [];
  for (const pod of (list?.items ?? []) as any[]) {
    const owner = String(pod.metadata?.annotations?.[PROBE_OWNER_ANNOTATION] ?? '');
    const [host, pid] = [owner.slice(0, owner.lastIndexOf('/')), Number(owner.slice(owner.lastIndexOf('/') + 1))];
    const age = (now - Date.parse(pod.metadata?.creationTimestamp ?? '')) / 1000;
    const finished = ['Succeeded', 'Failed'].includes(pod.status?.phase);
    const orphaned = host === self.host && pid !== self.pid && !alive(pid);
    if (!finished && !orphaned && !(age > PROBE_LIFETIME_SECONDS)) continue;
    const p = { namespace: String(pod.metadata.namespace), name: String(pod.metadata.name) };
    await deleteProbe(c, p);
    gone.push(`${p.namespace}/${p.name}`);
  }
  return gone;
}

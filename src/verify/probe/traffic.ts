import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { execCommand, getJson, type ClusterClient } from '../../ops/index.js';
import type { ClusterAccess, ProbeAnswer, Traffic } from '../types.js';
import { answeringCluster } from './backend.js';
import { parseProbeOutput, probeCurlCommand } from './curl.js';
import { processAlive } from '../../lab/index.js';
import { deleteNamespace, deleteProbe, ensureNamespace, ProbeError, startProbe, sweepLeftovers } from './lifecycle.js';
import { DEFAULT_PROBE_NAMESPACE, PROBE_LIFETIME_SECONDS, probePod } from './pod.js';

export interface ProbeOptions {
  /** The probe's image (--probe-image). */
  image: string;
  /** --probe-namespace: an existing namespace; default: DEFAULT_PROBE_NAMESPACE, made and removed by verify. */
  namespace?: string;
  /** The run's seed: it marks the probe's output lines (and so picks the lab's answers reproducibly). */
  seed: number;
  /** How long a probe may take to run (its image may have to be pulled). */
  startTimeoutMs?: number;
  /** Where a TLS client reaches "VIP:2379" (the lab's loopback mapping there; the address itself on real clusters). */
  tlsTarget(address: string): Promise<{ host: string; port: number } | undefined>;
  /** Where a probe that could not be removed is reported (stderr); cleanup never throws. */
  warn?(line: string): void;
}

export interface ProbeTraffic extends Traffic {
  /** Removes every probe pod this run made (and verify's namespace); safe to call twice. */
  close(): Promise<void>;
}

/** curl's limits per request: a dropped SYN fails after 2 s (the lab shortcut's --connect-timeout), a slow answer after 5 s. */
const CONNECT_TIMEOUT_S = 2;
const MAX_TIME_S = 5;

interface ClusterProbes {
  access: ClusterAccess;
  /** Leftovers of killed runs swept: once per cluster. */
  swept?: Promise<void>;
  /** The probe namespace there; true when verify deletes it afterwards. */
  ownsNamespace?: Promise<boolean>;
  /** One probe per source ("" = the run's own probe in the probe namespace; else "ns/pod"). */
  probes: Map<string, Promise<{ namespace: string; name: string }>>;
}

/**
 * In-cluster requests from probe pods, over the Kubernetes API only: a pod is created on first
 * use in each client cluster (one per cluster and run, not per request; one more per source pod
 * a check sends "from"), waited for until it runs, the N requests go as one exec of curl with N
 * URLs, and close() deletes it (grace 0). Leftovers of a killed run are swept at the first use.
 */
export function probeTraffic(clusters: readonly ClusterAccess[], opts: ProbeOptions): ProbeTraffic {
  const run = randomBytes(6).toString('hex');
  const self = { host: hostname(), pid: process.pid };
  const namespace = opts.namespace ?? DEFAULT_PROBE_NAMESPACE;
  const marker = `meshwright-probe-${opts.seed}`;
  // each wait has its own deadline; close() (Ctrl-C) moves them all to now, ending any wait
  let stopAt = Number.POSITIVE_INFINITY;
  const deadline = (): (() => number) => {
    const until = Date.now() + (opts.startTimeoutMs ?? 120_000);
    return () => Math.min(until, stopAt);
  };
  const state = new Map<string, ClusterProbes>(clusters.map((a) => [a.spec.name, { access: a, probes: new Map() }]));
  const specs = clusters.map((c) => c.spec);

  // leftovers first, once per cluster; the probe namespace only when the run's own probe needs it
  const swept = (s: ClusterProbes) => (s.swept ??= sweepLeftovers(s.access.client, self, Date.now(), processAlive, namespace).then(() => undefined));
  const namespaced = (s: ClusterProbes) => (s.ownsNamespace ??= opts.namespace === undefined ? ensureNamespace(s.access.client, namespace, run, deadline()) : Promise.resolve(false));

  const probeFor = (cluster: string, from: string | undefined) => {
    const s = state.get(cluster);
    if (!s) throw new Error(`no cluster ${cluster} in this run`);
    const key = from ?? '';
    let p = s.probes.get(key);
    if (!p) {
      p = (async () => {
        await swept(s);
        const client = s.access.client;
        const owner = `${self.host}/${self.pid}`;
        const src = from ? await sourcePod(client, from) : undefined;
        if (!src) await namespaced(s);
        return startProbe(client, probePod({ namespace: src?.namespace ?? namespace, image: opts.image, run, owner, ...(src ? { from: src } : {}) }), deadline());
      })();
      s.probes.set(key, p);
    }
    return p;
  };

  return {
    async curl(cluster, url, o) {
      const probe = await probeFor(cluster, o.from);
      const client = state.get(cluster)!.access.client;
      const argv = probeCurlCommand({ url, ...(o.method ? { method: o.method } : {}), headers: o.headers ?? [], count: o.count, marker, connectTimeout: CONNECT_TIMEOUT_S, maxTime: MAX_TIME_S });
      const r = await execCommand(client, probe.namespace, probe.name, 'probe', argv, o.count * (MAX_TIME_S + 1) * 1000 + 15_000);
      const answers = parseProbeOutput(r.stdout, marker, o.count);
      if (!answers) throw new ProbeError(`curl in probe pod ${probe.namespace}/${probe.name} of ${cluster} (image ${opts.image}) did not answer as asked (exit ${r.exitCode}): ${(r.stderr || r.message || r.stdout).trim().slice(0, 300)} — the probe image needs curl 7.75.0 or later`);
      return answers.map((a): ProbeAnswer => {
        const answered = a.exitCode === 0 ? answeringCluster(a.body, specs) : undefined;
        return answered ? { ...a, backend: { cluster: answered } } : a;
      });
    },
    tlsTarget: (address) => opts.tlsTarget(address),
    async close() {
      stopAt = 0;
      // cleanup never replaces the report: a cluster gone mid-run leaves its probe to the next run's sweep (and to activeDeadlineSeconds)
      const done = await Promise.allSettled(
        [...state.values()].map(async (s) => {
          const made = await Promise.allSettled([...s.probes.values()]);
          s.probes.clear();
          for (const m of made) if (m.status === 'fulfilled') await deleteProbe(s.access.client, m.value);
          const owns = s.ownsNamespace ? await s.ownsNamespace.catch(() => false) : false;
          s.ownsNamespace = undefined;
          if (owns) await deleteNamespace(s.access.client, namespace, Date.now() + 30_000);
        }),
      );
      for (const d of done) if (d.status === 'rejected') opts.warn?.(`could not remove a probe pod: ${d.reason instanceof Error ? d.reason.message : String(d.reason)} (the next verify removes it; it ends itself within ${PROBE_LIFETIME_SECONDS / 60} minutes)`);
    },
  };
}

/** The pod a probe stands in for: its labels, service account and uid. */
async function sourcePod(c: ClusterClient, from: string): Promise<{ namespace: string; name: string; uid: string; labels: Record<string, string>; serviceAccountName?: string }> {
  const [ns, name] = from.includes('/') ? (from.split('/', 2) as [string, string]) : ['default', from];
  const pod = await getJson(c, `/api/v1/namespaces/${ns}/pods/${name}`);
  if (!pod) throw new ProbeError(`pod ${ns}/${name} not found in ${c.cluster}: a probe cannot stand in for it`);
  return { namespace: ns, name, uid: String(pod.metadata.uid), labels: { ...(pod.metadata.labels ?? {}) }, ...(pod.spec?.serviceAccountName ? { serviceAccountName: String(pod.spec.serviceAccountName) } : {}) };
}

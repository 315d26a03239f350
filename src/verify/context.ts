import { existsSync, readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { join } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { requestCurl, requestTlsEndpoint, type LabPki } from '../lab/index.js';
import { isLabVersion, MissingContext, readAgentStatus, serverVersion, type AgentStatus, type ClusterClient } from '../ops/index.js';
import { clusterClient } from '../ops/kube/index.js';
import { buildPlan, platformObjects } from '../plan/index.js';
import type { Platform } from '../spec/index.js';
import { agentPods } from './kube.js';
import { DEFAULT_PROBE_IMAGE, probeTraffic, type ProbeTraffic } from './probe/index.js';
import type { ClusterAccess, ProbeAnswer, Traffic, VerifyContext } from './types.js';

export interface VerifyRequest {
  platform: Platform;
  /** The kubeconfig the clusters are reached through (the lab's, or the user's). */
  kubeconfig: string;
  /** --context CLUSTER=CONTEXT; default: the cluster's name. */
  contexts: Record<string, string>;
  /** The state folder (the mesh CA is its ca.crt). */
  stateDir: string;
  requests: number;
  seed: number;
  alpha: number;
  /** Where cleanup problems are reported (the CLI's stderr). */
  warn?(line: string): void;
  /**
   * Where in-cluster requests come from: `pod`, probe pods (the default on real clusters; on the
   * lab too when asked, to run the real clusters' path end to end), or `lab`, the lab process's
   * shortcut (the lab's default). `image` and `namespace`: --probe-image, --probe-namespace.
   */
  probe?: { mode?: 'pod' | 'lab'; image?: string; namespace?: string; startTimeoutMs?: number };
}

const UNREACHABLE = 3;
const USAGE = 2;

/** Reaches every cluster, tells lab from real, and prepares what the checks share. */
export async function verifyContext(req: VerifyRequest): Promise<VerifyContext & { close(): Promise<void> }> {
  const { platform } = req;
  const clusters: ClusterAccess[] = [];
  let probes: ProbeTraffic | undefined;
  const closeClients = () => clusters.forEach((c) => c.client.close());
  // probe pods go first (through the clients), then the clients' connections
  const close = async () => {
    try {
      await probes?.close();
    } finally {
      closeClients();
    }
  };
  try {
    for (const spec of platform.spec.clusters) {
      const context = req.contexts[spec.name] ?? spec.name;
      let client: ClusterClient;
      try {
        client = clusterClient(req.kubeconfig, spec.name, context);
      } catch (err) {
        if (err instanceof MissingContext) throw new MeshwrightError({ severity: 'error', code: 'VERIFY_CONTEXT', file: req.kubeconfig, message: err.message, hint: `name the context with --context ${spec.name}=CONTEXT, or --kubeconfig another file` }, UNREACHABLE);
        throw new MeshwrightError({ severity: 'error', code: 'VERIFY_KUBECONFIG', file: req.kubeconfig, message: `cannot read ${req.kubeconfig}: ${(err as Error).message}`, hint: 'give a kubeconfig with --kubeconfig (or run meshwright apply first)' }, UNREACHABLE);
      }
      clusters.push({ spec, client });
    }
    const versions = await Promise.all(
      clusters.map(async ({ spec, client }) => {
        try {
          return (await serverVersion(client)).gitVersion;
        } catch (err) {
          throw new MeshwrightError({ severity: 'error', code: 'VERIFY_UNREACHABLE', message: `the API server of ${spec.name} (context ${client.context}, ${client.kc.getCurrentCluster()?.server}) does not answer: ${(err as Error).message}`, hint: 'meshwright lab status, or kubectl --context ' + client.context + ' version' }, UNREACHABLE);
        }
      }),
    );
    const labs = versions.filter(isLabVersion).length;
    if (labs && labs !== versions.length) throw new MeshwrightError({ severity: 'error', code: 'VERIFY_TARGET', message: 'some contexts reach the meshwright lab and some real clusters', hint: 'verify one platform at a time: --kubeconfig and --context choose where each cluster is reached' }, 1);
    const target = labs ? 'lab' : 'real';
    const mode = req.probe?.mode ?? (target === 'lab' ? 'lab' : 'pod');
    if (mode === 'lab' && target === 'real') throw new MeshwrightError({ severity: 'error', code: 'VERIFY_PROBE', message: '--probe lab needs the meshwright lab; these contexts reach real clusters', hint: 'leave out --probe: on real clusters requests go from probe pods' }, USAGE);
    let traffic: Traffic;
    if (mode === 'lab') traffic = await labTraffic(clusters);
    else {
      // on the lab, a TLS client still reaches VIP:2379 through the lab's loopback mapping, never the address itself
      const tls = target === 'lab' ? (await labTraffic(clusters)).tlsTarget : realTlsTarget;
      traffic = probes = probeTraffic(clusters, { image: req.probe?.image ?? DEFAULT_PROBE_IMAGE, seed: req.seed, tlsTarget: tls, ...(req.probe?.namespace ? { namespace: req.probe.namespace } : {}), ...(req.probe?.startTimeoutMs ? { startTimeoutMs: req.probe.startTimeoutMs } : {}), ...(req.warn ? { warn: req.warn } : {}) });
    }
    const caFile = join(req.stateDir, 'ca.crt');
    const agentCache = new Map<string, Promise<AgentStatus[]>>();
    const agents = (cluster: string) => {
      let p = agentCache.get(cluster);
      if (!p) {
        const client = clusters.find((c) => c.spec.name === cluster)!.client;
        p = agentPods(client).then((pods) => Promise.all(pods.filter((x) => x.running).map((pod) => readAgentStatus(client, pod))));
        agentCache.set(cluster, p);
      }
      return p;
    };
    return {
      platform,
      plan: buildPlan({ platform, objects: platformObjects(platform) }),
      target,
      clusters,
      traffic,
      ...(existsSync(caFile) ? { meshCaPem: readFileSync(caFile, 'utf8') } : {}),
      requests: req.requests,
      seed: req.seed,
      alpha: req.alpha,
      agents,
      close,
    };
  } catch (err) {
    closeClients();
    throw err;
  }
}

/** On real clusters a TLS client dials the clustermesh-apiserver's address ("VIP:2379") itself. */
async function realTlsTarget(address: string): Promise<{ host: string; port: number }> {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/**
 * Traffic on the lab: the lab process answers (src/lab/traffic: requestCurl), reached with the
 * kubeconfig's own credentials (the lab's CA and client certificate), so no spec address is ever
 * dialled — the lab resolves VIPs and Service names itself.
 */
async function labTraffic(clusters: ClusterAccess[]): Promise<Traffic> {
  const access = new Map<string, { port: number; pki: LabPki }>();
  for (const { spec, client } of clusters) {
    const opts: RequestOptions = {};
    await client.kc.applyToHTTPSOptions(opts);
    const pem = (x: unknown) => (x === undefined ? '' : Buffer.isBuffer(x) ? x.toString() : String(x));
    const port = Number(new URL(client.kc.getCurrentCluster()!.server).port);
    access.set(spec.name, { port, pki: { caPem: pem(opts.ca), clientCertPem: pem(opts.cert), clientKeyPem: pem(opts.key), serverCertPem: '', serverKeyPem: '' } });
  }
  const first = access.values().next().value!;
  return {
    async curl(cluster, url, o) {
      const a = access.get(cluster)!;
      const r = await requestCurl(a.port, a.pki, { cluster, url, headers: o.headers ?? [], count: o.count, seed: o.seed, connectTimeout: 2, ...(o.from ? { from: o.from } : {}), ...(o.method ? { method: o.method } : {}) });
      if ('error' in r) throw new Error(`lab curl ${url} from ${cluster}: ${r.error}`);
      return r.results.map((x): ProbeAnswer => ({ exitCode: x.exitCode, ...(x.httpStatus !== undefined ? { httpStatus: x.httpStatus } : {}), body: x.stdout, error: x.stderr, ...(x.backend ? { backend: x.backend } : {}) }));
    },
    async tlsTarget(address) {
      const port = await requestTlsEndpoint(first.port, first.pki, address);
      return port === null ? undefined : { host: '127.0.0.1', port };
    },
  };
}

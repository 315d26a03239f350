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
}

const UNREACHABLE = 3;

/** Reaches every cluster, tells lab from real, and prepares what the checks share. */
export async function verifyContext(req: VerifyRequest): Promise<VerifyContext & { close(): void }> {
  const { platform } = req;
  const clusters: ClusterAccess[] = [];
  const close = () => clusters.forEach((c) => c.client.close());
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
      ...(target === 'lab' ? { traffic: await labTraffic(clusters) } : {}),
      ...(existsSync(caFile) ? { meshCaPem: readFileSync(caFile, 'utf8') } : {}),
      requests: req.requests,
      seed: req.seed,
      alpha: req.alpha,
      agents,
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
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

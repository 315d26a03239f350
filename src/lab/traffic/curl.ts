import { getObj } from '../controllers/kit.js';
import type { Obj } from '../store/log-store.js';
import { serviceBackends, type Backend } from './backends.js';
import { BACKEND_BIAS_ENV, parseBackendBias, pickBackend, type BackendBias } from './bias.js';
import { answer } from './content.js';
import { labPolicy, type LabPolicy, type PeerRef } from './policy.js';
import { resolveFrontend, routeIngress } from './resolve.js';
import { SeededRandom } from './rng.js';
import { recordCarried, sourcePorts } from '../flows/index.js';
import { clusterOf, type TrafficWorld } from './world.js';

export interface CurlRequest {
  /** The cluster the request starts in (kubectl's --context). */
  cluster: string;
  url: string;
  /** -H values, "Name: value". */
  headers?: string[];
  /** curl's -X: the request method (default GET). */
  method?: string;
  /** A pod of `cluster` the request is sent from ("namespace/name"); else a node of the cluster. */
  from?: string;
  /** How many times (the notebook's `for I in {1..5}` loop). */
  count?: number;
  seed: number;
  /** curl's --connect-timeout, seconds. */
  connectTimeout?: number;
}

export interface CurlOutcome {
  /** curl's exit code. */
  exitCode: number;
  stdout: string;
  stderr: string;
  httpStatus?: number;
  /** The pod that answered. */
  backend?: { cluster: string; namespace: string; pod: string };
}

/** Bad input (unknown cluster or pod, a URL curl would refuse): the caller's mistake, not traffic. */
export class TrafficError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The kernel gives up a connect after tcp_syn_retries=6 (1+2+4+…+64 s). */
const KERNEL_CONNECT_TIMEOUT_MS = 127_000;

/**
 * Runs `count` requests as curl would from a node or pod of a lab cluster: the destination
 * resolved as Cilium resolves it (resolve.ts), a backend picked at random with a seeded source
 * (rng.ts) among those Cilium would use (backends.ts), the verdict of the policy engine `policy
 * explain` uses, and the backend's own answer (content.ts).
 */
export function labCurl(world: TrafficWorld, req: CurlRequest): CurlOutcome[] {
  const client = clusterOf(world, req.cluster);
  if (!client) throw new TrafficError(`the lab has no running cluster ${req.cluster}`, `clusters: ${world.clusters.filter((c) => c.running).map((c) => c.name).join(', ')}`);
  const url = parseUrl(req.url);
  const headers = parseHeaders(req.headers ?? []);
  const policy = labPolicy(world);
  let fromPod: Obj | undefined;
  if (req.from) {
    const [ns, name] = req.from.includes('/') ? req.from.split('/', 2) : ['default', req.from];
    fromPod = getObj(client.api, 'core/pods', ns!, name!);
    if (!fromPod?.status?.podIP) throw new TrafficError(`pod ${ns}/${name} ${fromPod ? 'has no IP yet' : 'not found'} in ${req.cluster}`, `list them: kubectl --context ${req.cluster} get pods -n ${ns}`);
  }
  const from: PeerRef | undefined = fromPod ? endpointRef(policy, req.cluster, fromPod) : { kind: 'entity', entity: 'host', cluster: req.cluster };
  if (!from) throw new TrafficError(`pod ${req.from} is on the host network or finished: it has no endpoint of its own`, 'send from a pod with its own IP');
  const rng = new SeededRandom(req.seed);
  const bias = parseBackendBias(process.env[BACKEND_BIAS_ENV]);
  // curl sends -X as written (methods are case-sensitive, RFC 9110 §9.1)
  const method = req.method ?? 'GET';
  if (!/^[A-Za-z]+$/.test(method)) throw new TrafficError(`-X ${req.method}: a request method is a word (GET, POST, PUT …)`, 'e.g. -X POST');
  const ctx: Ctx = { world, policy, rng, bias, url, method, headers, from, fromPod, clientNamespace: fromPod?.metadata.namespace ?? 'default', connectTimeout: req.connectTimeout, nextPort: sourcePorts(req.seed) };
  return Array.from({ length: Math.max(1, req.count ?? 1) }, () => once(ctx, req.cluster));
}

interface Url {
  host: string;
  port: number;
  path: string;
}

interface Ctx {
  world: TrafficWorld;
  policy: LabPolicy;
  rng: SeededRandom;
  /** Test hook: a biased backend choice (bias.ts); empty on a normal lab. */
  bias: BackendBias;
  url: Url;
  method: string;
  headers: Record<string, string>;
  from: PeerRef;
  /** The pod `from` names (its node is where its flows are seen). */
  fromPod: Obj | undefined;
  clientNamespace: string;
  connectTimeout: number | undefined;
  /** The next client port (its own seeded source: drawing one never changes the backends picked). */
  nextPort: () => number;
}

function parseUrl(text: string): Url {
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new TrafficError(`curl: (3) URL rejected: Malformed input to a URL function (${text})`, 'give it as http://NAME-or-ADDRESS[:PORT]/PATH');
  }
  if (u.protocol !== 'http:') throw new TrafficError(`${u.protocol.slice(0, -1)} is not simulated: the lab answers plain http`, 'use an http:// URL');
  return { host: u.hostname, port: Number(u.port || 80), path: u.pathname || '/' };
}

function parseHeaders(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    if (i <= 0) throw new TrafficError(`-H ${h}: a header is "Name: value"`, "e.g. -H 'Host: test-ingress.ilba.cat'");
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function header(ctx: Ctx, name: string): string | undefined {
  return Object.entries(ctx.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

function endpointRef(policy: LabPolicy, cluster: string, pod: Obj): PeerRef | undefined {
  const endpoint = policy.endpoint(cluster, pod.metadata.namespace, pod.metadata.name);
  return endpoint ? { kind: 'endpoint', endpoint } : undefined;
}

function once(ctx: Ctx, client: string): CurlOutcome {
  const { url } = ctx;
  const fe = resolveFrontend(ctx.world, client, url.host, ctx.clientNamespace);
  switch (fe.kind) {
    case 'unresolved':
      return fail(6, `Could not resolve host: ${url.host}`);
    case 'unreachable':
      return timeout(ctx);
    case 'pod':
      return send(ctx, ctx.from, { cluster: fe.cluster, namespace: fe.pod.metadata.namespace, pod: fe.pod.metadata.name, ip: fe.pod.status.podIP, port: url.port });
    case 'ingress': {
      const host = (header(ctx, 'Host') ?? url.host).replace(/:\d+$/, '');
      const route = routeIngress(fe.ingresses, host, url.path);
      // Envoy's answers without a route (404, empty) and without a healthy upstream (503)
      if (!route) return { exitCode: 0, stdout: '', stderr: '', httpStatus: 404 };
      const c = clusterOf(ctx.world, fe.cluster)!;
      const svc = getObj(c.api, 'core/services', route.ingress.metadata.namespace, route.service);
      const port = route.port.number ?? (svc?.spec?.ports ?? []).find((p: Obj) => p.name === route.port.name)?.port;
      const backends = svc && port !== undefined ? serviceBackends(ctx.world, fe.cluster, svc, port) : [];
      if (!backends.length) return { exitCode: 0, stdout: 'no healthy upstream', stderr: '', httpStatus: 503 };
      return send(ctx, { kind: 'entity', entity: 'ingress', cluster: fe.cluster }, pickBackend(ctx.rng, backends, ctx.bias), svc);
    }
    case 'service': {
      const svc = fe.service;
      if (svc.spec?.clusterIP === 'None') {
        // a headless name resolves to the ready pods' addresses (CoreDNS), this cluster's only
        const ready = serviceBackends(ctx.world, fe.cluster, svc, (svc.spec.ports?.[0]?.port as number) ?? url.port);
        if (!ready.length) return fail(6, `Could not resolve host: ${url.host}`);
        const b = ctx.rng.pick(ready);
        return send(ctx, ctx.from, { ...b, port: url.port });
      }
      if (!(svc.spec?.ports ?? []).some((p: Obj) => p.port === url.port)) return timeout(ctx);
      const backends = serviceBackends(ctx.world, fe.cluster, svc, url.port);
      // (unverified) Cilium's socket LB refuses a connect to a service without backends
      if (!backends.length) return fail(7, `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`);
      return send(ctx, ctx.from, pickBackend(ctx.rng, backends, ctx.bias), svc);
    }
  }
}

function send(ctx: Ctx, from: PeerRef, b: Backend, service?: Obj): CurlOutcome {
  const c = clusterOf(ctx.world, b.cluster)!;
  const pod = getObj(c.api, 'core/pods', b.namespace, b.pod);
  const to = pod ? endpointRef(ctx.policy, b.cluster, pod) : undefined;
  if (!pod || !to) return timeout(ctx);
  const declared = (pod.spec?.containers ?? []).flatMap((x: Obj) => (x.ports ?? []).map((p: Obj) => p.containerPort));
  if (declared.length && !declared.includes(b.port)) return fail(7, `Failed to connect to ${ctx.url.host} port ${ctx.url.port} after 0 ms: Couldn't connect to server`);
  const host = header(ctx, 'Host') ?? (ctx.url.port === 80 ? ctx.url.host : `${ctx.url.host}:${ctx.url.port}`);
  const verdict = ctx.policy.engine.explain({ from, to, port: b.port, protocol: 'TCP', http: { method: ctx.method, path: ctx.url.path, host, headers: { Host: host, ...ctx.headers } } });
  const backend = { cluster: b.cluster, namespace: b.namespace, pod: b.pod };
  // the flows Hubble would show for this request (src/lab/flows), when the lab keeps a ring
  const record = (httpStatus?: number) => {
    if (!ctx.world.flows) return;
    const client = from.kind === 'endpoint' ? from.endpoint.cluster : from.kind === 'entity' ? from.cluster : b.cluster;
    recordCarried(ctx.world, ctx.policy.engine, {
      client,
      from,
      ...(from === ctx.from && ctx.fromPod ? { fromPod: ctx.fromPod } : {}),
      to,
      backend: { cluster: b.cluster, pod },
      ...(service ? { service: { name: service.metadata.name, namespace: service.metadata.namespace } } : {}),
      verdict,
      method: ctx.method,
      url: `http://${host}${ctx.url.path}`,
      ...(httpStatus !== undefined ? { httpStatus } : {}),
      port: b.port,
      sourcePort: ctx.nextPort(),
    });
  };
  if (verdict.verdict === 'denied' && verdict.stage === 'l3-l4') {
    record();
    return timeout(ctx);
  }
  // Cilium's Envoy answers a request no HTTP rule allows with 403 and its denied_403_body, by default
  // "Access denied" + CRLF (cilium/proxy cilium/l7policy.cc Config::Config, commit 94543384; cilium/cilium
  // Documentation/gettingstarted/demo.rst: `curl -s -XPUT …/v1/exhaust-port` prints "Access denied")
  if (verdict.verdict === 'denied') {
    record(403);
    return { exitCode: 0, stdout: 'Access denied\r\n', stderr: '', httpStatus: 403, backend };
  }
  const a = answer(c.api, pod, b.port, { method: ctx.method, path: ctx.url.path, host });
  record(a.status);
  return { exitCode: 0, stdout: a.body, stderr: '', httpStatus: a.status, backend };
}

function fail(code: number, message: string): CurlOutcome {
  return { exitCode: code, stdout: '', stderr: `curl: (${code}) ${message}\n` };
}

/**
 * A dropped SYN: curl gives up at --connect-timeout (lib/multi.c: "Connection timed out after
 * %ld milliseconds"), else when the kernel does (ETIMEDOUT after tcp_syn_retries; the wording of
 * that message is curl 8's connect failure with strerror (unverified)). Exit 28 either way.
 */
function timeout(ctx: Ctx): CurlOutcome {
  if (ctx.connectTimeout !== undefined) return fail(28, `Connection timed out after ${Math.round(ctx.connectTimeout * 1000)} milliseconds`);
  return fail(28, `Failed to connect to ${ctx.url.host} port ${ctx.url.port} after ${KERNEL_CONNECT_TIMEOUT_MS} ms: Connection timed out`);
}

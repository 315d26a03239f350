import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { apiVersionOf, type ResourceDef } from './catalog.js';
import { aggregated, aggregatedAsked, AGGREGATED_V2, AGGREGATED_V2BETA1, legacyApiVersions, legacyGroup, legacyGroupList, resourceList } from './discovery.js';
import { OpenApi } from './openapi.js';
import { ApiError, badRequest, internalError, methodNotSupported, notSimulated, pathNotFound, unsupportedMediaType } from './status.js';
import { partialMetadata, toTable, wantsPartialMetadata, wantsTable, type IncludeObject } from './table.js';
import { serveWatch } from './watch.js';
import { decodeProtobuf } from './protobuf.js';
import type { ClusterApi, FieldValidation, PatchType, WriteOptions } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import { scaleOf, writeScale } from '../service/scale.js';
import { serveMetrics } from '../metrics/index.js';

export interface AppOptions {
  /** host:port clients reach this server at (APIVersions.serverAddressByClientCIDRs). */
  address: string;
  bookmarkEveryMs?: number;
  /** Appended to every request log line. */
  log?: (line: string) => void;
}

const MAX_BODY = 3 * 1024 * 1024;

/**
 * The HTTP routes of one simulated cluster (json-server's `app` layer): parse the request,
 * call the ClusterApi, write JSON (or a Table, or a watch stream). Every error is a Status.
 */
export function createApp(api: ClusterApi, opts: AppOptions) {
  const openapi = new OpenApi(api.catalog);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'https://lab');
    try {
      await route(api, openapi, opts, req, res, url);
    } catch (err) {
      const e = err instanceof ApiError ? err : internalError(err);
      if (!(err instanceof ApiError)) opts.log?.(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendJson(res, e.code, e.status);
      else res.end();
    } finally {
      opts.log?.(`${req.method} ${url.pathname}${url.search} ${res.statusCode} ${Date.now() - started}ms`);
    }
  };
}

async function route(api: ClusterApi, openapi: OpenApi, opts: AppOptions, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const accept = req.headers.accept;
  const method = req.method ?? 'GET';
  if (path === '/version') return sendJson(res, 200, versionInfo(api.info.kubernetesVersion));
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return sendText(res, 200, 'ok');
  if (path === '/api' || path === '/apis') {
    const agg = aggregatedAsked(accept);
    if (agg) return sendJson(res, 200, aggregated(api.catalog, path === '/api', agg), agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
    return sendJson(res, 200, path === '/api' ? legacyApiVersions(opts.address) : legacyGroupList(api.catalog));
  }
  if (path === '/openapi/v3') return sendJson(res, 200, openapi.index());
  if (path === '/openapi/v2') {
    // An empty OpenAPI v2 document (a protobuf message with no fields): kubectl falls back to v2
    // for a kind v3 does not list, and then reports "no matches for kind", as against a real
    // server without that CRD. Everything kubectl uses is in v3.
    res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': '0' });
    return void res.end();
  }
  if (path.startsWith('/openapi/v3/')) {
    const doc = openapi.documentFor(path.slice('/openapi/v3/'.length));
    if (!doc) throw pathNotFound();
    res.writeHead(200, { 'Content-Type': 'application/json', ETag: `"${doc.hash}"`, 'Cache-Control': 'public, immutable' });
    return void res.end(doc.body);
  }
  const segs = path.split('/').filter(Boolean);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs[1]) {
    [group, version, rest] = ['', segs[1], segs.slice(2)];
  } else if (segs[0] === 'apis' && segs[1]) {
    if (!segs[2]) {
      const g = legacyGroup(api.catalog, segs[1]);
      if (!g) throw pathNotFound();
      return sendJson(res, 200, g);
    }
    [group, version, rest] = [segs[1], segs[2], segs.slice(3)];
  } else throw pathNotFound();
  if (!rest.length) {
    const list = resourceList(api.catalog, group, version);
    if (!list) throw pathNotFound();
    return sendJson(res, 200, list);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && ['status', 'finalize'].includes(rest[2]!) && rest.length === 3)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest as [string, string | undefined, string | undefined, ...string[]];
  const def = api.catalog.find(group, version, resource);
  if (!def || extra.length || (def.namespaced === false && namespace !== undefined)) throw pathNotFound();
  if (def.namespaced && name !== undefined && namespace === undefined) throw pathNotFound();
  if (subresource && !def.subresources.some((s) => s.name === subresource)) throw pathNotFound();
  const q = url.searchParams;
  const ns = namespace ?? '';
  if (def.apiService) return serveAggregated(api, def, namespace, name, subresource, method, q, accept, res);

  if (subresource === 'log') return serveLogs(api, def, ns, name!, q, res);
  if (subresource === 'scale' && !def.crd) {
    if (method === 'GET') return sendJson(res, 200, scaleOf(def, api.get(def, ns, name!)));
    const text = await readBody(req);
    const change = method === 'PATCH' ? { patch: { type: patchType(req.headers['content-type']), text } } : { body: parseBody(text) };
    return sendJson(res, 200, await writeScale(api, def, ns, name!, change, { dryRun: dryRun(q), ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}) }));
  }
  if (subresource && subresource !== 'status') throw notSimulated(`the ${resource}/${subresource} subresource`);

  if (method === 'GET' && name === undefined) {
    if (q.get('watch') === 'true' || q.get('watch') === '1') {
      const table = wantsTable(accept);
      const include = (q.get('includeObject') as IncludeObject | null) ?? 'Metadata';
      return serveWatch(api.store, def, res, {
        namespace,
        resourceVersion: q.get('resourceVersion'),
        labelSelector: q.get('labelSelector'),
        fieldSelector: q.get('fieldSelector'),
        bookmarks: q.get('allowWatchBookmarks') === 'true',
        sendInitialEvents: q.get('sendInitialEvents') === 'true',
        timeoutSeconds: q.get('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined,
        bookmarkEveryMs: opts.bookmarkEveryMs ?? 60_000,
        present: (o) => api.present(def, o),
        encode: (o, first) => (table ? toTable(def, [o], api.now(), { include, headers: first }) : o),
      });
    }
    const limit = Number(q.get('limit') ?? 0);
    const table = wantsTable(accept);
    // A Table list is answered whole: kubectl pages at 500 and each page costs it a round trip
    // (platform-io §3.5); a JSON list honours limit/continue as informers expect.
    const list = api.list(def, namespace, { labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector'), limit: table ? 0 : limit, continueToken: q.get('continue') });
    if (table) return sendJson(res, 200, toTable(def, list.items, api.now(), { resourceVersion: list.resourceVersion, include: (q.get('includeObject') as IncludeObject | null) ?? 'Metadata' }));
    if (wantsPartialMetadata(accept) === 'list') return sendJson(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: list.resourceVersion }, items: list.items.map(partialMetadata) });
    return sendJson(res, 200, {
      kind: `${def.kind}List`,
      apiVersion: apiVersionOf(def),
      metadata: { resourceVersion: list.resourceVersion, ...(list.continueToken ? { continue: list.continueToken, remainingItemCount: list.remaining } : {}) },
      items: list.items,
    });
  }
  if (method === 'GET') {
    const obj = api.get(def, ns, name!);
    if (wantsTable(accept)) return sendJson(res, 200, toTable(def, [obj], api.now(), { resourceVersion: obj.metadata.resourceVersion, include: (q.get('includeObject') as IncludeObject | null) ?? 'Metadata' }));
    if (wantsPartialMetadata(accept) === 'one') return sendJson(res, 200, partialMetadata(obj));
    return sendJson(res, 200, obj);
  }
  const writeOpts = (): WriteOptions => ({
    dryRun: dryRun(q),
    ...(q.get('fieldManager') ? { fieldManager: q.get('fieldManager')! } : {}),
    fieldValidation: fieldValidation(q.get('fieldValidation')),
    force: q.get('force') === 'true',
    ...(subresource ? { subresource } : {}),
    ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
  });
  if (method === 'POST' && name === undefined) {
    requireVerb(def, 'create');
    const r = await api.create(def, ns, await readObject(req), writeOpts());
    return sendJson(res, r.code, r.obj, undefined, r.warnings);
  }
  if (method === 'PUT' && name !== undefined) {
    requireVerb(def, 'update');
    const r = await api.update(def, ns, name, await readObject(req), writeOpts());
    return sendJson(res, r.code, r.obj, undefined, r.warnings);
  }
  if (method === 'PATCH' && name !== undefined) {
    requireVerb(def, 'patch');
    const type = patchType(req.headers['content-type']);
    const r = await api.patch(def, ns, name, type, await readBody(req), writeOpts());
    return sendJson(res, r.code, r.obj, undefined, r.warnings);
  }
  if (method === 'DELETE') {
    const body = await readBody(req);
    const options = body.trim() ? (parseBody(body) as Obj) : {};
    const propagation = (q.get('propagationPolicy') ?? options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : undefined)) as 'Background' | 'Foreground' | 'Orphan' | undefined;
    const del = { dryRun: dryRun(q) || (Array.isArray(options.dryRun) && options.dryRun.includes('All')), ...(propagation ? { propagationPolicy: propagation } : {}), ...(options.preconditions ? { preconditions: options.preconditions } : {}) };
    if (name === undefined) {
      requireVerb(def, 'deletecollection');
      return sendJson(res, 200, await api.deleteCollection(def, namespace, { labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector') }, del));
    }
    requireVerb(def, 'delete');
    return sendJson(res, 200, await api.delete(def, ns, name, del));
  }
  throw methodNotSupported(def, method);
}

/** An aggregated API (only metrics.k8s.io in the lab): read-only, no watch, no subresources. */
function serveAggregated(api: ClusterApi, def: ResourceDef, namespace: string | undefined, name: string | undefined, subresource: string | undefined, method: string, q: URLSearchParams, accept: string | undefined, res: ServerResponse): void {
  const watch = q.get('watch') === 'true' || q.get('watch') === '1';
  if (method !== 'GET' || subresource || watch) throw methodNotSupported(def, watch ? 'watch' : method.toLowerCase());
  const table = wantsTable(accept);
  sendJson(res, 200, serveMetrics(api, def, { namespace, name, labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector'), table, include: (q.get('includeObject') as IncludeObject | null) ?? 'Metadata' }));
}

function requireVerb(def: ResourceDef, verb: string): void {
  if (!def.verbs.includes(verb)) throw methodNotSupported(def, verb);
}

function serveLogs(api: ClusterApi, def: ResourceDef, ns: string, name: string, q: URLSearchParams, res: ServerResponse): void {
  const pod = api.get(def, ns, name);
  const containers: string[] = (pod.spec?.containers ?? []).map((c: Obj) => c.name);
  let container = q.get('container');
  if (!container) {
    if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
    container = containers[0]!;
  }
  if (!containers.includes(container) && !(pod.spec?.initContainers ?? []).some((c: Obj) => c.name === container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const lines = api.logs.get(`${ns}/${name}/${container}`) ?? [`meshwright lab: container ${container} of pod ${ns}/${name} is simulated; it runs no process and writes no logs`];
  const tail = q.get('tailLines') ? Number(q.get('tailLines')) : undefined;
  const shown = tail !== undefined ? lines.slice(Math.max(0, lines.length - tail)) : lines;
  sendText(res, 200, shown.map((l) => `${l}\n`).join(''));
}

function patchType(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]!.trim();
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
  }
  throw unsupportedMediaType(ct);
}

function dryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  for (const d of v) if (d !== 'All') throw badRequest(`Invalid dry run value: ${d}; supported values: All`);
  return v.includes('All');
}

function fieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/** A create or update body: JSON, or the protobuf envelope kubectl 1.32+ sends for typed requests. */
async function readObject(req: IncomingMessage): Promise<unknown> {
  const ct = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  const raw = await readRaw(req);
  if (ct === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(raw, ct);
  if (ct === 'application/yaml') {
    try {
      return parseYaml(raw.toString('utf8'));
    } catch (err) {
      throw badRequest(`error decoding the request body: ${(err as Error).message}`);
    }
  }
  if (ct !== 'application/json' && ct !== '*/*') throw unsupportedMediaType(ct);
  return parseBody(raw.toString('utf8'));
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRaw(req)).toString('utf8');
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the request is too large', reason: 'RequestEntityTooLarge', code: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`error decoding the request body: ${(err as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', warnings: string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-cache, private' };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/**
 * /version: a real 1.30 server's fields, with a gitVersion whose build metadata and extra
 * fields say it is the meshwright lab, so code for real clusters can refuse it (issue 15).
 */
export function versionInfo(kubernetesVersion: string): Record<string, unknown> {
  const m = /^v?(\d+)\.(\d+)/.exec(kubernetesVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '30',
    gitVersion: `${kubernetesVersion.startsWith('v') ? kubernetesVersion : `v${kubernetesVersion}`}+meshwright-lab`,
    gitCommit: 'meshwright-lab-simulated',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: 'simulated',
    compiler: 'meshwright-lab',
    platform: 'linux/amd64',
    meshwrightLab: { simulated: true, message: 'this API server is the meshwright lab: a simulation, not a real cluster' },
  };
}

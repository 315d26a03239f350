import { createHash } from 'node:crypto';
import { BUILTIN_COMPONENTS, type Catalog, type GroupVersion } from './catalog.js';

/**
 * OpenAPI v3 as kubectl reads it: an index of group-version documents, each with a `patch`
 * operation per kind carrying x-kubernetes-group-version-kind and the `fieldValidation` and
 * `dryRun` parameters (cli-runtime query_param_verifier_v3.go), so kubectl sends
 * fieldValidation=Strict and leaves validation to the server; and the kinds' schemas (with the
 * merge keys kubectl's strategic merge patch and `explain` read). Built-in schemas are
 * Kubernetes' own; a custom resource's is its CRD's.
 */
export class OpenApi {
  private cache = new Map<string, { generation: number; body: string; hash: string }>();

  constructor(private readonly catalog: Catalog) {}

  index(): Record<string, unknown> {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of this.catalog.groupVersions()) {
      const path = gvPath(gv);
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${this.document(gv).hash}` };
    }
    return { paths };
  }

  /** The document of "api/v1" or "apis/<group>/<version>", or undefined. */
  documentFor(path: string): { body: string; hash: string } | undefined {
    const gv = this.catalog.groupVersions().find((g) => gvPath(g) === path);
    return gv ? this.document(gv) : undefined;
  }

  private document(gv: GroupVersion): { body: string; hash: string } {
    const key = gvPath(gv);
    const hit = this.cache.get(key);
    if (hit && hit.generation === this.catalog.generation) return hit;
    const body = JSON.stringify(build(gv));
    const doc = { generation: this.catalog.generation, body, hash: createHash('sha512').update(body).digest('hex').slice(0, 64).toUpperCase() };
    this.cache.set(key, doc);
    return doc;
  }
}

function gvPath(gv: { group: string; version: string }): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function build(gv: GroupVersion): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const roots: string[] = [];
  const custom: Record<string, unknown> = {};
  for (const r of gv.resources) {
    // An aggregated API publishes its own OpenAPI through the aggregator; the lab publishes none.
    if (r.apiService) continue;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    let ref: string;
    if (r.crd) {
      const name = `${reverseDomain(r.group)}.${r.version}.${r.kind}`;
      custom[name] = { ...crdSchema(r.schema), 'x-kubernetes-group-version-kind': [gvk] };
      ref = name;
      roots.push(META);
    } else {
      ref = String((r.schema as { $ref?: string } | undefined)?.$ref ?? '').replace('#/components/schemas/', '');
      roots.push(ref);
    }
    const base = `/${gvPath(gv)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}/{name}`;
    const content = { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } };
    const params = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true } }));
    paths[base] = {
      get: { operationId: `read${r.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK', content } } },
      put: { operationId: `replace${r.kind}`, parameters: params.slice(0, 3), 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK', content } } },
      patch: {
        operationId: `patch${r.kind}`,
        parameters: params,
        // kubectl computes a strategic merge patch only where the server lists that media type
        // (apply.go gvkSupportsPatchOpenAPIV3); custom resources take merge patches, as upstream.
        requestBody: { content: Object.fromEntries(patchTypes(Boolean(r.crd)).map((t) => [t, { schema: { type: 'object' } }])), required: true },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        responses: { '200': { description: 'OK', content }, '201': { description: 'Created', content } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (meshwright lab, simulated)', version: 'unversioned' },
    paths,
    components: { schemas: { ...reachable(roots), ...custom } },
  };
}

function patchTypes(custom: boolean): string[] {
  return ['application/json-patch+json', 'application/merge-patch+json', ...(custom ? [] : ['application/strategic-merge-patch+json']), 'application/apply-patch+yaml'];
}

function reverseDomain(group: string): string {
  return group.split('.').reverse().join('.');
}

/** A CRD schema served as the apiserver builds it: metadata refers to ObjectMeta. */
function crdSchema(schema: unknown): Record<string, unknown> {
  const s = structuredClone((schema ?? {}) as Record<string, any>);
  s.properties = { ...(s.properties ?? {}), metadata: { $ref: `#/components/schemas/${META}` } };
  return s;
}

function reachable(roots: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop()!;
    if (!name || out[name] || !BUILTIN_COMPONENTS[name]) continue;
    out[name] = BUILTIN_COMPONENTS[name];
    JSON.stringify(BUILTIN_COMPONENTS[name], (k, v) => {
      if (k === '$ref' && typeof v === 'string') todo.push(v.replace('#/components/schemas/', ''));
      return v;
    });
  }
  return out;
}


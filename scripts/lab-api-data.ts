/**
 * Generates src/lab/data/builtin-api.json: the built-in API the lab serves, derived from
 * Kubernetes' own published OpenAPI v2 document of release-1.30 (api/openapi-spec/swagger.json),
 * never written by hand. Run:
 *
 *   node --import tsx scripts/lab-api-data.ts SWAGGER.json > src/lab/data/builtin-api.json
 *
 * SWAGGER.json: kubernetes-client/python tag v30.1.0, file kubernetes/swagger.json.unprocessed
 * (that repository's scripts/constants.py: KUBERNETES_BRANCH = "release-1.30"; the file is the
 * release branch's api/openapi-spec/swagger.json as fetched by its update-client.sh).
 *
 * From the document: every resource and subresource of the served group-versions (paths), its
 * kind (x-kubernetes-group-version-kind), scope (a /namespaces/{namespace}/ path), verbs
 * (x-kubernetes-action), and the schemas of the kinds with everything they reference (with the
 * patch and list extensions strategic merge and server-side apply read). Descriptions are
 * dropped to keep the file small. The OpenAPI document has no short names or categories: those
 * come from NAMES below, copied from kubernetes/kubernetes api/discovery/*.json.
 */
import { readFileSync } from 'node:fs';

const GROUP_VERSIONS = [
  'v1',
  'apps/v1',
  'batch/v1',
  'rbac.authorization.k8s.io/v1',
  'policy/v1',
  'networking.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'storage.k8s.io/v1',
  'apiextensions.k8s.io/v1',
];

/**
 * shortNames and categories, from kubernetes/kubernetes api/discovery/api__v1.json (4d817e79),
 * apis__apps__v1.json (7c66d0f8), apis__batch__v1.json (2e090810), apis__networking.k8s.io__v1.json
 * (7c66d0f8), apis__storage.k8s.io__v1.json (7c66d0f8), apis__policy__v1.json (7c66d0f8),
 * apis__apiextensions.k8s.io__v1.json (6732d913). Resources not listed here have neither.
 */
const NAMES: Record<string, { shortNames?: string[]; categories?: string[] }> = {
  'v1/componentstatuses': { shortNames: ['cs'] },
  'v1/configmaps': { shortNames: ['cm'] },
  'v1/endpoints': { shortNames: ['ep'] },
  'v1/events': { shortNames: ['ev'] },
  'v1/limitranges': { shortNames: ['limits'] },
  'v1/namespaces': { shortNames: ['ns'] },
  'v1/nodes': { shortNames: ['no'] },
  'v1/persistentvolumeclaims': { shortNames: ['pvc'] },
  'v1/persistentvolumes': { shortNames: ['pv'] },
  'v1/pods': { shortNames: ['po'], categories: ['all'] },
  'v1/replicationcontrollers': { shortNames: ['rc'], categories: ['all'] },
  'v1/resourcequotas': { shortNames: ['quota'] },
  'v1/serviceaccounts': { shortNames: ['sa'] },
  'v1/services': { shortNames: ['svc'], categories: ['all'] },
  'apps/v1/daemonsets': { shortNames: ['ds'], categories: ['all'] },
  'apps/v1/deployments': { shortNames: ['deploy'], categories: ['all'] },
  'apps/v1/replicasets': { shortNames: ['rs'], categories: ['all'] },
  'apps/v1/statefulsets': { shortNames: ['sts'], categories: ['all'] },
  'batch/v1/cronjobs': { shortNames: ['cj'], categories: ['all'] },
  'batch/v1/jobs': { categories: ['all'] },
  'networking.k8s.io/v1/ingresses': { shortNames: ['ing'] },
  'networking.k8s.io/v1/networkpolicies': { shortNames: ['netpol'] },
  'storage.k8s.io/v1/storageclasses': { shortNames: ['sc'] },
  'policy/v1/poddisruptionbudgets': { shortNames: ['pdb'] },
  'apiextensions.k8s.io/v1/customresourcedefinitions': { shortNames: ['crd', 'crds'], categories: ['api-extensions'] },
};

type Json = Record<string, any>;

interface Sub {
  name: string;
  kind: string;
  group: string;
  version: string;
  verbs: string[];
}

interface Resource {
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources: Sub[];
}

const ACTION_VERB: Record<string, string> = {
  get: 'get',
  list: 'list',
  post: 'create',
  put: 'update',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'deletecollection',
  watch: 'watch',
  watchlist: 'watch',
};
const CONNECT_VERB: Record<string, string> = { get: 'get', post: 'create', put: 'update', patch: 'patch', delete: 'delete' };
const VERB_ORDER = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function main(file: string): void {
  const swagger = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const groups: Json[] = [];
  const roots = new Set<string>();
  for (const gv of GROUP_VERSIONS) {
    const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
    const prefix = gv === 'v1' ? '/api/v1/' : `/apis/${gv}/`;
    const byName = new Map<string, { namespaced: boolean; verbs: Set<string>; gvk?: Json; sub?: string; parent: string }>();
    for (const [path, item] of Object.entries(swagger.paths as Json)) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      if (!rest) continue;
      const watchPath = rest.startsWith('watch/');
      const segs = (watchPath ? rest.slice(6) : rest).split('/');
      const namespaced = segs[0] === 'namespaces' && segs[1] === '{namespace}' && segs.length >= 3;
      const parts = (namespaced ? segs.slice(2) : segs).filter((s) => s !== '{name}' && s !== '{path}');
      const [parent, sub] = parts as [string, string | undefined];
      if (parts.length > 2) continue;
      const key = sub ? `${parent}/${sub}` : parent;
      const entry = byName.get(key) ?? { namespaced, verbs: new Set<string>(), parent, ...(sub ? { sub } : {}) };
      entry.namespaced ||= namespaced;
      for (const [method, op] of Object.entries(item as Json)) {
        if (method === 'parameters') continue;
        const action = (op as Json)['x-kubernetes-action'] as string;
        const verb = action === 'connect' ? CONNECT_VERB[method] : ACTION_VERB[action];
        if (verb) entry.verbs.add(verb);
        const gvk = (op as Json)['x-kubernetes-group-version-kind'] as Json | undefined;
        if (gvk && !entry.gvk && action !== 'deletecollection' && action !== 'delete') entry.gvk = gvk;
      }
      byName.set(key, entry);
    }
    const resources: Resource[] = [];
    for (const [key, e] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (e.sub) continue;
      if (!e.gvk) throw new Error(`no kind for ${gv} ${key}`);
      const names = NAMES[`${gv}/${key}`] ?? {};
      const subresources: Sub[] = [...byName.values()]
        .filter((s) => s.sub && s.parent === key)
        .map((s) => ({
          name: s.sub!,
          kind: s.gvk?.kind ?? e.gvk!.kind,
          group: s.gvk?.group ?? group,
          version: s.gvk?.version ?? version,
          verbs: VERB_ORDER.filter((v) => s.verbs.has(v)),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      resources.push({
        resource: key,
        kind: e.gvk.kind,
        singular: e.gvk.kind.toLowerCase(),
        namespaced: e.namespaced,
        verbs: VERB_ORDER.filter((v) => e.verbs.has(v)),
        ...names,
        subresources,
      });
      roots.add(definitionOf(swagger, group, version, e.gvk.kind));
    }
    groups.push({ group, version, resources });
  }
  const schemas = reachable(swagger.definitions as Json, roots);
  process.stdout.write(
    `${JSON.stringify({
      source: 'kubernetes release-1.30 api/openapi-spec/swagger.json (via kubernetes-client/python v30.1.0 kubernetes/swagger.json.unprocessed); names from kubernetes api/discovery; generated by scripts/lab-api-data.ts',
      groups,
      schemas,
    })}\n`,
  );
}

function definitionOf(swagger: Json, group: string, version: string, kind: string): string {
  for (const [name, def] of Object.entries(swagger.definitions as Json)) {
    const gvks = (def as Json)['x-kubernetes-group-version-kind'] as Json[] | undefined;
    if (gvks?.some((g) => g.group === group && g.version === version && g.kind === kind)) return name;
  }
  throw new Error(`no definition for ${group}/${version} ${kind}`);
}

/** The named schemas reachable from `roots`, without descriptions, refs pointing at components. */
function reachable(defs: Json, roots: Set<string>): Json {
  const out: Json = {};
  const todo = [...roots, 'io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'];
  while (todo.length) {
    const name = todo.pop()!;
    if (out[name]) continue;
    const def = defs[name];
    if (!def) throw new Error(`missing definition ${name}`);
    out[name] = strip(def, todo);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function strip(node: unknown, todo: string[], propertyNames = false): unknown {
  if (Array.isArray(node)) return node.map((n) => strip(n, todo));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    // a property may itself be called "description" (CustomResourceColumnDefinition has one)
    if (k === 'description' && !propertyNames) continue;
    if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([name, schema]) => [name, strip(schema, todo)]));
      continue;
    }
    if (k === '$ref' && typeof v === 'string') {
      const name = v.replace('#/definitions/', '');
      todo.push(name);
      out[k] = `#/components/schemas/${name}`;
      continue;
    }
    out[k] = strip(v, todo);
  }
  return out;
}

main(process.argv[2] ?? '');

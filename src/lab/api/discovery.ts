import { apiVersionOf, type Catalog, type GroupVersion, type ResourceDef } from './catalog.js';

/** Aggregated discovery (apidiscovery.k8s.io/v2): client-go accepts it only with this exact media type. */
export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated form the Accept header asks for (client-go discovery_client.go's order), if any. */
export function aggregatedAsked(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '');
    if (p.includes('as=APIGroupDiscoveryList') && p.includes('g=apidiscovery.k8s.io')) {
      if (p.includes('v=v2beta1')) return 'v2beta1';
      if (p.includes('v=v2')) return 'v2';
    }
  }
  return undefined;
}

function discoveryResource(r: ResourceDef): Record<string, unknown> {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
    ...(r.subresources.length
      ? { subresources: r.subresources.map((s) => ({ subresource: s.name, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs })) }
      : {}),
  };
}

/** /api (core) or /apis (every other group) as one APIGroupDiscoveryList. */
export function aggregated(catalog: Catalog, core: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const groups = byGroup(catalog.groupVersions().filter((gv) => (gv.group === '') === core));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(([name, versions]) => ({
      metadata: { name, creationTimestamp: null },
      versions: versions.map((gv) => ({ version: gv.version, resources: gv.resources.map(discoveryResource), freshness: 'Current' })),
    })),
  };
}

/** Group name → its versions, preferred (highest priority) first, groups in served order. */
function byGroup(gvs: GroupVersion[]): Array<[string, GroupVersion[]]> {
  const m = new Map<string, GroupVersion[]>();
  for (const gv of gvs) m.set(gv.group, [...(m.get(gv.group) ?? []), gv]);
  return [...m];
}

export function legacyApiVersions(address: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }] };
}

export function legacyGroupList(catalog: Catalog): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: byGroup(catalog.groupVersions().filter((gv) => gv.group !== '')).map(([name, versions]) => apiGroup(name, versions)) };
}

export function legacyGroup(catalog: Catalog, group: string): Record<string, unknown> | undefined {
  const versions = catalog.groupVersions().filter((gv) => gv.group === group);
  return versions.length ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) } : undefined;
}

function apiGroup(name: string, versions: GroupVersion[]): Record<string, unknown> {
  const list = versions.map((gv) => ({ groupVersion: `${name}/${gv.version}`, version: gv.version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** /api/v1 or /apis/<group>/<version> as an APIResourceList, subresources as "pods/status". */
export function resourceList(catalog: Catalog, group: string, version: string): Record<string, unknown> | undefined {
  const gv = catalog.groupVersions().find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of gv.resources) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      resources.push({
        name: `${r.resource}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.group !== r.group || s.version !== r.version ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(gv), resources };
}

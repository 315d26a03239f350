import builtin from '../data/builtin-api.json' with { type: 'json' };
import { SchemaSet, type Schema } from '../schema/schema.js';

export interface SubresourceDef {
  name: string;
  kind: string;
  group: string;
  version: string;
  verbs: string[];
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface ResourceDef {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources: SubresourceDef[];
  /** The object's schema (built-ins: a component; custom resources: the CRD's openAPIV3Schema). */
  schema: Schema | undefined;
  /** Custom resources: the CRD that defines them, its printer columns and whether it is the storage version. */
  crd?: { name: string; columns: PrinterColumn[]; storage: boolean; served: boolean };
  /** Served by an extension API server behind the aggregation layer (this APIService), not stored. */
  apiService?: string;
}

export interface GroupVersion {
  group: string;
  version: string;
  resources: ResourceDef[];
}

interface BuiltinData {
  groups: Array<{ group: string; version: string; resources: Array<Omit<ResourceDef, 'group' | 'version' | 'schema'>> }>;
  schemas: Record<string, Schema>;
}

const DATA = builtin as unknown as BuiltinData;

/**
 * Defaults of list-map key fields, which OpenAPI v2 (our source) leaves out and server-side apply
 * needs to identify items: `+default="TCP"` on ContainerPort.Protocol and ServicePort.Protocol
 * (k8s.io/api v0.30.4 core/v1/types.go), published in the apiserver's OpenAPI v3.
 */
for (const name of ['io.k8s.api.core.v1.ContainerPort', 'io.k8s.api.core.v1.ServicePort']) {
  const protocol = (DATA.schemas[name]?.properties as Record<string, Schema> | undefined)?.protocol;
  if (protocol) protocol.default = 'TCP';
}

/** The built-in kinds' schemas, shared by every cluster (validation, patches, OpenAPI). */
export const BUILTIN_SCHEMAS = new SchemaSet(DATA.schemas);
export const BUILTIN_COMPONENTS = DATA.schemas;

/** The storage key's resource part: "apps/deployments", "core/pods", "cilium.io/ciliumnodes". */
export const groupResource = (r: { group: string; resource: string }): string => `${r.group || 'core'}/${r.resource}`;

export const apiVersionOf = (r: { group: string; version: string }): string => (r.group ? `${r.group}/${r.version}` : r.version);

function builtinGroups(): GroupVersion[] {
  return DATA.groups.map((g) => ({
    group: g.group,
    version: g.version,
    resources: g.resources.map((r) => ({ ...r, group: g.group, version: g.version, schema: schemaFor(g.group, g.version, r.kind) })),
  }));
}

function schemaFor(group: string, version: string, kind: string): Schema | undefined {
  for (const [name, s] of Object.entries(DATA.schemas)) {
    const gvks = s['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined;
    if (gvks?.some((x) => x.group === group && x.version === version && x.kind === kind)) return { $ref: `#/components/schemas/${name}` };
  }
  return undefined;
}

const BUILTIN = builtinGroups();

/**
 * The resources one cluster serves: the built-in ones, plus those its CustomResourceDefinitions
 * register. `generation` changes whenever the set changes, so discovery and OpenAPI hashes do.
 */
export class Catalog {
  private custom = new Map<string, GroupVersion[]>();
  generation = 0;

  private memo: { generation: number; list: GroupVersion[] } | undefined;

  /** Every served group-version in discovery order: core, built-in groups, then custom groups by name. */
  groupVersions(): GroupVersion[] {
    if (this.memo?.generation === this.generation) return this.memo.list;
    const list = this.build();
    this.memo = { generation: this.generation, list };
    return list;
  }

  private build(): GroupVersion[] {
    const customs = [...this.custom.values()].flat();
    const merged = new Map<string, GroupVersion>();
    for (const gv of customs) {
      const key = `${gv.group}/${gv.version}`;
      const have = merged.get(key);
      if (have) have.resources.push(...gv.resources);
      else merged.set(key, { ...gv, resources: [...gv.resources] });
    }
    const sorted = [...merged.values()].sort((a, b) => (a.group === b.group ? compareVersions(a.version, b.version) : a.group < b.group ? -1 : 1));
    for (const gv of sorted) gv.resources.sort((a, b) => (a.resource < b.resource ? -1 : 1));
    return [...BUILTIN, ...sorted];
  }

  find(group: string, version: string, resource: string): ResourceDef | undefined {
    for (const gv of this.groupVersions()) if (gv.group === group && gv.version === version) return gv.resources.find((r) => r.resource === resource);
    return undefined;
  }

  byKind(group: string, kind: string): ResourceDef | undefined {
    for (const gv of this.groupVersions()) if (gv.group === group) for (const r of gv.resources) if (r.kind === kind) return r;
    return undefined;
  }

  /** Sets (or with no versions, removes) the resources a CRD registers. */
  setCustom(crdName: string, versions: GroupVersion[]): void {
    if (versions.length) this.custom.set(crdName, versions);
    else this.custom.delete(crdName);
    this.generation++;
  }

  schemasFor(r: ResourceDef): SchemaSet {
    return r.crd ? CRD_SCHEMAS : BUILTIN_SCHEMAS;
  }
}

/** Custom resources' schemas are inline: no named components to resolve. */
const CRD_SCHEMAS = new SchemaSet({});

/** Kubernetes' version priority (apimachinery version.CompareKubeAwareVersionStrings): GA > beta > alpha, higher first. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i]! - ra[i]!;
  return a < b ? -1 : 1;
}

/**
 * One view over the two kinds of schema the lab serves: the built-in kinds' OpenAPI schemas
 * (named components with $ref, from Kubernetes' published API) and a CustomResourceDefinition's
 * inline openAPIV3Schema. Both carry the same extensions: x-kubernetes-list-type and
 * x-kubernetes-list-map-keys (server-side apply), x-kubernetes-patch-strategy and
 * x-kubernetes-patch-merge-key (strategic merge patch), x-kubernetes-preserve-unknown-fields and
 * x-kubernetes-int-or-string.
 */
export type Schema = Record<string, any>;

const REF = '#/components/schemas/';

/** Schemas whose Go type decodes more than their declared OpenAPI type accepts. */
const LOOSE: Record<string, Schema> = {
  // resource.Quantity unmarshals a JSON number as well as a string ("cpu: 1").
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { 'x-kubernetes-int-or-string': true },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { 'x-kubernetes-int-or-string': true },
  // apiextensions JSON and the *Or* unions decode any JSON value.
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': { 'x-kubernetes-preserve-unknown-fields': true },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': { 'x-kubernetes-preserve-unknown-fields': true },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': { 'x-kubernetes-preserve-unknown-fields': true },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': { 'x-kubernetes-preserve-unknown-fields': true },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};

export class SchemaSet {
  constructor(private readonly components: Record<string, Schema>) {}

  /** Follows $ref (and a single-element allOf wrapper, OpenAPI v3's way of annotating a $ref). */
  resolve(node: Schema | undefined): Schema | undefined {
    let n = node;
    for (let i = 0; n && i < 8; i++) {
      if (typeof n.$ref === 'string') {
        const name = n.$ref.startsWith(REF) ? n.$ref.slice(REF.length) : n.$ref;
        n = LOOSE[name] ?? this.components[name];
        continue;
      }
      if (Array.isArray(n.allOf) && n.allOf.length === 1 && !n.properties && !n.type) {
        n = { ...n.allOf[0], ...omit(n, 'allOf') };
        continue;
      }
      return n;
    }
    return n;
  }

  named(name: string): Schema | undefined {
    return this.components[name];
  }
}

function omit(o: Schema, key: string): Schema {
  const { [key]: _drop, ...rest } = o;
  return rest;
}

export type ListType = 'atomic' | 'set' | 'map';

export interface ListInfo {
  type: ListType;
  keys: string[];
}

/** How server-side apply treats a list (x-kubernetes-list-type; a strategic merge key implies map). */
export function listInfo(node: Schema): ListInfo {
  const t = node['x-kubernetes-list-type'] as ListType | undefined;
  if (t === 'map') return { type: 'map', keys: (node['x-kubernetes-list-map-keys'] as string[]) ?? [] };
  if (t === 'set') return { type: 'set', keys: [] };
  if (t === 'atomic') return { type: 'atomic', keys: [] };
  const mergeKey = node['x-kubernetes-patch-merge-key'] as string | undefined;
  if (mergeKey && String(node['x-kubernetes-patch-strategy'] ?? '').includes('merge')) return { type: 'map', keys: [mergeKey] };
  return { type: 'atomic', keys: [] };
}

/** Is this node a map of arbitrary keys (labels, data) rather than a struct? */
export function isMapNode(node: Schema): boolean {
  return !node.properties && (node.additionalProperties !== undefined && node.additionalProperties !== false);
}

export function isAtomicMap(node: Schema): boolean {
  return node['x-kubernetes-map-type'] === 'atomic';
}

export function preservesUnknown(node: Schema): boolean {
  return node['x-kubernetes-preserve-unknown-fields'] === true;
}

/** The schema of property `key` of an object node, or of a map's values. */
export function childSchema(set: SchemaSet, node: Schema | undefined, key: string): Schema | undefined {
  if (!node) return undefined;
  const props = node.properties as Record<string, Schema> | undefined;
  if (props && key in props) return set.resolve(props[key]);
  const ap = node.additionalProperties;
  if (ap && typeof ap === 'object') return set.resolve(ap as Schema);
  return undefined;
}

export function itemSchema(set: SchemaSet, node: Schema | undefined): Schema | undefined {
  if (!node?.items) return undefined;
  return set.resolve(node.items as Schema);
}

import type { GroupVersion, PrinterColumn, ResourceDef, SubresourceDef } from '../api/catalog.js';
import type { FieldError } from '../api/status.js';
import { DEFAULT_CRD_COLUMNS } from '../printers/index.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The group-versions a CustomResourceDefinition registers: one resource per served version. */
export function crdResources(crd: any): GroupVersion[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const out: GroupVersion[] = [];
  for (const v of spec.versions ?? []) {
    if (!v.served) continue;
    const subresources: SubresourceDef[] = [];
    if (v.subresources?.status) subresources.push({ name: 'status', kind: names.kind, group: spec.group, version: v.name, verbs: ['get', 'patch', 'update'] });
    if (v.subresources?.scale) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
    const columns: PrinterColumn[] = v.additionalPrinterColumns?.length ? v.additionalPrinterColumns : DEFAULT_CRD_COLUMNS;
    const def: ResourceDef = {
      group: spec.group,
      version: v.name,
      resource: names.plural,
      kind: names.kind,
      singular: names.singular || String(names.kind).toLowerCase(),
      namespaced: spec.scope === 'Namespaced',
      verbs: ALL_VERBS,
      ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
      ...(names.categories?.length ? { categories: names.categories } : {}),
      subresources,
      schema: withObjectMeta(v.schema?.openAPIV3Schema),
      crd: { name: crd.metadata.name, columns, storage: Boolean(v.storage), served: true },
    };
    out.push({ group: spec.group, version: v.name, resources: [def] });
  }
  return out;
}

/** apiVersion, kind and metadata are the apiserver's: a CRD schema never prunes or checks them. */
function withObjectMeta(schema: any): any {
  if (!schema) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const props = { ...(schema.properties ?? {}) };
  props.apiVersion = { type: 'string' };
  props.kind = { type: 'string' };
  props.metadata = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return { ...schema, type: 'object', properties: props };
}

/** apiextensions validation the user meets: the name rule and exactly one storage version. */
export function crdRules(crd: any): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec ?? {};
  const want = `${spec.names?.plural}.${spec.group}`;
  if (crd.metadata?.name !== want) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', message: `metadata.name: Invalid value: ${JSON.stringify(crd.metadata?.name)}: must be spec.names.plural+"."+spec.group` });
  const storage = (spec.versions ?? []).filter((v: any) => v.storage).length;
  if (storage !== 1) errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', message: `spec.versions: Invalid value: ${JSON.stringify(spec.versions?.map((v: any) => v.name) ?? [])}: must have exactly one version marked as storage version` });
  return errs;
}

/** What the apiextensions controllers write once names are accepted: Established, storedVersions. */
export function crdStatus(crd: any, now: string): any {
  const storage = (crd.spec?.versions ?? []).find((v: any) => v.storage)?.name;
  const cond = (type: string, reason: string, message: string) => ({ type, status: 'True', lastTransitionTime: now, reason, message });
  return {
    acceptedNames: crd.spec?.names,
    conditions: [cond('NamesAccepted', 'NoConflicts', 'no conflicts found'), cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted')],
    storedVersions: [...new Set([...(crd.status?.storedVersions ?? []), ...(storage ? [storage] : [])])],
  };
}

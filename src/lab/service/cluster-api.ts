import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { apiVersionOf, BUILTIN_SCHEMAS, Catalog, groupResource, type ResourceDef } from '../api/catalog.js';
import { parseFieldSelector, parseLabelSelector } from '../api/selectors.js';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  forbidden,
  invalid,
  MODIFIED,
  notFound,
  successStatus,
  unsupportedMediaType,
  type FieldError,
} from '../api/status.js';
import { serverSideApply, updateManagedFields, type FieldContext } from '../patch/apply.js';
import { jsonPatch } from '../patch/json-patch.js';
import { mergePatch } from '../patch/merge-patch.js';
import { strategicMergePatch } from '../patch/strategic.js';
import { checkObject } from '../schema/validate.js';
import { storeKey, type Entry, type LogStore, type Obj } from '../store/log-store.js';
import { allocateService } from './allocate.js';
import { crdResources, crdRules, crdStatus } from './crd.js';
import { applyDefaults } from './defaults.js';
import { kindRules } from './kind-rules.js';
import { checkName, nameRule } from './names.js';

/** Every object the lab stores carries this annotation: it is simulated, never a real cluster's. */
export const SIMULATED_ANNOTATION = 'lab.meshwright.io/simulated';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  force?: boolean;
  subresource?: string;
  userAgent?: string;
}

export interface WriteResult {
  obj: Obj;
  /** 200, or 201 when a create (or an apply that created) happened. */
  code: number;
  warnings: string[];
}

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continueToken?: string | null;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ClusterInfo {
  name: string;
  serviceCIDR: string;
  kubernetesVersion: string;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** Kinds whose registries set metadata.generation (a spec with a status written by controllers). */
const GENERATION = /^(apps|batch|policy|apiextensions\.k8s\.io)\/|^networking\.k8s\.io\/(ingresses|networkpolicies)$/;
/** Kinds whose delete answers with the object rather than a Status (registries with ReturnDeletedObject). */
const RETURNS_OBJECT = new Set(['core/pods', 'core/services', 'core/namespaces']);

/**
 * One simulated cluster's API: the logic behind every REST verb over its store (json-server's
 * "service" layer; the HTTP routes live in api/app.ts). Handlers throw ApiError for every
 * failure; nothing here knows about HTTP.
 */
export class ClusterApi {
  readonly catalog = new Catalog();
  /** Lines `kubectl logs` returns, by "namespace/pod/container" (written by the lab's simulated workloads). */
  readonly logs = new Map<string, string[]>();

  constructor(
    readonly info: ClusterInfo,
    readonly store: LogStore,
    readonly now: () => number = Date.now,
  ) {
    for (const e of store.list('apiextensions.k8s.io/customresourcedefinitions')) this.catalog.setCustom(e.value.metadata.name, crdResources(e.value));
  }

  // ---------------------------------------------------------------- reads

  get(def: ResourceDef, namespace: string, name: string): Obj {
    const e = this.store.get(this.key(def, namespace, name));
    if (!e) throw notFound(def, name);
    return this.present(def, e.value);
  }

  tryGet(def: ResourceDef, namespace: string, name: string): Obj | undefined {
    const e = this.store.get(this.key(def, namespace, name));
    return e ? this.present(def, e.value) : undefined;
  }

  list(def: ResourceDef, namespace: string | undefined, opts: ListOptions = {}): { items: Obj[]; resourceVersion: string; continueToken?: string; remaining?: number } {
    const labels = parseLabelSelector(opts.labelSelector ?? null);
    const fields = parseFieldSelector(opts.fieldSelector ?? null, groupResource(def));
    let entries: Entry[] = this.store.list(groupResource(def), def.namespaced ? namespace : undefined);
    if (opts.continueToken) {
      const after = decodeContinue(opts.continueToken);
      entries = entries.filter((e) => `${e.value.metadata.namespace ?? ''}|${e.value.metadata.name}` > after);
    }
    const items: Obj[] = [];
    let i = 0;
    for (; i < entries.length; i++) {
      const v = entries[i]!.value;
      if (!labels(v.metadata?.labels) || !fields(v)) continue;
      if (opts.limit && items.length >= opts.limit) break;
      items.push(this.present(def, v));
    }
    const rv = String(this.store.rev);
    if (opts.limit && i < entries.length) {
      const last = items[items.length - 1]!;
      return { items, resourceVersion: rv, continueToken: encodeContinue(`${last.metadata.namespace ?? ''}|${last.metadata.name}`), remaining: entries.length - i };
    }
    return { items, resourceVersion: rv };
  }

  /** The object as a client of this version sees it (custom resources are stored once, served per version). */
  present(def: ResourceDef, v: Obj): Obj {
    if (def.crd && v.apiVersion !== apiVersionOf(def)) return { ...v, apiVersion: apiVersionOf(def) };
    return v;
  }

  // ---------------------------------------------------------------- writes

  async create(def: ResourceDef, namespace: string, body: unknown, opts: WriteOptions = {}): Promise<WriteResult> {
    const warnings: string[] = [];
    const incoming = this.decode(def, body, opts, warnings, 'create');
    const meta = (incoming.metadata ??= {});
    if (def.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = namespace;
      this.requireNamespace(def, namespace, meta.name ?? meta.generateName ?? '');
    } else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    if (this.store.get(this.key(def, namespace, meta.name ?? ''))) throw alreadyExists(def, meta.name);
    // a create never sets status where a status subresource exists (the strategies' PrepareForCreate)
    if (def.subresources.some((s) => s.name === 'status')) delete incoming.status;
    const obj = this.finish(def, undefined, incoming, opts);
    return this.commit(def, undefined, obj, opts, warnings, 201);
  }

  async update(def: ResourceDef, namespace: string, name: string, body: unknown, opts: WriteOptions = {}): Promise<WriteResult> {
    const warnings: string[] = [];
    const incoming = this.decode(def, body, opts, warnings, 'update');
    const old = this.store.get(this.key(def, namespace, name))?.value;
    if (!old) throw notFound(def, name);
    if (incoming.metadata?.name && incoming.metadata.name !== name) throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
    const rv = incoming.metadata?.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(def, name, MODIFIED);
    const merged = opts.subresource === 'status' ? { ...structuredClone(old), status: incoming.status } : this.keepStatus(def, old, incoming);
    const obj = this.finish(def, old, merged, opts);
    return this.commit(def, old, obj, opts, warnings, 200);
  }

  async patch(def: ResourceDef, namespace: string, name: string, type: PatchType, body: string, opts: WriteOptions = {}): Promise<WriteResult> {
    const warnings: string[] = [];
    const old = this.store.get(this.key(def, namespace, name))?.value;
    if (type === 'apply') return this.apply(def, namespace, name, old, body, opts, warnings);
    if (!old) throw notFound(def, name);
    const patchDoc = parseJson(body);
    const current = this.present(def, old);
    let patched: unknown;
    if (type === 'json') patched = jsonPatch(current, patchDoc);
    else if (type === 'merge') patched = mergePatch(current, patchDoc);
    else {
      if (def.crd) throw unsupportedMediaType('application/strategic-merge-patch+json');
      patched = strategicMergePatch(BUILTIN_SCHEMAS, BUILTIN_SCHEMAS.resolve(def.schema), current, patchDoc);
    }
    const incoming = this.decode(def, patched, opts, warnings, 'patch');
    const rv = incoming.metadata?.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(def, name, MODIFIED);
    const merged = opts.subresource === 'status' ? { ...structuredClone(old), status: incoming.status } : this.keepStatus(def, old, incoming);
    const obj = this.finish(def, old, merged, opts);
    return this.commit(def, old, obj, opts, warnings, 200);
  }

  private async apply(def: ResourceDef, namespace: string, name: string, old: Obj | undefined, body: string, opts: WriteOptions, warnings: string[]): Promise<WriteResult> {
    if (!opts.fieldManager) throw invalidOptions('PatchOptions', 'fieldManager: Required value: is required for apply patch');
    let config: unknown;
    try {
      config = parseYaml(body);
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
    if (!config || typeof config !== 'object' || Array.isArray(config)) throw badRequest('invalid object: the apply configuration is not an object');
    const cfg = config as Obj;
    if (cfg.metadata?.name && cfg.metadata.name !== name) throw badRequest(`the name of the object (${cfg.metadata.name}) does not match the name on the URL (${name})`);
    const applied = this.decode(def, cfg, { ...opts, fieldValidation: 'Strict' }, warnings, 'apply');
    const set = this.catalog.schemasFor(def);
    const ctx = this.fieldContext(def, opts);
    if (!old) {
      if (def.namespaced) this.requireNamespace(def, namespace, name);
      const seed = { apiVersion: apiVersionOf(def), kind: def.kind, metadata: { name, ...(def.namespaced ? { namespace } : {}) } };
      const applied2 = serverSideApply({ ...ctx, set, schema: set.resolve(def.schema) }, undefined, applied, true);
      const created = mergePatch(seed, applied2) as Obj;
      if (def.subresources.some((s) => s.name === 'status')) delete created.status;
      const obj = this.finish(def, undefined, created, { ...opts, managed: applied2.metadata.managedFields } as WriteOptions);
      return this.commit(def, undefined, obj, opts, warnings, 201);
    }
    const rv = applied.metadata?.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(def, name, MODIFIED);
    const current = this.present(def, old);
    const result = serverSideApply({ ...ctx, set, schema: set.resolve(def.schema) }, current, applied, Boolean(opts.force));
    const merged = opts.subresource === 'status' ? { ...structuredClone(old), status: result.status, metadata: { ...old.metadata, managedFields: result.metadata.managedFields } } : this.keepStatus(def, old, result);
    const obj = this.finish(def, old, merged, { ...opts, managed: result.metadata.managedFields } as WriteOptions);
    return this.commit(def, old, obj, opts, warnings, 200);
  }

  async delete(def: ResourceDef, namespace: string, name: string, opts: DeleteOptions = {}): Promise<Obj> {
    const old = this.store.get(this.key(def, namespace, name))?.value;
    if (!old) throw notFound(def, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== old.metadata.uid) throw conflict(def, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) throw conflict(def, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
    const policy = opts.propagationPolicy ?? 'Background';
    const gr = groupResource(def);
    const finalizers: string[] = [...(old.metadata.finalizers ?? [])];
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion') && this.dependents(old.metadata.uid).length) finalizers.push('foregroundDeletion');
    if (gr === 'core/namespaces' && old.spec?.finalizers?.length) {
      // the namespace controller empties it first (pkg/controller/namespace): Terminating until then
      if (opts.dryRun) return this.present(def, old);
      const terminating = await this.markDeleting(def, old, finalizers, { phase: 'Terminating' });
      setImmediate(() => void this.drainNamespace(name).catch(() => undefined));
      return this.present(def, terminating);
    }
    if (finalizers.length) {
      if (opts.dryRun) return this.present(def, old);
      const marked = old.metadata.deletionTimestamp ? old : await this.markDeleting(def, old, finalizers);
      if (policy === 'Foreground') setImmediate(() => void this.collect(old.metadata.uid, 'Foreground').then(() => this.removeFinalizer(def, namespace, name, 'foregroundDeletion')).catch(() => undefined));
      return this.present(def, marked);
    }
    if (opts.dryRun) return RETURNS_OBJECT.has(gr) || def.crd ? this.present(def, old) : successStatus({ name, ...(def.group ? { group: def.group } : {}), kind: def.resource, uid: old.metadata.uid });
    if (policy === 'Orphan') await this.orphan(old.metadata.uid);
    const removed = this.store.delete(this.key(def, namespace, name), (rev, last) => ({ ...last, metadata: { ...last.metadata, resourceVersion: String(rev) } }))!;
    await removed.durable;
    this.afterDelete(def, old);
    if (policy === 'Background') setImmediate(() => void this.collect(old.metadata.uid, 'Background').catch(() => undefined));
    return RETURNS_OBJECT.has(gr) || def.crd ? this.present(def, removed.entry.value) : successStatus({ name, ...(def.group ? { group: def.group } : {}), kind: def.resource, uid: old.metadata.uid });
  }

  async deleteCollection(def: ResourceDef, namespace: string | undefined, list: ListOptions, opts: DeleteOptions = {}): Promise<Obj> {
    const { items, resourceVersion } = this.list(def, namespace, list);
    for (const o of items) await this.delete(def, o.metadata.namespace ?? '', o.metadata.name, opts).catch((err) => (err instanceof ApiError && err.code === 404 ? undefined : Promise.reject(err)));
    return { apiVersion: apiVersionOf(def), kind: `${def.kind}List`, metadata: { resourceVersion }, items };
  }

  /** Writes an object the lab itself owns (bootstrap, simulated controllers), bypassing admission. */
  async writeSystem(def: ResourceDef, obj: Obj, manager = 'meshwright-lab'): Promise<Obj> {
    const ns = obj.metadata.namespace ?? '';
    const old = this.store.get(this.key(def, ns, obj.metadata.name))?.value;
    const next = this.finish(def, old, obj, { fieldManager: manager });
    return (await this.commit(def, old, next, { fieldManager: manager }, [], old ? 200 : 201)).obj;
  }

  // ---------------------------------------------------------------- admission

  /** Decoding with field validation (strict, warn or ignore) and the schema's types. */
  private decode(def: ResourceDef, body: unknown, opts: WriteOptions, warnings: string[], op: 'create' | 'update' | 'patch' | 'apply'): Obj {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the body is not a JSON object`);
    const b = body as Obj;
    const wantVersion = apiVersionOf(def);
    const isStatus = opts.subresource === 'status';
    if (b.kind && b.kind !== def.kind) throw badRequest(`${b.kind} in version "${versionOf(b.apiVersion)}" cannot be handled as a ${def.kind}: the kind of the object (${b.kind}) does not match the kind of the endpoint (${def.kind})`);
    if (b.apiVersion && b.apiVersion !== wantVersion && !(def.crd && groupOf(b.apiVersion) === def.group)) {
      throw badRequest(`the API version in the data (${b.apiVersion}) does not match the expected API version (${wantVersion})`);
    }
    const set = this.catalog.schemasFor(def);
    const root = set.resolve(def.schema);
    if (!root) return structuredClone(b);
    const checked = checkObject(set, root, b, { crd: Boolean(def.crd) });
    if (checked.unknown.length) {
      const mode = op === 'apply' ? 'Strict' : (opts.fieldValidation ?? 'Warn');
      if (mode === 'Strict') {
        if (op === 'apply') throw badRequest(checked.unknown.map((u) => `.${u}: field not declared in schema`).join('\n'));
        const list = checked.unknown.map((u) => `unknown field "${u}"`).join(', ');
        throw badRequest(op === 'patch' ? `strict decoding error: ${list}` : `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${list}`);
      }
      if (mode === 'Warn') warnings.push(...checked.unknown.map((u) => `unknown field "${u}"`));
    }
    if (checked.typeErrors.length) {
      if (def.crd) throw invalid(def.kind, def.group, String(b.metadata?.name ?? ''), checked.typeErrors);
      throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: json: ${checked.typeErrors[0]!.message}`);
    }
    const value = checked.value as Obj;
    if (def.crd && !isStatus) value.apiVersion = b.apiVersion ?? wantVersion;
    return value;
  }

  /** System fields, defaults, allocation and validation: the object as it will be stored. */
  private finish(def: ResourceDef, old: Obj | undefined, incoming: Obj, opts: WriteOptions & { managed?: unknown }): Obj {
    const gr = groupResource(def);
    const obj: Obj = { ...incoming, apiVersion: def.crd ? (incoming.apiVersion ?? apiVersionOf(def)) : apiVersionOf(def), kind: def.kind };
    const meta: Obj = { ...(incoming.metadata ?? {}) };
    const nowIso = iso(this.now());
    if (old) {
      meta.name = old.metadata.name;
      if (def.namespaced) meta.namespace = old.metadata.namespace;
      meta.uid = old.metadata.uid;
      meta.creationTimestamp = old.metadata.creationTimestamp;
      if (old.metadata.deletionTimestamp) meta.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
    } else {
      meta.uid = randomUUID();
      meta.creationTimestamp = nowIso;
      if (GENERATION.test(gr) || def.crd) meta.generation = 1;
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    delete meta.resourceVersion;
    meta.annotations = { ...(meta.annotations ?? {}), [SIMULATED_ANNOTATION]: 'true' };
    obj.metadata = meta;
    if (!def.crd) applyDefaults(gr, obj);
    if (gr === 'core/services' && obj.spec) this.allocate(obj, old);
    if (gr === 'apiextensions.k8s.io/customresourcedefinitions') obj.status = crdStatus(obj, nowIso);
    const set = this.catalog.schemasFor(def);
    const root = set.resolve(def.schema);
    // required, enum, pattern and bounds hold for the object as stored, whatever the request carried
    const required = root ? checkObject(set, root, obj, { crd: Boolean(def.crd) }).invalid : [];
    const errors: FieldError[] = [...checkName(meta.name, nameRule(gr)), ...required, ...(def.crd ? [] : kindRules(gr, obj))];
    if (gr === 'apiextensions.k8s.io/customresourcedefinitions') errors.push(...crdRules(obj));
    if (errors.length) throw invalid(def.kind, def.group, String(meta.name ?? meta.generateName ?? ''), errors);
    if (old && meta.generation !== undefined && !isDeepStrictEqual(specOf(old), specOf(obj))) meta.generation = (old.metadata.generation ?? 1) + 1;
    meta.managedFields = opts.managed ?? updateManagedFields({ ...this.fieldContext(def, opts), set, schema: set.resolve(def.schema) }, old, obj);
    if (!(meta.managedFields as unknown[]).length) delete meta.managedFields;
    return obj;
  }

  private async commit(def: ResourceDef, old: Obj | undefined, obj: Obj, opts: WriteOptions, warnings: string[], code: number): Promise<WriteResult> {
    if (old && sameObject(old, obj)) return { obj: this.present(def, old), code: 200, warnings };
    if (opts.dryRun) return { obj: this.present(def, old ? { ...obj, metadata: { ...obj.metadata, resourceVersion: old.metadata.resourceVersion } } : obj), code, warnings };
    const ns = obj.metadata.namespace ?? '';
    if (old?.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).length) {
      const removed = this.store.delete(this.key(def, ns, obj.metadata.name), (rev) => ({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } }))!;
      await removed.durable;
      this.afterDelete(def, obj);
      return { obj: this.present(def, removed.entry.value), code: 200, warnings };
    }
    const { entry, durable } = this.store.put(this.key(def, ns, obj.metadata.name), (rev) => ({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } }));
    await durable;
    await this.afterWrite(def, old, entry.value);
    return { obj: this.present(def, entry.value), code: old ? 200 : code, warnings };
  }

  private async afterWrite(def: ResourceDef, old: Obj | undefined, obj: Obj): Promise<void> {
    const gr = groupResource(def);
    if (gr === 'apiextensions.k8s.io/customresourcedefinitions') this.catalog.setCustom(obj.metadata.name, crdResources(obj));
    if (gr === 'core/namespaces' && !old) {
      // the service-account controller gives every namespace its "default" ServiceAccount
      const sa = this.catalog.find('', 'v1', 'serviceaccounts')!;
      if (!this.tryGet(sa, obj.metadata.name, 'default')) await this.writeSystem(sa, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: obj.metadata.name } }, 'kube-controller-manager');
    }
  }

  private afterDelete(def: ResourceDef, obj: Obj): void {
    const gr = groupResource(def);
    if (gr === 'apiextensions.k8s.io/customresourcedefinitions') {
      this.catalog.setCustom(obj.metadata.name, []);
      const resource = `${obj.spec.group}/${obj.spec.names.plural}`;
      for (const e of this.store.list(resource)) this.store.delete(storeKey(resource, e.value.metadata.namespace ?? '', e.value.metadata.name), (rev, last) => ({ ...last, metadata: { ...last.metadata, resourceVersion: String(rev) } }));
    }
    const ns = obj.metadata.namespace;
    if (ns) {
      const nsObj = this.store.get(storeKey('core/namespaces', '', ns))?.value;
      if (nsObj?.metadata.deletionTimestamp) setImmediate(() => void this.drainNamespace(ns).catch(() => undefined));
    }
  }

  private keepStatus(def: ResourceDef, old: Obj, incoming: Obj): Obj {
    if (!def.subresources.some((s) => s.name === 'status')) return incoming;
    const out = { ...incoming };
    if (old.status === undefined) delete out.status;
    else out.status = old.status;
    return out;
  }

  private allocate(obj: Obj, old: Obj | undefined): void {
    if (old?.spec?.clusterIP && !obj.spec.clusterIP) obj.spec.clusterIP = old.spec.clusterIP;
    if (old?.spec?.clusterIPs && !obj.spec.clusterIPs) obj.spec.clusterIPs = old.spec.clusterIPs;
    for (const p of obj.spec.ports ?? []) {
      const before = (old?.spec?.ports ?? []).find((q: any) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (!p.nodePort && before?.nodePort) p.nodePort = before.nodePort;
    }
    const ips = new Set<string>();
    const nodePorts = new Set<number>();
    for (const e of this.store.list('core/services')) {
      if (e.value.metadata.uid === obj.metadata.uid) continue;
      if (e.value.spec?.clusterIP) ips.add(e.value.spec.clusterIP);
      for (const p of e.value.spec?.ports ?? []) if (p.nodePort) nodePorts.add(p.nodePort);
    }
    const isKubernetes = obj.metadata.namespace === 'default' && obj.metadata.name === 'kubernetes';
    allocateService(obj.spec, `${obj.metadata.namespace}/${obj.metadata.name}`, this.info.serviceCIDR, { ips, nodePorts }, isKubernetes);
  }

  private requireNamespace(def: ResourceDef, namespace: string, name: string): void {
    const ns = this.store.get(storeKey('core/namespaces', '', namespace))?.value;
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.metadata.deletionTimestamp) throw forbidden(def, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  }

  private fieldContext(def: ResourceDef, opts: WriteOptions): Omit<FieldContext, 'set' | 'schema'> {
    return {
      manager: opts.fieldManager ?? managerFromUserAgent(opts.userAgent),
      apiVersion: apiVersionOf(def),
      time: iso(this.now()),
      ...(opts.subresource === 'status' ? { subresource: 'status' } : {}),
    };
  }

  // ---------------------------------------------------------------- garbage collection

  /** Objects whose ownerReferences name `uid` (the garbage collector's dependency graph, read on demand). */
  dependents(uid: string): Array<{ def: ResourceDef; obj: Obj }> {
    const out: Array<{ def: ResourceDef; obj: Obj }> = [];
    for (const gv of this.catalog.groupVersions()) {
      for (const def of gv.resources) {
        if (def.crd && !def.crd.storage) continue;
        for (const e of this.store.list(groupResource(def))) if ((e.value.metadata.ownerReferences ?? []).some((r: any) => r.uid === uid)) out.push({ def, obj: e.value });
      }
    }
    return out;
  }

  private async collect(uid: string, policy: 'Background' | 'Foreground'): Promise<void> {
    for (const { def, obj } of this.dependents(uid)) {
      const others = (obj.metadata.ownerReferences ?? []).filter((r: any) => r.uid !== uid && this.uidExists(r.uid));
      if (others.length) continue;
      await this.delete(def, obj.metadata.namespace ?? '', obj.metadata.name, { propagationPolicy: policy }).catch(() => undefined);
    }
  }

  private async orphan(uid: string): Promise<void> {
    for (const { def, obj } of this.dependents(uid)) {
      const refs = (obj.metadata.ownerReferences ?? []).filter((r: any) => r.uid !== uid);
      const next = structuredClone(obj);
      if (refs.length) next.metadata.ownerReferences = refs;
      else delete next.metadata.ownerReferences;
      await this.writeSystem(def, next, 'kube-controller-manager');
    }
  }

  private uidExists(uid: string): boolean {
    for (const gv of this.catalog.groupVersions()) for (const def of gv.resources) for (const e of this.store.list(groupResource(def))) if (e.value.metadata.uid === uid) return true;
    return false;
  }

  private async markDeleting(def: ResourceDef, old: Obj, finalizers: string[], status?: Obj): Promise<Obj> {
    const next = structuredClone(old);
    next.metadata.deletionTimestamp = iso(this.now());
    next.metadata.deletionGracePeriodSeconds = 0;
    next.metadata.finalizers = finalizers.length ? finalizers : undefined;
    if (next.metadata.generation !== undefined) next.metadata.generation += 1;
    if (status) next.status = { ...(next.status ?? {}), ...status };
    const { entry, durable } = this.store.put(this.key(def, old.metadata.namespace ?? '', old.metadata.name), (rev) => ({ ...next, metadata: { ...next.metadata, resourceVersion: String(rev) } }));
    await durable;
    return entry.value;
  }

  private async removeFinalizer(def: ResourceDef, namespace: string, name: string, finalizer: string): Promise<void> {
    const cur = this.store.get(this.key(def, namespace, name))?.value;
    if (!cur) return;
    const next = structuredClone(cur);
    next.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f: string) => f !== finalizer);
    await this.writeSystem(def, next, 'kube-controller-manager');
  }

  /** Deletes what a Terminating namespace holds; once empty, the namespace itself goes. */
  private async drainNamespace(ns: string): Promise<void> {
    const nsDef = this.catalog.find('', 'v1', 'namespaces')!;
    let remaining = 0;
    for (const gv of this.catalog.groupVersions()) {
      for (const def of gv.resources) {
        if (!def.namespaced || (def.crd && !def.crd.storage)) continue;
        for (const e of this.store.list(groupResource(def), ns)) {
          remaining++;
          if (!e.value.metadata.deletionTimestamp) await this.delete(def, ns, e.value.metadata.name, { propagationPolicy: 'Background' }).catch(() => undefined);
        }
      }
    }
    const still = this.catalog.groupVersions().some((gv) => gv.resources.some((d) => d.namespaced && this.store.list(groupResource(d), ns).length));
    if (remaining && still) return;
    const cur = this.store.get(storeKey('core/namespaces', '', ns))?.value;
    if (!cur?.metadata.deletionTimestamp) return;
    const removed = this.store.delete(storeKey('core/namespaces', '', ns), (rev, last) => ({ ...last, metadata: { ...last.metadata, resourceVersion: String(rev) } }));
    await removed?.durable;
    void nsDef;
  }

  key(def: ResourceDef, namespace: string, name: string): string {
    return storeKey(groupResource(def), def.namespaced ? namespace : '', name);
  }
}

function specOf(o: Obj): unknown {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

/** Unchanged apart from bookkeeping: no write, no new resourceVersion (kwok's checkNeedPatch; etcd3 store's no-op update). */
function sameObject(a: Obj, b: Obj): boolean {
  const strip = (o: Obj) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: (o.metadata.managedFields ?? []).map((m: Obj) => ({ ...m, time: undefined })) } });
  return isDeepStrictEqual(JSON.parse(JSON.stringify(strip(a))), JSON.parse(JSON.stringify(strip(b))));
}

function invalidOptions(kind: string, detail: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${kind}.meta.k8s.io "" is invalid: ${detail}`, reason: 'Invalid', details: { group: 'meta.k8s.io', kind }, code: 422 });
}

/** The apiserver's default field manager: the user agent up to its first "/" (fieldmanager prefixFromUserAgent). */
export function managerFromUserAgent(ua: string | undefined): string {
  if (!ua) return 'unknown';
  return ua.split('/')[0]!.slice(0, 128) || 'unknown';
}

export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

function versionOf(apiVersion: unknown): string {
  return typeof apiVersion === 'string' ? apiVersion.slice(apiVersion.indexOf('/') + 1) : '';
}

function groupOf(apiVersion: unknown): string {
  return typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** apiserver names.SimpleNameGenerator: five characters from a consonant-and-digit alphabet. */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

function encodeContinue(after: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', start: after })).toString('base64');
}

function decodeContinue(token: string): string {
  try {
    return String((JSON.parse(Buffer.from(token, 'base64').toString()) as { start: string }).start);
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { LineIndex, MeshwrightError, type Diagnostic } from '../diag/index.js';
import { classifyFsError, fsError, nodeAt, onFs, readSourceFile, withPosition } from '../source/index.js';
import type { DocPath } from '../source/index.js';

/** A Kubernetes object as written in a manifest. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Where an object came from, so any finding about it can point at the line. */
export interface ObjectSource {
  file: string;
  lines: LineIndex;
  doc: Document;
  /** Path of the object inside its document ([] or ['items', i] in a List). */
  at: DocPath;
}

export interface LoadedObject {
  object: KubeObject;
  source: ObjectSource;
  /** The cluster it was placed in with CLUSTER=PATH; undefined means every cluster. */
  cluster?: string;
  /** Rendered by meshwright itself rather than given by the user. */
  origin?: 'platform';
}

export interface ManifestInput {
  cluster?: string;
  path: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Reads files and folders (recursively) of YAML or JSON manifests, multi-document, List shapes unrolled. */
export function loadManifests(inputs: ManifestInput[], cwd: string): { objects: LoadedObject[]; diagnostics: Diagnostic[] } {
  const objects: LoadedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const input of inputs) {
    for (const file of expand(resolve(cwd, input.path), input.path)) {
      const display = relative(cwd, file) || file;
      try {
        const { text } = readSourceFile(file, 'manifest', display);
        const r = parseManifestText(display, text, input.cluster);
        objects.push(...r.objects);
        diagnostics.push(...r.diagnostics);
      } catch (err) {
        if (err instanceof MeshwrightError) diagnostics.push(...err.diagnostics);
        else throw err;
      }
    }
  }
  return { objects, diagnostics };
}

export function parseManifestText(file: string, text: string, cluster?: string): { objects: LoadedObject[]; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(text);
  const objects: LoadedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: new LineCounter(), uniqueKeys: true })) {
    if ('errors' in doc && doc.errors.length > 0) {
      for (const e of doc.errors) diagnostics.push(withPosition({ severity: 'error', code: 'YAML_SYNTAX', message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), file, range: [e.pos[0], e.pos[1]], hint: 'check indentation and quoting around this place' }, lines));
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    } catch (err) {
      const at = doc.contents?.range?.[0] ?? 0;
      diagnostics.push(withPosition({ severity: 'error', code: 'YAML_TOO_COMPLEX', message: (err as Error).message.split('\n')[0]!, file, range: [at, at + 1], hint: 'write the values out instead of nesting aliases' }, lines));
      continue;
    }
    if (value === null || value === undefined) continue;
    const source = (at: DocPath): ObjectSource => ({ file, lines, doc: doc as Document, at });
    const items = isList(value) ? value.items.map((item, i) => ({ item: typedItem(value, item), at: ['items', i] as DocPath })) : [{ item: value, at: [] as DocPath }];
    for (const { item, at } of items) {
      const problem = shapeProblem(item);
      if (problem) {
        diagnostics.push(locate({ severity: 'error', code: 'MANIFEST_INVALID', message: problem, file, hint: 'a manifest holds Kubernetes objects with apiVersion, kind and metadata.name' }, source(at), []));
        continue;
      }
      objects.push({ object: item as KubeObject, source: source(at), ...(cluster ? { cluster } : {}) });
    }
  }
  return { objects, diagnostics };
}

/** The line an object starts on in its file (its document's first line). */
export function objectLine(source: ObjectSource): number | undefined {
  const range = source.doc.contents?.range;
  return range ? source.lines.position(range[0]).line : undefined;
}

/** A diagnostic positioned at `path` inside an object (falls back to the nearest ancestor). */
export function locate(d: Diagnostic, source: ObjectSource, path: DocPath, key = false): Diagnostic {
  const full = [...source.at, ...path];
  for (let depth = full.length; depth >= 0; depth--) {
    const node = nodeAt(source.doc.contents, full.slice(0, depth), key && depth === full.length);
    if (node?.range) return withPosition({ ...d, file: source.file, path: full, range: [node.range[0], node.range[1]] }, source.lines);
  }
  return { ...d, file: source.file };
}

function expand(path: string, shown: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const fault = classifyFsError(err, path);
    if (!fault) throw err;
    if (fault.errno === 'ENOENT' && fault.reason === 'no such file or folder') throw new MeshwrightError({ severity: 'error', code: 'FILE_NOT_FOUND', file: shown, message: `no such manifest file or folder: ${shown}`, hint: 'check the path given with -f' });
    throw fsError(err, { path: shown, action: 'read', code: fault.errno === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE' });
  }
  if (!st.isDirectory()) return [path];
  return onFs({ path: shown, action: 'list', code: 'FILE_UNREADABLE' }, () => readdirSync(path))
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      if (!EXTENSIONS.has(extname(name).toLowerCase()) && !isDirectory(full)) return [];
      // A broken link or unreadable entry surfaces as that file's own one-line error when read.
      return isDirectory(full) ? expand(full, join(shown, name)) : [full];
    });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The API server's typed lists (PodList, NetworkPolicyList) leave kind and apiVersion off their items. */
function typedItem(list: { kind?: unknown; apiVersion?: unknown }, item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const kind = String(list.kind);
  const o = item as Record<string, unknown>;
  if (o.kind !== undefined || kind === 'List') return item;
  return { apiVersion: o.apiVersion ?? list.apiVersion, kind: kind.slice(0, -'List'.length), ...o };
}

function isList(v: unknown): v is { kind: string; apiVersion?: unknown; items: unknown[] } {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && /List$/.test((v as { kind: string }).kind) && Array.isArray((v as { items?: unknown }).items);
}

function shapeProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a Kubernetes object (a mapping)';
  const o = v as Record<string, unknown>;
  if (typeof o.kind !== 'string') return 'object has no kind';
  if (typeof o.apiVersion !== 'string') return `${o.kind} has no apiVersion`;
  const md = o.metadata as Record<string, unknown> | undefined;
  if (!md || typeof md.name !== 'string') return `${o.kind} has no metadata.name`;
  return undefined;
}

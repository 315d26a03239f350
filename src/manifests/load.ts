import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import jsyaml from 'js-yaml';
import { Document, isScalar, LineCounter, parseAllDocuments } from 'yaml';
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
  /** A file or folder; `-` is standard input, as with kubectl. */
  path: string;
}

export interface LoadOptions {
  /** Reads all of standard input (injected, so tests run in process). */
  stdin?: () => string;
}

/** How standard input is named in findings. */
export const STDIN_NAME = '<stdin>';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Reads files and folders (recursively) of YAML or JSON manifests, multi-document, List shapes unrolled. */
export function loadManifests(inputs: ManifestInput[], cwd: string, options: LoadOptions = {}): { objects: LoadedObject[]; diagnostics: Diagnostic[] } {
  const objects: LoadedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const input of inputs) {
    if (input.path === '-') {
      const r = parseManifestText(STDIN_NAME, options.stdin?.() ?? '', input.cluster);
      objects.push(...r.objects);
      diagnostics.push(...r.diagnostics, ...(r.objects.length || r.diagnostics.length ? [] : [noObjects(STDIN_NAME)]));
      continue;
    }
    const walk: Walk = { files: [], skipped: [], repeated: [], visited: new Set() };
    try {
      expand(resolve(cwd, input.path), input.path, walk);
    } catch (err) {
      if (err instanceof MeshwrightError) diagnostics.push(...err.diagnostics);
      else throw err;
      continue;
    }
    diagnostics.push(...walkFindings(input.path, walk));
    for (const file of walk.files) {
      const display = relative(cwd, file) || file;
      try {
        const { text } = readSourceFile(file, 'manifest', display);
        const r = parseManifestText(display, text, input.cluster);
        objects.push(...r.objects);
        diagnostics.push(...r.diagnostics, ...(r.objects.length || r.diagnostics.length ? [] : [noObjects(display)]));
      } catch (err) {
        if (err instanceof MeshwrightError) diagnostics.push(...err.diagnostics);
        else throw err;
      }
    }
  }
  return { objects, diagnostics };
}

export function parseManifestText(file: string, text: string, cluster?: string): { objects: LoadedObject[]; diagnostics: Diagnostic[] } {
  const values = fastValues(text);
  return values ? collect(file, text, values, cluster) : parsePositioned(file, text, cluster);
}

/**
 * The documents' values by js-yaml (YAML 1.2 core schema, as the yaml library reads them), ten
 * times faster on a 15 MB `kubectl get pods -A -o yaml` than a parse that keeps every node's
 * position. Undefined sends the text down the positioned path, which reports what is wrong:
 * any syntax error or duplicate key, and any anchor or alias (their expansion limits and copy
 * semantics are the yaml library's).
 */
function fastValues(text: string): unknown[] | undefined {
  if (MAYBE_ALIAS.test(text)) return undefined;
  try {
    return jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA }).filter((v) => v !== null && v !== undefined);
  } catch {
    return undefined;
  }
}

/** `&anchor` or `*alias` at the start of a token; also matches `&&` in a quoted command, which only costs speed. */
const MAYBE_ALIAS = /(?:^|[\s[{,])[&*][^\s,[\]{}]/m;

/** Objects read fast; their positions come from one positioned parse of the file, made only if a finding needs one. */
function collect(file: string, text: string, values: unknown[], cluster?: string): { objects: LoadedObject[]; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(text);
  let docs: Document[] | undefined;
  // The k-th non-empty document of both parsers is the same document (empty ones have no objects).
  const positioned = () => (docs ??= parseAllDocuments(text, { lineCounter: new LineCounter(), uniqueKeys: true }).filter((d) => !isEmpty(d as Document)) as Document[]);
  const objects: LoadedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  values.forEach((value, k) => {
    const source = (at: DocPath): ObjectSource => lazySource(file, lines, () => positioned()[k], at);
    unroll(file, value, source, cluster, objects, diagnostics);
  });
  return { objects, diagnostics };
}

function lazySource(file: string, lines: LineIndex, doc: () => Document | undefined, at: DocPath): ObjectSource {
  return {
    file,
    lines,
    at,
    get doc() {
      return doc() ?? new Document(null);
    },
  };
}

function isEmpty(d: Document): boolean {
  return d.contents === null || (isScalar(d.contents) && d.contents.value === null);
}

function unroll(file: string, value: unknown, source: (at: DocPath) => ObjectSource, cluster: string | undefined, objects: LoadedObject[], diagnostics: Diagnostic[]): void {
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

/** The yaml library throughout: positioned syntax errors, alias limits. */
function parsePositioned(file: string, text: string, cluster?: string): { objects: LoadedObject[]; diagnostics: Diagnostic[] } {
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
    unroll(file, value, source, cluster, objects, diagnostics);
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

interface Walk {
  files: string[];
  /** Files a folder holds that are not manifests by their name. */
  skipped: string[];
  /** Folders reached a second time through a link (a loop, or two ways in): not read again. */
  repeated: { shown: string; target: string }[];
  visited: Set<string>;
}

function expand(path: string, shown: string, walk: Walk): void {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const fault = classifyFsError(err, path);
    if (!fault) throw err;
    if (fault.errno === 'ENOENT' && fault.reason === 'no such file or folder') throw new MeshwrightError({ severity: 'error', code: 'FILE_NOT_FOUND', file: shown, message: `no such manifest file or folder: ${shown}`, hint: 'check the path given with -f' });
    throw fsError(err, { path: shown, action: 'read', code: fault.errno === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE' });
  }
  if (!st.isDirectory()) {
    walk.files.push(path);
    return;
  }
  // A link back to a folder already read would be followed until the system gives up (ELOOP, 40 links deep).
  const real = onFs({ path: shown, action: 'list', code: 'FILE_UNREADABLE' }, () => realpathSync(path));
  if (walk.visited.has(real)) {
    walk.repeated.push({ shown, target: real });
    return;
  }
  walk.visited.add(real);
  for (const name of onFs({ path: shown, action: 'list', code: 'FILE_UNREADABLE' }, () => readdirSync(path)).sort()) {
    const full = join(path, name);
    if (isDirectory(full)) expand(full, join(shown, name), walk);
    // A broken link or unreadable entry surfaces as that file's own one-line error when read.
    else if (EXTENSIONS.has(extname(name).toLowerCase())) walk.files.push(full);
    else walk.skipped.push(join(shown, name));
  }
}

/** kubectl reads only .yaml, .yml and .json from a folder, and refuses a folder with none: said out loud here. */
function walkFindings(input: string, walk: Walk): Diagnostic[] {
  const out: Diagnostic[] = walk.skipped.map((f) => ({ severity: 'warning', code: 'FILE_SKIPPED', message: `${f}: not read: only .yaml, .yml and .json files are read from a folder`, file: f, hint: `rename it to end in .yaml, or pass it on its own with -f ${f}` }));
  for (const r of walk.repeated) out.push({ severity: 'warning', code: 'FOLDER_REPEATED', message: `${r.shown}: a link to ${r.target}, which is already being read (a loop, or a second way in); not followed`, file: r.shown, hint: 'remove the link, or pass the folders you mean with -f' });
  if (walk.visited.size > 0 && walk.files.length === 0) out.push({ severity: 'error', code: 'NO_MANIFESTS', message: `-f ${input}: the folder holds no .yaml, .yml or .json file (kubectl: "no objects passed to apply")`, file: input, hint: walk.skipped.length ? `it holds ${walk.skipped.length} file(s) with other extensions, e.g. ${walk.skipped[0]}` : 'pass the folder that holds the manifests' });
  return out;
}

function noObjects(file: string): Diagnostic {
  return { severity: 'warning', code: 'NO_OBJECTS', message: `${file} holds no Kubernetes object`, file, hint: 'an empty file, or only comments: check it is the file you mean' };
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

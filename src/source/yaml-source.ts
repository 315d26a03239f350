import jsyaml from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diag/index.js';
import { LineIndex } from '../diag/index.js';

/** Aliases can make a small file describe an exponential tree; refuse before anyone walks it. */
const MAX_VALUE_NODES = 5_000_000;

export type DocPath = (string | number)[];

/**
 * One YAML document read for speed and located on demand.
 *
 * Values come from js-yaml (an order of magnitude faster than a position-keeping parse on a
 * 2 MB platform). Positions are needed only when there is something to report, so the
 * `yaml` library's Document, which keeps source ranges, is built lazily on the first lookup.
 */
export class YamlSource {
  readonly lines: LineIndex;
  private doc: Document | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  /** Parses the single document; on failure returns positioned YAML diagnostics instead. */
  load(): { value?: unknown; diagnostics: Diagnostic[] } {
    let value: unknown;
    try {
      value = jsyaml.load(this.text, { schema: jsyaml.CORE_SCHEMA, filename: this.file });
    } catch (err) {
      return { diagnostics: this.syntaxDiagnostics(err as jsyaml.YAMLException) };
    }
    if (value === undefined || value === null) {
      return { diagnostics: [this.at([], 'FILE_EMPTY', `${this.file} holds no YAML content`, 'error')] };
    }
    if (countNodes(value, MAX_VALUE_NODES) > MAX_VALUE_NODES) {
      return {
        diagnostics: [this.at([], 'YAML_TOO_COMPLEX', 'the document expands to millions of values (aliases nested too deep)', 'error', 'write the values out instead of nesting aliases')],
      };
    }
    return { value, diagnostics: [] };
  }

  /** The positioned document, parsed once. */
  document(): Document {
    this.doc ??= parseDocument(this.text, { lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false });
    return this.doc;
  }

  /** Range of the node at `path`, or of its key when `key` is set; falls back to the nearest ancestor. */
  locate(path: DocPath, key = false): [number, number] | undefined {
    const doc = this.document();
    for (let depth = path.length; depth >= 0; depth--) {
      const node = nodeAt(doc.contents, path.slice(0, depth), key && depth === path.length);
      if (node?.range) return [node.range[0], node.range[1]];
    }
    return doc.contents?.range ? [doc.contents.range[0], doc.contents.range[1]] : undefined;
  }

  /** A diagnostic positioned at the node of `path`. */
  at(path: DocPath, code: string, message: string, severity: Diagnostic['severity'], hint?: string, key = false): Diagnostic {
    const d: Diagnostic = { severity, code, message, file: this.file, path };
    if (hint) d.hint = hint;
    return this.position(d, key);
  }

  /** Fills range/start/end of a diagnostic from its path. */
  position(d: Diagnostic, key = false): Diagnostic {
    if (!d.range && d.path) {
      const range = this.locate(d.path, key);
      if (range) d.range = range;
    }
    if (d.range) Object.assign(d, withPosition(d, this.lines));
    return d;
  }

  private syntaxDiagnostics(err: jsyaml.YAMLException): Diagnostic[] {
    const doc = this.document();
    const found = doc.errors.map((e) => this.fromRange(e.code === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX', yamlMessage(e.code, e.message), [e.pos[0], e.pos[1]]));
    if (found.length > 0) return found;
    // js-yaml refused something the yaml library accepts: report js-yaml's own position.
    const offset = err.mark ? err.mark.position : 0;
    return [this.fromRange('YAML_SYNTAX', err.reason || err.message, [offset, offset + 1])];
  }

  private fromRange(code: string, message: string, range: [number, number]): Diagnostic {
    return this.position({ severity: 'error', code, message, file: this.file, range, hint: yamlHint(code) });
  }
}

/** The node at `path` below `root` (or its key node, with `key`), or undefined. */
export function nodeAt(root: unknown, path: DocPath, key: boolean): Node | undefined {
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value === seg || String(p.key.value) === String(seg) : false));
      if (!pair) return undefined;
      node = last && key ? pair.key : pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      return undefined;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

/** start/end of a diagnostic that has a range, trimmed to the text it points at. */
export function withPosition(d: Diagnostic, lines: LineIndex): Diagnostic {
  if (!d.range) return d;
  return { ...d, start: lines.position(d.range[0]), end: lines.position(Math.max(d.range[0], trimEnd(lines.text, d.range))) };
}

/** A block collection's range runs to the next key; point at its own text only. */
function trimEnd(text: string, [start, end]: [number, number]): number {
  let e = Math.min(end, text.length);
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  const nl = text.indexOf('\n', start);
  return nl !== -1 && nl < e ? nl : e;
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'this key appears twice in the same mapping';
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document; a platform file is one document';
  return message.replace(/\s+at line \d+, column \d+:[\s\S]*$/, '').trim();
}

function yamlHint(code: string): string {
  if (code === 'YAML_DUPLICATE_KEY') return 'remove one of the two, or merge them';
  return 'check indentation and quoting around this place';
}

function countNodes(value: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && n <= limit) {
    const v = stack.pop();
    n++;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return n;
}

import { isDeepStrictEqual } from 'node:util';
import { badRequest, ApiError } from '../api/status.js';

interface Op {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/**
 * RFC 6902 JSON patch (add, remove, replace, move, copy, test) over a copy of `doc`. A failed
 * `test` or a missing path is the apiserver's error (evanphx/json-patch's messages, 422 there;
 * a malformed patch is 400).
 */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  for (const raw of ops as Op[]) {
    const op = raw.op;
    if (op === 'add') out = add(out, raw.path, structuredClone(raw.value));
    else if (op === 'remove') out = remove(out, raw.path);
    else if (op === 'replace') out = add(remove(out, raw.path), raw.path, structuredClone(raw.value));
    else if (op === 'move') {
      const v = get(out, raw.from ?? '');
      out = add(remove(out, raw.from ?? ''), raw.path, v);
    } else if (op === 'copy') out = add(out, raw.path, structuredClone(get(out, raw.from ?? '')));
    else if (op === 'test') {
      if (!isDeepStrictEqual(get(out, raw.path), raw.value)) throw unprocessable(`testing value ${raw.path} failed: test failed`);
    } else throw badRequest(`Unexpected kind: ${String(op)}`);
  }
  return out;
}

function unprocessable(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422 });
}

function tokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer: ${path}`);
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: unknown, path: string): unknown {
  let cur: any = doc;
  for (const t of tokens(path)) {
    if (cur === null || typeof cur !== 'object' || !(t in cur)) throw unprocessable(`doc is missing path: "${path}": missing value`);
    cur = cur[t];
  }
  return cur;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const ts = tokens(path);
  if (!ts.length) return value;
  const parent = get(doc, `/${ts.slice(0, -1).map(escape).join('/')}`.replace(/^\/$/, '')) as any;
  const last = ts[ts.length - 1]!;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw unprocessable(`add operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, value);
  } else if (parent && typeof parent === 'object') parent[last] = value;
  else throw unprocessable(`add operation does not apply: doc is missing path: "${path}": missing value`);
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const ts = tokens(path);
  if (!ts.length) return undefined;
  const parent = get(doc, `/${ts.slice(0, -1).map(escape).join('/')}`.replace(/^\/$/, '')) as any;
  const last = ts[ts.length - 1]!;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw unprocessable(`remove operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 1);
  } else if (parent && typeof parent === 'object' && last in parent) delete parent[last];
  else throw unprocessable(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  return doc;
}

function escape(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}

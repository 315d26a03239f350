import type * as z from 'zod';
import type { Diagnostic } from '../diag/index.js';
import type { DocPath, YamlSource } from '../source/index.js';
import { closest } from './suggest.js';
import { keysAt, shapeAt } from './zod-walk.js';

type Issue = z.core.$ZodIssue;

/** Turns zod's issues into positioned diagnostics with meshwright codes and hints. */
export function schemaDiagnostics(root: z.ZodType, issues: readonly Issue[], src: YamlSource): Diagnostic[] {
  return issues.flatMap((issue) => fromIssue(root, issue, src));
}

function fromIssue(root: z.ZodType, issue: Issue, src: YamlSource): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const field = dotted(path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownField(root, path, key, src));
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) {
        const name = String(path[path.length - 1]);
        const about = shapeAt(root, path.slice(0, -1))?.[name]?.description;
        return [src.at(path.slice(0, -1), 'MISSING_FIELD', `missing required field "${name}"${path.length > 1 ? ` in ${dotted(path.slice(0, -1))}` : ''}`, 'error', `add ${name}${about ? ` (${about.replace(/\.$/, '')})` : `: ${article(issue.expected)}`}`)];
      }
      const hint = path.length === 0 ? 'a platform file is a mapping that starts with "apiVersion: meshwright/v1alpha1" and "kind: Platform"' : typeHint(issue.expected, input);
      return [src.at(path, 'INVALID_TYPE', `${field || 'the document'}: expected ${article(issue.expected)}, got ${describe(input)}`, 'error', hint)];
    }
    case 'invalid_value':
      if ((issue as { input?: unknown }).input === undefined) {
        const name = String(path[path.length - 1]);
        return [src.at(path.slice(0, -1), 'MISSING_FIELD', `missing required field "${name}"${path.length > 1 ? ` in ${dotted(path.slice(0, -1))}` : ''}`, 'error', `add ${name}: ${issue.values.map((v) => String(v)).join(' | ')}`)];
      }
      return [src.at(path, 'INVALID_VALUE', `${field}: ${JSON.stringify((issue as { input?: unknown }).input)} is not allowed`, 'error', `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`)];
    case 'invalid_union':
      return [unionValue(issue, path, field, src)];
    case 'too_small':
      if (issue.origin === 'array') return [src.at(path, 'EMPTY_LIST', `${field} must not be empty`, 'error')];
      return [src.at(path, 'INVALID_VALUE', issue.origin === 'string' ? `${field} must not be empty` : `${field} must be at least ${issue.minimum}`, 'error')];
    case 'too_big':
      return [src.at(path, 'INVALID_VALUE', `${field} must be at most ${issue.maximum}${issue.origin === 'string' ? ' characters long' : ''}`, 'error')];
    case 'custom':
    case 'invalid_format': {
      const params = (issue as { params?: { code?: string } }).params;
      const code = params?.code ?? 'INVALID_FORMAT';
      return [src.at(path, code, `${field}: ${JSON.stringify((issue as { input?: unknown }).input)} is ${issue.message}`, 'error', formatHint(code))];
    }
    default:
      return [src.at(path, 'INVALID_VALUE', `${field}: ${issue.message}`, 'error')];
  }
}

function unknownField(root: z.ZodType, path: DocPath, key: string, src: YamlSource): Diagnostic {
  const known = keysAt(root, path);
  const near = closest(key, known);
  const where = path.length ? ` in ${dotted(path)}` : '';
  const hint = near ? `did you mean "${near}"?` : known.length ? `known fields here: ${known.join(', ')}` : undefined;
  return src.at([...path, key], 'UNKNOWN_FIELD', `unknown field "${key}"${where}`, 'error', hint, true);
}

function unionValue(issue: z.core.$ZodIssueInvalidUnion, path: DocPath, field: string, src: YamlSource): Diagnostic {
  const values = issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values : []));
  const input = (issue as { input?: unknown }).input;
  if (values.length > 0) {
    return src.at(path, 'INVALID_VALUE', `${field}: ${JSON.stringify(input)} is not allowed`, 'error', `use one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return src.at(path, 'INVALID_TYPE', `${field}: unexpected ${describe(input)}`, 'error');
}

export function dotted(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function article(expected: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false' };
  return names[expected] ?? expected;
}

function typeHint(expected: string, input: unknown): string | undefined {
  if (expected === 'boolean' && typeof input === 'string') {
    return /^(yes|no|on|off|y|n)$/i.test(input) ? 'YAML 1.2 reads yes/no/on/off as strings: write true or false' : 'write true or false without quotes';
  }
  // zod names 'int' only for a number that is not whole: a string where an integer belongs is expected 'number'.
  if (expected === 'number' && typeof input === 'string' && /^\d+$/.test(input)) return 'write the number without quotes';
  if (expected === 'string' && typeof input === 'number') return 'quote the value';
  if (expected === 'array') return 'write a YAML list: one "- item" per line, or [a, b]';
  if (expected === 'object') return 'write a mapping of "key: value" lines, indented under its parent';
  return undefined;
}

function formatHint(code: string): string | undefined {
  if (code === 'INVALID_CIDR') return 'write it as address/prefix, e.g. 10.1.0.0/16 (IPv6 pod CIDRs are not supported yet)';
  if (code === 'INVALID_ADDRESS') return 'write a dotted IPv4 address (172.26.0.141), a CIDR (172.26.0.96/28) or a range (172.26.0.101-172.26.0.102); IPv6 is not supported yet';
  if (code === 'INVALID_NAME') return 'lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  if (code === 'INVALID_VERSION') return 'Kubernetes versions start with "v" (v1.30.4); chart versions do not (1.16.5)';
  return undefined;
}

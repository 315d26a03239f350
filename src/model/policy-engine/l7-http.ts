import { isRecord, type Path, type Reporter } from './report.js';
import type { HttpRequest } from './types.js';

/**
 * Cilium's HTTP rules as its Envoy enforces them (pkg/envoy getHTTPRule): the fields of one rule
 * are ANDed, rules are ORed. method/path/host are RE2 regexes matched against the whole value
 * (Envoy's safe-regex match is a full match), so they are anchored here as `^(?:…)$`.
 */
export interface HttpRule {
  index: number;
  method?: RegExp;
  path?: RegExp;
  host?: RegExp;
  /** `headers: ["Name: value"]` is an exact value, `["Name"]` presence only. Names are lower-cased. */
  headers: { name: string; value?: string }[];
  /** mismatch '' fails the request; LOG/ADD/DELETE/REPLACE only log or rewrite. */
  headerMatches: { name: string; value?: string; mismatch: string; secret: boolean }[];
  /** A regex did not compile: the rule matches no request. */
  broken: boolean;
  text: string;
}

const MISMATCH = ['', 'LOG', 'ADD', 'DELETE', 'REPLACE'];

export function compileHttpRule(raw: unknown, index: number, path: Path, r: Reporter): HttpRule {
  // Not a mapping (its shape is reported): the API server refuses the policy; here the rule matches no request.
  if (!isRecord(raw)) return { index, headers: [], headerMatches: [], broken: true, text: String(raw) };
  const rule: HttpRule = { index, headers: [], headerMatches: [], broken: false, text: '' };
  const parts: string[] = [];
  for (const field of ['method', 'path', 'host'] as const) {
    const v = raw[field];
    if (v === undefined || v === null || v === '') continue;
    const re = compileRegex(String(v), [...path, field], r);
    if (re) rule[field] = re;
    else rule.broken = true;
    parts.push(`${field} ${String(v)}`);
  }
  if (Array.isArray(raw.headers)) {
    raw.headers.forEach((h, i) => {
      const text = String(h);
      // Cilium splits on the first space and trims ':' from the name: "X-Token: abc", or "X-Token" alone.
      const space = text.indexOf(' ');
      const name = (space === -1 ? text : text.slice(0, space)).replace(/:+$/, '');
      if (space === -1 && name.includes(':')) r.warning('POLICY_HTTP_HEADER', `header "${text}" has no space after ":", so Cilium reads it as the presence of a header named "${text}"`, [...path, 'headers', i], 'write "Name: value"');
      rule.headers.push({ name: name.toLowerCase(), ...(space === -1 ? {} : { value: text.slice(space + 1) }) });
      parts.push(`header ${text}`);
    });
  }
  if (Array.isArray(raw.headerMatches)) {
    raw.headerMatches.forEach((m, i) => {
      if (!isRecord(m)) return; // its shape is reported (POLICY_FIELD_TYPE)
      if (typeof m.name !== 'string' || m.name === '') {
        // The CRD's HeaderMatch requires name: the API server refuses the policy without it.
        r.error('POLICY_FIELD_MISSING', 'a headerMatch needs a name: the API server refuses the policy without it', [...path, 'headerMatches', i], 'name the header, e.g. name: X-Env');
        return;
      }
      const mismatch = typeof m.mismatch === 'string' ? m.mismatch : '';
      if (!MISMATCH.includes(mismatch)) r.error('POLICY_HTTP_MISMATCH', `headerMatches mismatch "${mismatch}" is not one of LOG, ADD, DELETE, REPLACE (or empty)`, [...path, 'headerMatches', i, 'mismatch']);
      const value = typeof m.value === 'string' && m.value !== '' ? m.value : undefined;
      rule.headerMatches.push({ name: m.name.toLowerCase(), ...(value !== undefined ? { value } : {}), mismatch, secret: isRecord(m.secret) });
      parts.push(`headerMatch ${m.name}${value !== undefined ? `=${value}` : ''}${mismatch ? ` (${mismatch})` : ''}`);
    });
  }
  rule.text = parts.length ? parts.join(', ') : 'any request';
  return rule;
}

/** RE2 in JavaScript's clothes: anchored; a leading (?i) becomes the i flag; constructs RE2 lacks are errors. */
export function compileRegex(source: string, path: Path, r: Reporter): RegExp | undefined {
  let body = source;
  let flags = '';
  if (body.startsWith('(?i)')) {
    body = body.slice(4);
    flags = 'i';
  }
  if (/\(\?<?[=!]|\\[1-9]/.test(body)) {
    r.error('POLICY_REGEX_INVALID', `invalid regular expression "${source}": RE2 has no lookaround or backreferences`, path);
    return undefined;
  }
  try {
    // The pattern alone first: its own error reads without our anchoring, and `a)|(b` cannot escape it.
    new RegExp(body, flags);
    return new RegExp(`^(?:${body})$`, flags);
  } catch (err) {
    r.error('POLICY_REGEX_INVALID', `invalid regular expression "${source}": ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`, path, 'Cilium hands these to Envoy as RE2 regexes, matched against the whole value');
    return undefined;
  }
}

/**
 * Whether a request matches a rule. A headerMatch against a Secret's value (unknown offline)
 * that fails the request on mismatch makes a present header's match 'unknown'.
 */
export function httpMatches(rule: HttpRule, req: HttpRequest): 'yes' | 'no' | 'unknown' {
  if (rule.broken) return 'no';
  if (rule.method && !rule.method.test(req.method)) return 'no';
  if (rule.path && !rule.path.test(req.path)) return 'no';
  if (rule.host && (req.host === undefined || !rule.host.test(req.host))) return 'no';
  const headers = lowerHeaders(req);
  for (const h of rule.headers) {
    const v = headers.get(h.name);
    if (v === undefined || (h.value !== undefined && v !== h.value)) return 'no';
  }
  let out: 'yes' | 'unknown' = 'yes';
  for (const m of rule.headerMatches) {
    if (m.mismatch !== '') continue; // LOG, ADD, DELETE, REPLACE never deny
    const v = headers.get(m.name);
    if (v === undefined) return 'no';
    if (m.secret) out = 'unknown';
    else if (m.value !== undefined && v !== m.value) return 'no';
  }
  return out;
}

function lowerHeaders(req: HttpRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(req.headers)) out.set(k.toLowerCase(), v);
  if (req.host !== undefined && !out.has('host')) out.set('host', req.host);
  return out;
}

export function describeRequest(req: HttpRequest): string {
  return `${req.method} ${req.path}`;
}

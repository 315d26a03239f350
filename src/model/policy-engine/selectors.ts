import { isRecord, type Path, type Reporter } from './report.js';

/**
 * Label selectors as Cilium evaluates them: matchLabels AND matchExpressions over an identity's
 * labels. Keys are normalized: the `k8s:` and `any:` sources are stripped (pod labels are the only
 * k8s labels modelled), while `reserved:<entity>` keys stay and can only match reserved identities.
 */
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
export const OPERATORS: readonly Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export function normalizeKey(key: string): string {
  return key.startsWith('k8s:') || key.startsWith('any:') ? key.slice(4) : key;
}

/** Requirements of a selector, keys normalized and optionally prefixed; undefined when invalid (reported). */
export function parseSelector(raw: unknown, path: Path, r: Reporter, keyPrefix = ''): Requirement[] | undefined {
  if (raw === null || raw === undefined) return [];
  if (!isRecord(raw)) return undefined; // checkShape has said so at this field, as for a matchLabels that is not a mapping
  const reqs: Requirement[] = [];
  let valid = true;
  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (!isRecord(raw.matchLabels)) valid = false;
    else {
      for (const [k, v] of Object.entries(raw.matchLabels)) {
        if (typeof v !== 'string') {
          if (typeof v === 'object') { // null too
            r.error('POLICY_SELECTOR_INVALID', `matchLabels value of "${k}" must be a string`, [...path, 'matchLabels', k]);
            valid = false;
            continue;
          }
          r.error('POLICY_SELECTOR_INVALID', `matchLabels value of "${k}" must be a string, not ${typeof v} ${String(v)}`, [...path, 'matchLabels', k], `quote it: "${String(v)}"`);
        }
        reqs.push({ key: keyPrefix + normalizeKey(k), op: 'In', values: [String(v)] });
      }
    }
  }
  const exprs = raw.matchExpressions;
  if (Array.isArray(exprs)) {
    exprs.forEach((e, i) => {
      const req = parseRequirement(e, [...path, 'matchExpressions', i], r, keyPrefix);
      if (req) reqs.push(req);
      else valid = false;
    });
  }
  return valid ? reqs : undefined;
}

function parseRequirement(e: unknown, path: Path, r: Reporter, keyPrefix: string): Requirement | undefined {
  if (!isRecord(e)) return undefined;
  if (typeof e.key !== 'string' || e.key === '') {
    r.error('POLICY_SELECTOR_INVALID', 'a selector requirement needs a key', path);
    return undefined;
  }
  const op = e.operator;
  if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) {
    r.error('POLICY_SELECTOR_INVALID', `invalid selector operator ${JSON.stringify(op ?? null)}`, [...path, 'operator'], `use one of ${OPERATORS.join(', ')}`);
    return undefined;
  }
  const values = Array.isArray(e.values) ? e.values.map(String) : [];
  if ((op === 'In' || op === 'NotIn') && values.length === 0) {
    r.error('POLICY_SELECTOR_INVALID', `operator ${op} needs at least one value`, path);
    return undefined;
  }
  if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
    r.error('POLICY_SELECTOR_INVALID', `operator ${op} takes no values`, [...path, 'values']);
    return undefined;
  }
  return { key: keyPrefix + normalizeKey(e.key), op: op as Operator, values };
}

export function matchRequirements(reqs: readonly Requirement[], get: (key: string) => string | undefined): boolean {
  for (const q of reqs) {
    const v = get(q.key);
    switch (q.op) {
      case 'In':
        if (v === undefined || !q.values.includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && q.values.includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
    }
  }
  return true;
}

/** Canonical text: equal selectors share one cache entry. */
export function requirementsText(reqs: readonly Requirement[]): string {
  return reqs
    .map((q) => `${q.key} ${q.op}${q.values.length ? ` (${[...q.values].sort().join(',')})` : ''}`)
    .sort()
    .join('; ');
}

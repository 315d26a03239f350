/**
 * Hubble's label filters (`--label`, flow.proto `source_label`/`destination_label`): a Kubernetes
 * label selector over the endpoint's Cilium labels (`k8s:app=web`, `reserved:world`).
 * cilium v1.16.6 pkg/hubble/filters/labelparser.go `translateSelector` rewrites each key
 * `source:key` to `source.key` and a key without a source to `any.key`; labels.go then matches
 * with the k8s selector (pkg/k8s/slim/k8s/apis/labels) over `ParseLabelArrayFromArray`, where
 * `any` stands for every source (pkg/labels/array.go `Get`/`Has`).
 */

/** One requirement of a selector, as k8s.io/apimachinery/pkg/labels parses it. */
interface Requirement {
  source: string;
  key: string;
  op: 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
  values: string[];
}

export type LabelSelector = Requirement[];

export class SelectorError extends Error {}

/** Parses `k8s:app=web,!reserved:world,env in (a,b)`; throws SelectorError on bad syntax. */
export function parseLabelSelector(text: string): LabelSelector {
  const out: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const p = part.trim();
    if (!p) {
      if (text.trim() === '') continue;
      throw new SelectorError(`invalid label selector ${JSON.stringify(text)}: empty requirement`);
    }
    out.push(requirement(p, text));
  }
  return out;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_.:/]*`;
const VALUE = String.raw`(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;

function requirement(p: string, whole: string): Requirement {
  const bad = () => new SelectorError(`invalid label selector ${JSON.stringify(whole)}: cannot parse ${JSON.stringify(p)}`);
  let m = new RegExp(`^!\\s*(${KEY})$`).exec(p);
  if (m) return { ...splitKey(m[1]!), op: '!', values: [] };
  m = new RegExp(`^(${KEY})$`).exec(p);
  if (m) return { ...splitKey(m[1]!), op: 'exists', values: [] };
  m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(p);
  if (m) return { ...splitKey(m[1]!), op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] };
  m = new RegExp(`^(${KEY})\\s*(>|<)\\s*(-?\\d+)$`).exec(p);
  if (m) return { ...splitKey(m[1]!), op: m[2] === '>' ? 'gt' : 'lt', values: [m[3]!] };
  m = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(p);
  if (m) {
    const values = m[3]!.split(',').map((v) => v.trim());
    if (values.some((v) => !new RegExp(`^${VALUE}$`).test(v))) throw bad();
    return { ...splitKey(m[1]!), op: m[2] as 'in' | 'notin', values };
  }
  throw bad();
}

/** `k8s:app` → source k8s, key app; `app` → any source (labelparser.go translateKey). */
function splitKey(key: string): { source: string; key: string } {
  const i = key.indexOf(':');
  return i < 0 ? { source: 'any', key } : { source: key.slice(0, i), key: key.slice(i + 1) };
}

interface Label {
  source: string;
  key: string;
  value: string;
}

/** pkg/labels ParseLabel: `source:key=value`; no source is `unspec`. */
export function parseCiliumLabel(text: string): Label {
  const eq = text.indexOf('=');
  const kv = eq < 0 ? text : text.slice(0, eq);
  const value = eq < 0 ? '' : text.slice(eq + 1);
  const colon = kv.indexOf(':');
  return colon < 0 ? { source: 'unspec', key: kv, value } : { source: kv.slice(0, colon), key: kv.slice(colon + 1), value };
}

function lookup(labels: Label[], source: string, key: string): { has: boolean; value: string } {
  const l = labels.find((x) => x.key === key && (source === 'any' || x.source === source));
  return l ? { has: true, value: l.value } : { has: false, value: '' };
}

/** Does the selector select these labels? Every requirement must hold (k8s internalSelector.Matches). */
export function selectorMatches(selector: LabelSelector, labels: readonly string[]): boolean {
  const parsed = labels.map(parseCiliumLabel);
  return selector.every((r) => {
    const { has, value } = lookup(parsed, r.source, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
      case 'in':
        return has && r.values.includes(value);
      case '!=':
      case 'notin':
        return !has || !r.values.includes(value);
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value)) return false;
        return r.op === 'gt' ? Number(value) > Number(r.values[0]) : Number(value) < Number(r.values[0]);
      }
    }
  });
}

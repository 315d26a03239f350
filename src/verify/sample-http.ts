import type { LoadedObject } from '../manifests/index.js';
import type { HttpRequest, RuleRef } from '../model/policy-engine/index.js';

/** A path no HTTP rule is likely to name: the request "without" the rule's method and path. */
export const UNNAMED_PATH = '/meshwright-verify/not-in-any-rule';

/**
 * The HTTP requests that probe an L7 rule: one with the method and path of the rule's first HTTP
 * entry that names them literally (Cilium matches both as anchored regular expressions:
 * Documentation/security/policy/language.rst, "path … an extended POSIX regex"), and one the
 * rule does not name. Entries with headers or a host are not probed with the first kind: a
 * request could not be sure to match them. Whether each is allowed is for `policy explain` to say.
 */
export function httpProbes(objects: readonly LoadedObject[], rule: RuleRef): HttpRequest[] {
  const entries = httpEntries(objects, rule);
  const named = entries.map(literalRequest).find((r) => r !== undefined);
  const method = named?.method === 'GET' ? 'DELETE' : 'GET';
  return [...(named ? [named] : []), { method, path: UNNAMED_PATH, headers: {} }];
}

interface HttpEntry {
  method?: string;
  path?: string;
  host?: string;
  headers?: unknown[];
  headerMatches?: unknown[];
}

/** The rule's `toPorts[].rules.http[]` entries, read from the policy as given (spec and each of specs[]). */
function httpEntries(objects: readonly LoadedObject[], rule: RuleRef): HttpEntry[] {
  const policy = objects.find((o) => o.object.kind === rule.kind && o.object.metadata.name === rule.name && (o.object.metadata.namespace ?? undefined) === rule.namespace && (!o.cluster || o.cluster === rule.cluster))
    ?? objects.find((o) => o.object.kind === rule.kind && o.object.metadata.name === rule.name && (!o.cluster || o.cluster === rule.cluster));
  if (!policy) return [];
  const specs = [policy.object.spec, ...(Array.isArray(policy.object.specs) ? policy.object.specs : [])] as Array<Record<string, unknown> | undefined>;
  const out: HttpEntry[] = [];
  for (const spec of specs) {
    const item = (spec?.[rule.section] as unknown[] | undefined)?.[rule.index] as { toPorts?: Array<{ rules?: { http?: HttpEntry[] } }> } | undefined;
    for (const tp of item?.toPorts ?? []) out.push(...(tp.rules?.http ?? []));
  }
  return out;
}

/** A request an entry surely matches, when its method and path are literal (a trailing `.*` or `$` aside). */
function literalRequest(e: HttpEntry): HttpRequest | undefined {
  if (e.host || e.headers?.length || e.headerMatches?.length) return undefined;
  const method = e.method ?? 'GET';
  if (!/^[A-Za-z]+$/.test(method)) return undefined;
  const path = (e.path ?? '/').replace(/(\.\*|\$)$/, '');
  if (!path.startsWith('/') || /[*+?^${}()|[\]\\]/.test(path)) return undefined;
  return { method, path: path || '/', headers: {} };
}

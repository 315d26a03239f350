import { apiGroup, BUILT_IN_GROUPS, KNOWN_KINDS } from '../manifests/index.js';
import { closest } from '../spec/suggest.js';
import { findingAt, type ModelObject } from './objects.js';
import type { Findings } from './objects.js';

const KIND_NAMES = Object.keys(KNOWN_KINDS);

/**
 * kubectl refuses an object whose kind its API server does not serve ("no matches for kind").
 * A kind one slip away from a known one in the same API group is what the author meant: the
 * object is read as that kind, with a warning that says the fix; so is a known kind written with
 * the wrong apiVersion of a built-in group. Any other unknown kind of a built-in group is refused and
 * left out; an unknown kind of an unknown group is a custom resource, kept as it is.
 */
export function checkKind(o: ModelObject, findings: Findings): ModelObject | undefined {
  const { kind, apiVersion } = o.object;
  const known = KNOWN_KINDS[kind];
  const group = apiGroup(apiVersion);
  // A kind of the same name in another project's group (Calico's NetworkPolicy) is that project's own.
  if (known && (apiGroup(known.apiVersion) === group || !BUILT_IN_GROUPS.has(group))) return o;
  if (known) {
    const fix = findings.add(findingAt(o, { severity: 'warning', code: 'API_VERSION_MISMATCH', message: `${kind} is not served in ${apiVersion}: kubectl apply refuses it (no matches for kind "${kind}" in version "${apiVersion}"); read as ${known.apiVersion}, which it evidently means`, hint: `write apiVersion: ${known.apiVersion}` }, ['apiVersion']));
    return { ...o, object: { ...o.object, apiVersion: known.apiVersion }, fixes: [...(o.fixes ?? []), fix] };
  }
  const guess = closest(kind, KIND_NAMES);
  if (guess && apiGroup(KNOWN_KINDS[guess]!.apiVersion) === group) {
    const fix = findings.add(findingAt(o, { severity: 'warning', code: 'UNKNOWN_KIND', message: `kind ${kind} does not exist: kubectl apply refuses it; read as ${guess}, which it evidently means`, hint: `did you mean ${guess}? write kind: ${guess}` }, ['kind']));
    return { ...o, object: { ...o.object, kind: guess }, fixes: [...(o.fixes ?? []), fix] };
  }
  if (BUILT_IN_GROUPS.has(group)) {
    findings.add(findingAt(o, { severity: 'warning', code: 'UNKNOWN_KIND', message: `kind ${kind} does not exist in ${apiVersion}: kubectl apply refuses it, and meshwright leaves it out`, hint: guess ? `did you mean ${guess} (apiVersion: ${KNOWN_KINDS[guess]!.apiVersion})?` : 'check the kind against kubectl api-resources' }, ['kind']));
    return undefined;
  }
  return o;
}

/** Cilium 1.16's global-service annotations (pkg/annotation/k8s.go), each with its older alias. */
export const ANNOTATIONS = {
  global: ['service.cilium.io/global', 'io.cilium/global-service'],
  shared: ['service.cilium.io/shared', 'io.cilium/shared-service'],
  affinity: ['service.cilium.io/affinity', 'io.cilium/service-affinity'],
  syncEndpointSlices: ['service.cilium.io/global-sync-endpoint-slices'],
} as const;

export type Affinity = 'local' | 'remote' | 'none';
export const AFFINITIES: readonly Affinity[] = ['local', 'remote', 'none'];

export interface AnnotationFinding {
  /** The annotation key as written (the one found). */
  key: string;
  value: string;
  message: string;
  hint: string;
}

export interface GlobalServiceAnnotations {
  global: boolean;
  shared: boolean;
  affinity: Affinity;
  /** undefined when not set: the default applies. */
  syncEndpointSlices: boolean | undefined;
  findings: AnnotationFinding[];
}

function pick(annotations: Record<string, string>, keys: readonly string[]): [string, string] | undefined {
  for (const k of keys) if (annotations[k] !== undefined) return [k, String(annotations[k])];
  return undefined;
}

/**
 * Reads the annotations as the agent does (pkg/annotation/k8s.go GetAnnotationIncludeExternal,
 * GetAnnotationShared: `strings.ToLower(value) == "true"`, no trimming): "true" in any case
 * turns a flag on, shared defaults to true on a global service, and an affinity Cilium does not
 * know is silently "none" — which is worth a warning here. Values that are not strings were
 * read as meant by the Service reader, which says so (model/fields.ts).
 */
export function readGlobalServiceAnnotations(annotations: Record<string, string> = {}): GlobalServiceAnnotations {
  const findings: AnnotationFinding[] = [];
  /** The flag as written, or undefined when absent (each caller has its own default). */
  const flag = (keys: readonly string[]): boolean | undefined => {
    const found = pick(annotations, keys);
    if (!found) return undefined;
    const v = found[1].toLowerCase();
    if (v !== 'true' && v !== 'false') findings.push({ key: found[0], value: found[1], message: `${found[0]}: "${found[1]}" is neither "true" nor "false"; Cilium reads it as false`, hint: 'write "true" or "false" (quoted)' });
    return v === 'true';
  };
  const global = flag(ANNOTATIONS.global) ?? false;
  const shared = flag(ANNOTATIONS.shared) ?? global;
  const sync = flag(ANNOTATIONS.syncEndpointSlices);
  let affinity: Affinity = 'none';
  const aff = pick(annotations, ANNOTATIONS.affinity);
  if (aff) {
    const v = aff[1].toLowerCase();
    if ((AFFINITIES as readonly string[]).includes(v)) affinity = v as Affinity;
    else findings.push({ key: aff[0], value: aff[1], message: `${aff[0]}: "${aff[1]}" is not an affinity Cilium knows; Cilium 1.16 silently treats it as "none"`, hint: `use one of: ${AFFINITIES.join(', ')}` });
  }
  return { global, shared, affinity, syncEndpointSlices: sync, findings };
}

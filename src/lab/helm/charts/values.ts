/** Helm's value coalescing for -f files (pkg/chartutil/coalesce.go, simplified): maps merge key by key, the later file wins, null deletes. */
export function mergeValues(base: Record<string, any>, ...overrides: Array<Record<string, any>>): Record<string, any> {
  let out = structuredClone(base);
  for (const o of overrides) out = merge(out, o);
  return out;
}

function merge(a: any, b: any): any {
  if (!isMap(a) || !isMap(b)) return structuredClone(b);
  const out: Record<string, any> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? merge(out[k], v) : structuredClone(v);
  }
  return out;
}

const isMap = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A dotted path of the values, or undefined. */
export function at(v: Record<string, any>, path: string): any {
  return path.split('.').reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), v);
}

/** The chart's own objects carry these (helm's install adds the meta.helm.sh annotations for `helm upgrade` adoption). */
export function helmMeta(release: string, namespace: string, labels: Record<string, string> = {}): Record<string, any> {
  return { labels: { 'app.kubernetes.io/managed-by': 'Helm', ...labels }, annotations: { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': namespace } };
}

import { gunzipSync } from 'node:zlib';
import type { ClusterClient } from './client.js';

/** The fields of a Helm 3 release apply reads (helm pkg/release/release.go). */
export interface ReleaseRecord {
  name: string;
  namespace: string;
  version: number;
  status: string;
  chartVersion: string;
  config: Record<string, unknown>;
}

/**
 * The newest revision of a release, read as helm 3 stores it (pkg/storage/driver/secrets.go:
 * Secrets labelled owner=helm,name=<release>; util.go decodeRelease: base64, then gzip'ed JSON).
 * The same on a real cluster and on the lab, which records releases exactly so.
 */
export async function readRelease(c: ClusterClient, namespace: string, name: string): Promise<ReleaseRecord | undefined> {
  const list = await c.core.listNamespacedSecret({ namespace, labelSelector: `owner=helm,name=${name}` });
  let newest: ReleaseRecord | undefined;
  for (const s of list.items) {
    if (s.type !== 'helm.sh/release.v1' || !s.data?.release) continue;
    const r = decodeRelease(s.data.release);
    if (!newest || r.version > newest.version) newest = r;
  }
  return newest;
}

/** `data.release` of a release Secret (still base64 for the Secret's own encoding). */
export function decodeRelease(secretData: string): ReleaseRecord {
  const inner = Buffer.from(Buffer.from(secretData, 'base64').toString(), 'base64');
  // util.go: gzip magic 1f 8b 08 means compressed; older releases were plain JSON
  const json = inner[0] === 0x1f && inner[1] === 0x8b ? gunzipSync(inner).toString() : inner.toString();
  const r = JSON.parse(json) as { name: string; namespace: string; version: number; info?: { status?: string }; chart?: { metadata?: { version?: string } }; config?: Record<string, unknown> };
  return { name: r.name, namespace: r.namespace, version: r.version, status: r.info?.status ?? 'unknown', chartVersion: r.chart?.metadata?.version ?? '', config: r.config ?? {} };
}

/** helm's coalesce of several -f files: maps merged key by key, later files win, lists replaced. */
export function mergeValues(...layers: Array<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      const prev = out[k];
      out[k] = isMap(prev) && isMap(v) ? mergeValues(prev, v) : v;
    }
  }
  return out;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of two values documents (key order ignored). */
export function sameValues(a: unknown, b: unknown): boolean {
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValues(a[k], b[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValues(x, b[i]));
  return a === b;
}

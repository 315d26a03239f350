import { gunzipSync, gzipSync, constants } from 'node:zlib';

/** The subset of helm's release.Release (pkg/release/release.go, info.go, chart/metadata.go) that `helm ls`, `helm status` and `helm get` read. */
export interface HelmRelease {
  name: string;
  namespace: string;
  version: number;
  info: { first_deployed: string; last_deployed: string; deleted: string; description: string; status: 'deployed' | 'superseded' | 'failed' | 'pending-install' | 'pending-upgrade'; notes?: string };
  chart: { metadata: { name: string; version: string; appVersion: string; apiVersion: 'v2'; description?: string; home?: string }; templates?: unknown[]; values: Record<string, unknown> };
  config: Record<string, unknown>;
  manifest: string;
}

/** helm pkg/storage/storage.go makeKey: `sh.helm.release.v1.<name>.v<version>`. */
export const releaseSecretName = (name: string, version: number): string => `sh.helm.release.v1.${name}.v${version}`;

/**
 * helm pkg/storage/driver/util.go encodeRelease: JSON, gzip at BestCompression, base64 — the
 * string that becomes the Secret's `release` key (Kubernetes base64-encodes Secret data again).
 */
export function encodeRelease(r: HelmRelease): string {
  return gzipSync(Buffer.from(JSON.stringify(r)), { level: constants.Z_BEST_COMPRESSION }).toString('base64');
}

/** util.go decodeRelease: base64, then gunzip when the gzip magic header is there. */
export function decodeRelease(data: string): HelmRelease {
  let b = Buffer.from(data, 'base64');
  if (b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) b = gunzipSync(b);
  return JSON.parse(b.toString()) as HelmRelease;
}

/**
 * pkg/storage/driver/secrets.go newSecretsObject: type helm.sh/release.v1, labels name, owner=helm,
 * status, version, and createdAt (Create) or modifiedAt (Update) in Unix seconds.
 */
export function releaseSecret(r: HelmRelease, nowMs: number, createdAt?: number): Record<string, any> {
  const labels: Record<string, string> = { name: r.name, owner: 'helm', status: r.info.status, version: String(r.version), createdAt: String(createdAt ?? Math.floor(nowMs / 1000)) };
  if (createdAt !== undefined) labels.modifiedAt = String(Math.floor(nowMs / 1000));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: releaseSecretName(r.name, r.version), namespace: r.namespace, labels },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(encodeRelease(r)).toString('base64') },
  };
}

/** Go's time.Time.String() for a UTC instant ("2006-01-02 15:04:05.999999999 -0700 MST"), as `helm ls` prints UPDATED. */
export function goTimeString(iso: string): string {
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = String(d.getUTCMilliseconds() * 1_000_000).padStart(9, '0').replace(/0+$/, '');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac ? `.${frac}` : ''} +0000 UTC`;
}

import type { Backend } from './backends.js';
import type { SeededRandom } from './rng.js';

/**
 * A lab started with a biased backend choice, for tests of `meshwright verify`:
 * `MESHWRIGHT_LAB_BACKEND_BIAS=k8s-cilium-01=4,k8s-cilium-02=1` in the lab process's environment
 * makes each backend of k8s-cilium-01 four times as likely to be picked as one of k8s-cilium-02
 * (unlisted clusters weigh 1). Real Cilium picks uniformly (bpf/lib/lb.h), so a biased lab is a
 * platform that does not behave as `plan` predicts; verify's share test must notice.
 */
export const BACKEND_BIAS_ENV = 'MESHWRIGHT_LAB_BACKEND_BIAS';

export type BackendBias = ReadonlyMap<string, number>;

export function parseBackendBias(text: string | undefined): BackendBias {
  const out = new Map<string, number>();
  for (const part of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = part.lastIndexOf('=');
    const weight = Number(part.slice(at + 1));
    if (at > 0 && Number.isFinite(weight) && weight >= 0) out.set(part.slice(0, at), weight);
  }
  return out;
}

/** One backend: uniformly without a bias (Cilium's `random` algorithm), else by the clusters' weights. */
export function pickBackend(rng: SeededRandom, backends: readonly Backend[], bias: BackendBias): Backend {
  if (!bias.size) return rng.pick(backends);
  const weights = backends.map((b) => bias.get(b.cluster) ?? 1);
  const total = weights.reduce((a, w) => a + w, 0);
  if (!(total > 0)) return rng.pick(backends);
  let x = rng.next() * total;
  for (let i = 0; i < backends.length; i++) {
    x -= weights[i]!;
    if (x < 0) return backends[i]!;
  }
  return backends[backends.length - 1]!;
}

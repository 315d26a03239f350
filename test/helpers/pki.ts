import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificatePlan, reconcilePki, type PkiState, type ReconcileResult, type WebCrypto } from '../../src/pki/index.js';
import type { Platform } from '../../src/spec/index.js';
import { onTerm } from './on-term.js';

/** A fixed clock: nothing in these tests reads the real one. */
export const T0 = new Date('2025-03-01T12:00:00Z');
export const DAY_MS = 86_400_000;

export const daysAfter = (days: number, from = T0): Date => new Date(from.getTime() + days * DAY_MS);

export function reconcile(platform: Platform, state: PkiState = {}, opts: { now?: Date; rotateCa?: boolean; crypto?: WebCrypto } = {}): Promise<ReconcileResult> {
  return reconcilePki(state, certificatePlan(platform), { now: opts.now ?? T0, crypto: opts.crypto ?? webcrypto, rotateCa: opts.rotateCa ?? false });
}

/** A copy of the platform with one cluster's LB IPAM pool replaced. */
export function withLoadBalancerIPs(platform: Platform, cluster: string, ips: string[]): Platform {
  const copy = structuredClone(platform);
  copy.spec.clusters.find((c) => c.name === cluster)!.loadBalancerIPs = ips;
  return copy;
}

export function withoutCluster(platform: Platform, cluster: string): Platform {
  const copy = structuredClone(platform);
  copy.spec.clusters = copy.spec.clusters.filter((c) => c.name !== cluster);
  return copy;
}

/** WebCrypto that counts the calls that consume randomness, delegating everything to node's. */
export function countingCrypto(): { crypto: WebCrypto; calls: { generateKey: number; getRandomValues: number } } {
  const calls = { generateKey: 0, getRandomValues: 0 };
  const subtle = new Proxy(webcrypto.subtle, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (prop === 'generateKey') calls.generateKey++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const crypto = {
    subtle,
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
      calls.getRandomValues++;
      return webcrypto.getRandomValues(array as never) as T;
    },
    randomUUID: () => webcrypto.randomUUID(),
  } as unknown as WebCrypto;
  return { crypto, calls };
}

/** The base64 body lines of every private key in the state: what must never appear in output. */
export function keyBodies(state: PkiState): string[] {
  return Object.values(state).flatMap((p) => p.keyPem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')));
}

/** A fresh temp folder, removed by the returned function, or when a runner stops the test with SIGTERM. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `meshwright-${prefix}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const unregister = onTerm(remove);
  return {
    dir,
    cleanup: () => {
      unregister();
      remove();
    },
  };
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, { mode: 0o600 });
}

import { createHash } from 'node:crypto';
import type { Obj } from '../store/log-store.js';
import { parseQuantity } from './quantity.js';

/** What one container, pod or node uses: CPU in cores, memory in bytes. */
export interface Usage {
  cpu: number;
  memory: number;
}

/**
 * The lab runs no process, so usage is made up — steadily, so `kubectl top` shows the same
 * numbers twice: each container uses a fixed share (20–70%, from a hash of its pod's UID and
 * its name) of what it requests, or of a small floor when it requests nothing.
 */
const FLOOR: Usage = { cpu: 0.005, memory: 24 * 2 ** 20 };

/** The kubelet, the container runtime and the OS: what a node uses with no pods (a small VM's figures). */
export const NODE_OVERHEAD: Usage = { cpu: 0.08, memory: 512 * 2 ** 20 };

export function containerUsage(pod: Obj, container: Obj): Usage {
  const req = (container.resources?.requests ?? {}) as Record<string, unknown>;
  const share = 0.2 + 0.5 * unitHash(`${pod.metadata.uid ?? pod.metadata.name}/${container.name}`);
  return {
    cpu: share * (parseQuantity(req.cpu) || FLOOR.cpu),
    memory: Math.round(share * (parseQuantity(req.memory) || FLOOR.memory)),
  };
}

/** A pod's containers' usage, by container name (init containers have exited: none). */
export function podUsage(pod: Obj): Array<{ name: string; usage: Usage }> {
  return ((pod.spec?.containers ?? []) as Obj[]).map((c) => ({ name: String(c.name), usage: containerUsage(pod, c) }));
}

/** A node's usage: its overhead plus every running pod on it. */
export function nodeUsage(pods: readonly Obj[]): Usage {
  const total = { ...NODE_OVERHEAD };
  for (const p of pods) for (const c of podUsage(p)) {
    total.cpu += c.usage.cpu;
    total.memory += c.usage.memory;
  }
  return total;
}

/** metrics-server's own spelling: CPU in nanocores ("123456n"), memory in KiB ("2048Ki"). */
export function usageQuantities(u: Usage): { cpu: string; memory: string } {
  return { cpu: `${Math.round(u.cpu * 1e9)}n`, memory: `${Math.round(u.memory / 1024)}Ki` };
}

function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

import type { Obj } from '../store/log-store.js';

/** `false` (coreutils, busybox): does nothing, unsuccessfully — exit 1, in every image that has it. */
const ALWAYS_FAILS = new Set(['false', '/bin/false', '/usr/bin/false']);

/**
 * Whether a container's readiness probe can never pass: an exec probe of `false` (verify's probe
 * pods use it to stay out of every Service's ready endpoints). The lab runs no other probe: the
 * rest pass once the pod has run for the readiness delay.
 */
export function readinessNeverPasses(container: Obj): boolean {
  const command: unknown = container.readinessProbe?.exec?.command;
  return Array.isArray(command) && command.length === 1 && ALWAYS_FAILS.has(String(command[0]));
}

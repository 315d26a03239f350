import { SeededRandom } from '../traffic/rng.js';

/** Linux's default ephemeral range (net.ipv4.ip_local_port_range = 32768 60999, Documentation/networking/ip-sysctl.rst). */
const FIRST = 32768;
const LAST = 60999;

/**
 * Client ports for a run of requests, from their own seeded source (the request's seed, mixed) so
 * that drawing them never changes which backends the run picks.
 */
export function sourcePorts(seed: number): () => number {
  const rng = new SeededRandom((seed ^ 0x5eed_f10e) >>> 0);
  return () => FIRST + Math.floor(rng.next() * (LAST - FIRST + 1));
}

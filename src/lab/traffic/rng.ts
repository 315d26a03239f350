/**
 * A seeded pseudo-random source (mulberry32): the lab picks backends at random as Cilium's
 * default `loadBalancer.algorithm: random` does (bpf/lib/lb.h lb4_select_backend_id:
 * `get_prandom_u32() % count` over the service's backend slots), reproducibly for a seed.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** One element, each with equal weight. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
}

import type { CurlOutcome } from './curl.js';

/**
 * `meshwright lab traffic`'s bounds: at most 1,000 requests a second for at most 300 seconds
 * (300,000 requests), sent as one `lab curl` batch per URL per second, so a load never holds the
 * lab's one thread for long and always ends.
 */
export const TRAFFIC_LIMITS = { maxRate: 1000, maxDurationSeconds: 300 } as const;

export interface LoadPlan {
  /** Requests per second, over all URLs. */
  rate: number;
  /** Seconds (whole: one batch per second). */
  seconds: number;
  urls: string[];
  /** The first batch's seed; batch i of URL j uses seed + i·urls + j. */
  seed: number;
}

export interface Batch {
  second: number;
  url: string;
  count: number;
  seed: number;
}

/** Each second's batches: `rate` requests dealt to the URLs in turn (the first ones get the remainder). */
export function batchesOf(plan: LoadPlan): Batch[] {
  const out: Batch[] = [];
  for (let s = 0; s < plan.seconds; s++) {
    plan.urls.forEach((url, j) => {
      const count = Math.floor(plan.rate / plan.urls.length) + (j < plan.rate % plan.urls.length ? 1 : 0);
      if (count > 0) out.push({ second: s, url, count, seed: (plan.seed + s * plan.urls.length + j) >>> 0 });
    });
  }
  return out;
}

export interface LoadClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Sends the plan's batches, second by second (a batch that starts late is sent at once: the
 * summary's achieved rate says so), and returns every outcome with its URL.
 */
export async function runLoad(plan: LoadPlan, send: (b: Batch) => Promise<CurlOutcome[]>, clock: LoadClock): Promise<{ results: { url: string; outcome: CurlOutcome }[]; elapsedMs: number }> {
  const start = clock.now();
  const results: { url: string; outcome: CurlOutcome }[] = [];
  for (const b of batchesOf(plan)) {
    const due = start + b.second * 1000;
    const wait = due - clock.now();
    if (wait > 0) await clock.sleep(wait);
    for (const outcome of await send(b)) results.push({ url: b.url, outcome });
  }
  // the last second counts as a whole one, as a rate of N/s promises
  const end = Math.max(clock.now(), start + plan.seconds * 1000);
  return { results, elapsedMs: end - start };
}

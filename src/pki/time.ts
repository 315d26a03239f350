export const DAY_MS = 86_400_000;

/**
 * `now` cut to the second. X.509 times have no milliseconds, so issuing from this instant and
 * counting days left from it agree: a fresh 1095-day certificate has 1095 days left, not 1094.
 */
export function wholeSeconds(now: Date): number {
  return Math.floor(now.getTime() / 1000) * 1000;
}

/** Whole days from `now` to `until`; negative once passed. */
export function daysUntil(until: Date, now: Date): number {
  return Math.floor((until.getTime() - wholeSeconds(now)) / DAY_MS);
}

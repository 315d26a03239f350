import type { CurlOutcome } from './curl.js';

export interface LoadSummary {
  requests: number;
  elapsedSeconds: number;
  /** Requests per second achieved. */
  rate: number;
  /** "HTTP 200", "HTTP 403", "curl exit 28" … → count. */
  outcomes: Record<string, number>;
  /** The cluster of the pod that answered ("none": no backend answered) → count. */
  clusters: Record<string, number>;
  /** Per URL, the same two tallies. */
  urls: { url: string; requests: number; outcomes: Record<string, number>; clusters: Record<string, number> }[];
}

/** What a request came to: its HTTP code when curl got an answer, else curl's exit code. */
export function outcomeOf(o: CurlOutcome): string {
  return o.exitCode === 0 && o.httpStatus !== undefined ? `HTTP ${o.httpStatus}` : `curl exit ${o.exitCode}`;
}

function tally(items: CurlOutcome[], key: (o: CurlOutcome) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of items) out[key(o)] = (out[key(o)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function summarizeLoad(results: readonly { url: string; outcome: CurlOutcome }[], urls: readonly string[], elapsedMs: number): LoadSummary {
  const all = results.map((r) => r.outcome);
  const cluster = (o: CurlOutcome) => o.backend?.cluster ?? 'none';
  const seconds = elapsedMs / 1000;
  return {
    requests: all.length,
    elapsedSeconds: Math.round(seconds * 1000) / 1000,
    rate: seconds > 0 ? Math.round((all.length / seconds) * 10) / 10 : 0,
    outcomes: tally(all, outcomeOf),
    clusters: tally(all, cluster),
    urls: urls.map((url) => {
      const mine = results.filter((r) => r.url === url).map((r) => r.outcome);
      return { url, requests: mine.length, outcomes: tally(mine, outcomeOf), clusters: tally(mine, cluster) };
    }),
  };
}

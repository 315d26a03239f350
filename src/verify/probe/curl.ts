import type { ProbeAnswer } from '../types.js';

export interface ProbeCurl {
  url: string;
  /** curl -X: the request method (an L7 rule's own); GET when unset. */
  method?: string;
  headers: readonly string[];
  count: number;
  /** Marks each transfer's -w line (the run's own, so no answer body can forge one). */
  marker: string;
  /** curl --connect-timeout, seconds: a dropped SYN fails with 28 after it. */
  connectTimeout: number;
  /** curl --max-time, seconds, per transfer. */
  maxTime: number;
}

/**
 * One exec for N requests: curl with the URL N times, each transfer followed by its -w line (the
 * marker, %{http_code}, %{exitcode}, %{errormsg}: curl ≥ 7.75.0, docs/cmdline-opts/write-out.md).
 * The body goes to stdout before it (no -o: the body says which cluster answered). `Connection:
 * close` makes every request a new connection: curl reuses one connection for the same host
 * otherwise, and a load balancer picks a backend per connection, so 100 requests would be one
 * backend's. Without --fail-early curl goes on after a failed transfer.
 */
export function probeCurlCommand(c: ProbeCurl): string[] {
  const headers = [...c.headers, ...(c.headers.some((h) => /^connection\s*:/i.test(h)) ? [] : ['Connection: close'])];
  return [
    'curl',
    '-sS',
    '--connect-timeout',
    String(c.connectTimeout),
    '--max-time',
    String(c.maxTime),
    ...(c.method && c.method !== 'GET' ? ['-X', c.method] : []),
    ...headers.flatMap((h) => ['-H', h]),
    '-w',
    `\\n${c.marker} %{http_code} %{exitcode} %{errormsg}\\n`,
    ...Array.from({ length: c.count }, () => c.url),
  ];
}

/** The answers in the exec's stdout, in order; undefined when it does not hold `count` of them (curl did not run as asked). */
export function parseProbeOutput(stdout: string, marker: string, count: number): ProbeAnswer[] | undefined {
  const parts = stdout.split(`\n${marker} `);
  if (parts.length !== count + 1) return undefined;
  const out: ProbeAnswer[] = [];
  let body = parts[0]!;
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const meta = nl < 0 ? part : part.slice(0, nl);
    const m = /^(\d{3}) (\d+) ?(.*)$/.exec(meta);
    if (!m) return undefined;
    const [, code, exit, message] = m as unknown as [string, string, string, string];
    const exitCode = Number(exit);
    out.push({ exitCode, ...(code !== '000' ? { httpStatus: Number(code) } : {}), body, error: exitCode === 0 ? '' : `curl: (${exitCode}) ${message}` });
    body = nl < 0 ? '' : part.slice(nl + 1);
  }
  return out;
}

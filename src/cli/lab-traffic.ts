import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';
import { paint } from '../diag/index.js';
import { runLoad, summarizeLoad, TRAFFIC_LIMITS, type LoadSummary } from '../lab/index.js';
import { collect, parseDuration, usage, wholeNumber } from './args.js';
import { FORMATS, write, type Format } from './format.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { labCurlTarget } from './lab-target.js';
import { table } from './table.js';

interface TrafficOpts {
  rate: string;
  duration: string;
  context?: string;
  from?: string;
  header: string[];
  request?: string;
  seed?: string;
  output: Format;
}

/**
 * `meshwright lab traffic --rate N --duration S [--context C] [--from NS/POD] [-H …] URL…`: a
 * bounded load inside the lab (one `lab curl` batch per URL per second), each request recorded as
 * flows like any other, and a summary: requests by HTTP code or curl exit, and by the cluster of
 * the backend that answered.
 */
export function registerLabTraffic(lab: Command, io: CliIO): void {
  lab
    .command('traffic')
    .description(`generate HTTP load inside the lab (at most ${TRAFFIC_LIMITS.maxRate} requests/s for at most ${TRAFFIC_LIMITS.maxDurationSeconds}s) and summarise the answers (simulated)`)
    .argument('<url...>', 'http://NAME-or-ADDRESS[:PORT]/PATH, as lab curl takes it; several share the rate in turn')
    .requiredOption('--rate <n>', `requests per second, 1 to ${TRAFFIC_LIMITS.maxRate}`)
    .requiredOption('--duration <duration>', `how long, e.g. 10s or 1m (whole seconds, at most ${TRAFFIC_LIMITS.maxDurationSeconds}s)`)
    .option('--context <cluster>', 'the lab cluster the requests start from (default: the first)')
    .option('--from <ns/pod>', 'send from this pod (default: from a node of the cluster)')
    .option('-H, --header <header>', "a request header, e.g. 'Host: test-ingress.ilba.cat' (repeatable)", collect, [] as string[])
    .option('-X, --request <method>', 'the request method (default GET)')
    .option('--seed <n>', 'seed of the random backend choice; same seed, same answers')
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .action(async (urls: string[], opts: TrafficOpts, cmd: Command) => {
      const rate = wholeNumber(opts.rate, '--rate', 1, TRAFFIC_LIMITS.maxRate, Math.min(TRAFFIC_LIMITS.maxRate, 50));
      const ms = parseDuration(opts.duration);
      if (ms === undefined || ms <= 0) usage(`--duration ${opts.duration} is not a duration`, 'give it as 10s, 500ms or 1m');
      const seconds = Math.ceil(ms / 1000);
      if (seconds > TRAFFIC_LIMITS.maxDurationSeconds) usage(`--duration ${opts.duration} is longer than ${TRAFFIC_LIMITS.maxDurationSeconds}s`, `split it into runs of at most ${TRAFFIC_LIMITS.maxDurationSeconds}s`);
      const seed = opts.seed === undefined ? randomInt(2 ** 31) : wholeNumber(opts.seed, '--seed', 0, 2 ** 32 - 1, 50);
      const target = await labCurlTarget(io, opts.context, 'LAB_TRAFFIC');
      const plan = { rate, seconds, urls, seed };
      const run = await runLoad(
        plan,
        (b) => target.send({ url: b.url, headers: opts.header, ...(opts.request ? { method: opts.request } : {}), ...(opts.from ? { from: opts.from } : {}), count: b.count, seed: b.seed }),
        { now: () => Date.now(), sleep: (n) => sleep(n) },
      );
      const summary = summarizeLoad(run.results, urls, run.elapsedMs);
      write(io, opts.output, trafficResult(target.cluster, opts.from, plan, summary), colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout'));
    });
}

function trafficResult(cluster: string, from: string | undefined, plan: { rate: number; seconds: number; seed: number; urls: string[] }, s: LoadSummary) {
  const pct = (n: number) => `${s.requests ? ((100 * n) / s.requests).toFixed(1) : '0.0'}%`;
  return {
    toTable: (color: boolean) => {
      const p = paint(color);
      return [
        `${p.bold('meshwright lab traffic')} (simulated): ${s.requests} requests in ${s.elapsedSeconds.toFixed(1)}s (${s.rate.toFixed(1)}/s, asked ${plan.rate}/s) from ${from ? `${cluster} pod ${from}` : cluster}, seed ${plan.seed}`,
        '',
        table(['outcome', 'requests', 'share'], Object.entries(s.outcomes).map(([k, n]) => [k, n, pct(n)])),
        '',
        table(['backend cluster', 'requests', 'share'], Object.entries(s.clusters).map(([k, n]) => [k, n, pct(n)])),
        ...(s.urls.length > 1 ? ['', table(['url', 'requests', 'outcomes', 'backend clusters'], s.urls.map((u) => [u.url, u.requests, list(u.outcomes), list(u.clusters)]))] : []),
        '',
        'each request is recorded as Hubble flows: meshwright observe, or the lab metrics (meshwright lab status)',
      ].join('\n');
    },
    toData: () => ({ apiVersion: 'meshwright/v1alpha1', kind: 'LabTraffic', simulated: true, cluster, ...(from ? { from } : {}), urls: plan.urls, rate: plan.rate, durationSeconds: plan.seconds, seed: plan.seed, limits: TRAFFIC_LIMITS, summary: s }),
  };
}

function list(r: Record<string, number>): string {
  return Object.entries(r).map(([k, n]) => `${k}: ${n}`).join(', ');
}

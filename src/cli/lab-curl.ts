import { randomInt } from 'node:crypto';
import { Command, Option } from 'commander';
import { MeshwrightError } from '../diag/index.js';
import { ensureLabPki, labPaths, requestCurl, runningLab } from '../lab/index.js';
import { EXIT, ExitError } from './exit.js';
import type { CliIO } from './io.js';

interface CurlOpts {
  context?: string;
  header: string[];
  request?: string;
  from?: string;
  count: string;
  seed?: string;
  connectTimeout?: string;
  output?: 'text' | 'json';
}

/**
 * `meshwright lab curl --context CLUSTER [-H …] [--from NS/POD] [-n 5] [--seed N] URL`: what curl
 * prints from a node (or pod) of a lab cluster, n times, with curl's exit code. The lab process
 * resolves and answers the requests (src/lab/traffic), since it knows the mesh's links.
 */
export function registerLabCurl(lab: Command, io: CliIO): void {
  lab
    .command('curl')
    .description('send HTTP requests from a node or pod of a lab cluster, resolved and answered as Cilium and the backends would (simulated)')
    .argument('<url>', 'http://NAME-or-ADDRESS[:PORT]/PATH: a Service name, a ClusterIP, a LoadBalancer or Ingress IP, or a pod IP')
    .option('--context <cluster>', 'the lab cluster the requests start from (default: the first)')
    .option('-H, --header <header>', "a request header, e.g. 'Host: test-ingress.ilba.cat' (repeatable)", (v: string, all: string[]) => [...all, v], [] as string[])
    .option('-X, --request <method>', "curl's -X: the request method (default GET), e.g. POST for an L7 rule's own request")
    .option('--from <ns/pod>', 'send from this pod (default: from a node of the cluster)')
    .option('-n, --count <n>', 'how many requests (the notebook loops 5 times)', '1')
    .option('--seed <n>', 'seed of the random backend choice (Cilium picks backends at random); same seed, same answers')
    .option('--connect-timeout <seconds>', "curl's --connect-timeout: how long a dropped request waits")
    .addOption(new Option('-o, --output <format>', 'text (what curl prints) or json (each request with the pod that answered)').choices(['text', 'json']).default('text'))
    .action(async (url: string, opts: CurlOpts) => {
      const count = integer(opts.count, '--count', 1, 100_000);
      const seed = opts.seed === undefined ? randomInt(2 ** 31) : integer(opts.seed, '--seed', 0, 2 ** 32 - 1);
      const connectTimeout = opts.connectTimeout === undefined ? undefined : Number(opts.connectTimeout);
      if (connectTimeout !== undefined && !(connectTimeout > 0)) throw usage(`--connect-timeout ${opts.connectTimeout} is not a number of seconds`, 'e.g. --connect-timeout 2');
      const state = runningLab(io.cwd);
      if (!state) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: 'no lab is running in this folder', hint: 'start one with: meshwright lab up [platform.yaml]' }, EXIT.unreachable);
      const cluster = opts.context ? state.clusters.find((c) => c.name === opts.context) : state.clusters[0];
      if (!cluster) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: `the lab has no cluster ${opts.context}`, hint: `contexts: ${state.clusters.map((c) => c.name).join(', ')}` }, EXIT.invalid);
      const pki = await ensureLabPki(labPaths(io.cwd).pki, new Date());
      let r: Awaited<ReturnType<typeof requestCurl>>;
      try {
        r = await requestCurl(cluster.port, pki, { cluster: cluster.name, url, headers: opts.header, ...(opts.request ? { method: opts.request } : {}), ...(opts.from ? { from: opts.from } : {}), count, seed, ...(connectTimeout !== undefined ? { connectTimeout } : {}) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') throw new MeshwrightError({ severity: 'error', code: 'LAB', message: `lab cluster ${cluster.name} does not answer`, hint: 'meshwright lab status' }, EXIT.unreachable);
        throw err;
      }
      if ('error' in r) throw new MeshwrightError({ severity: 'error', code: 'LAB_CURL', message: r.error, ...(r.hint ? { hint: r.hint } : {}) }, r.status === 400 ? EXIT.invalid : EXIT.software);
      if (opts.output === 'json') io.stdout(`${JSON.stringify({ apiVersion: 'meshwright/v1alpha1', kind: 'LabCurl', simulated: true, cluster: cluster.name, url, seed, results: r.results }, null, 2)}\n`);
      else
        for (const x of r.results) {
          if (x.stdout) io.stdout(x.stdout);
          if (x.stderr) io.stderr(x.stderr);
        }
      // any failure among the requests ends the command with curl's code (the last failure's)
      const failed = r.results.filter((x) => x.exitCode !== 0).pop();
      if (failed) throw new ExitError(failed.exitCode);
    });
}

function integer(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`${flag} ${text} is not a whole number from ${min} to ${max}`, `e.g. ${flag} 5`);
  return n;
}

function usage(message: string, hint: string): MeshwrightError {
  return new MeshwrightError({ severity: 'error', code: 'USAGE', message, hint }, EXIT.usage);
}

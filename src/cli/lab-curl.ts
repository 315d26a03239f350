import { randomInt } from 'node:crypto';
import { Command, Option } from 'commander';
import { usage, wholeNumber } from './args.js';
import { ExitError } from './exit.js';
import type { CliIO } from './io.js';
import { labCurlTarget } from './lab-target.js';

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
      const count = wholeNumber(opts.count, '--count', 1, 100_000, 5);
      const seed = opts.seed === undefined ? randomInt(2 ** 31) : wholeNumber(opts.seed, '--seed', 0, 2 ** 32 - 1, 5);
      const connectTimeout = opts.connectTimeout === undefined ? undefined : Number(opts.connectTimeout);
      if (connectTimeout !== undefined && !(connectTimeout > 0)) usage(`--connect-timeout ${opts.connectTimeout} is not a number of seconds`, 'e.g. --connect-timeout 2');
      const target = await labCurlTarget(io, opts.context, 'LAB_CURL');
      const results = await target.send({ url, headers: opts.header, ...(opts.request ? { method: opts.request } : {}), ...(opts.from ? { from: opts.from } : {}), count, seed, ...(connectTimeout !== undefined ? { connectTimeout } : {}) });
      if (opts.output === 'json') io.stdout(`${JSON.stringify({ apiVersion: 'meshwright/v1alpha1', kind: 'LabCurl', simulated: true, cluster: target.cluster, url, seed, results }, null, 2)}\n`);
      else
        for (const x of results) {
          if (x.stdout) io.stdout(x.stdout);
          if (x.stderr) io.stderr(x.stderr);
        }
      // any failure among the requests ends the command with curl's code (the last failure's)
      const failed = results.filter((x) => x.exitCode !== 0).pop();
      if (failed) throw new ExitError(failed.exitCode);
    });
}

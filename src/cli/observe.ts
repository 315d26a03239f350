import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { MeshwrightError } from '../diag/index.js';
import { runningLab } from '../lab/index.js';
import { FLOW_PRINT_COUNT, FlagError, flowsRequest, FlowPrinter, forwardRelay, ObserverClient, ObserverError, RelayForwardError, type ObserveFlags, type OutputFormat } from '../observe/index.js';
import { defaultKubeconfig } from '../ops/kubeconfig/index.js';
import { parseDuration } from './args.js';
import { EXIT } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';

interface ObserveOpts extends ObserveFlags {
  context?: string;
  server?: string;
  kubeconfig?: string;
  output: OutputFormat | 'jsonpb' | 'tab';
  printNodeName?: boolean;
  numeric?: boolean;
  timeout: string;
  last?: number;
  first?: number;
}

const collect = (v: string, all: string[] = []) => [...all, v];
const count = (flag: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw usage(`${flag} ${v} is not a whole number`, `e.g. ${flag} 20`);
  return Number(v);
};

/**
 * `meshwright observe`: `hubble observe` against Hubble Relay's Observer gRPC API, one code path
 * for the lab and real clusters. The address is `--server`, or the lab cluster's relay (lab.json);
 * flags, defaults and output follow hubble v1.16.6 (cmd/observe/flows.go, pkg/printer).
 */
export function registerObserve(program: Command, io: CliIO): void {
  const cmd = program
    .command('observe')
    .description("observe flows through Hubble Relay's Observer API, as `hubble observe` (the lab serves the same API)")
    .option('--context <context>', "the cluster whose hubble-relay to read: a lab cluster (default the first), or a kubeconfig context (default the current one)")
    .option('--server <host:port>', "a Hubble Relay's (or Hubble server's) address, e.g. localhost:4245 after `cilium hubble port-forward`")
    .option('--kubeconfig <file>', 'the kubeconfig to port-forward to svc/hubble-relay in kube-system with (default: the lab here, else KUBECONFIG or ~/.kube/config)')
    .option('--timeout <duration>', 'how long to wait for the connection (hubble --timeout)', '5s')
    .option('--last <n>', `the last N flows of each Hubble server's buffer (default ${FLOW_PRINT_COUNT})`, count('--last'))
    .option('--first <n>', "the first N flows of each Hubble server's buffer", count('--first'))
    .option('--all', "every flow in Hubble's buffers")
    .option('-f, --follow', 'keep printing new flows (Ctrl-C ends)')
    .option('--since <time>', 'flows since a time: 30s, 5m, 1h30m before now, or 2024-08-01T10:00:00Z')
    .option('--until <time>', 'flows until a time (ignored with --follow)')
    .option('--verdict <verdict>', 'only flows with this verdict (FORWARDED, DROPPED, AUDIT, REDIRECTED, ERROR, TRACED, TRANSLATED)', collect)
    .option('--drop-reason-desc <reason>', 'only drops with this reason, e.g. POLICY_DENIED', collect)
    .option('-t, --type <type>', 'event type TYPE[:SUBTYPE]: drop, trace, l7, policy-verdict, capture, trace-sock', collect)
    .option('-n, --namespace <ns>', 'flows from or to a namespace', collect)
    .option('--from-namespace <ns>', 'flows from a namespace', collect)
    .option('--to-namespace <ns>', 'flows to a namespace', collect)
    .option('-l, --label <selector>', 'flows from or to endpoints with these labels, e.g. app=web or k8s:app=web,reserved:world', collect)
    .option('--from-label <selector>', 'flows from endpoints with these labels', collect)
    .option('--to-label <selector>', 'flows to endpoints with these labels', collect)
    .option('--pod <[ns/]pod>', 'flows from or to a pod name prefix (namespace default when not given)', collect)
    .option('--from-pod <[ns/]pod>', 'flows from a pod name prefix', collect)
    .option('--to-pod <[ns/]pod>', 'flows to a pod name prefix', collect)
    .option('--from-service <[ns/]svc>', 'flows from a service name prefix', collect)
    .option('--to-service <[ns/]svc>', 'flows to a service name prefix', collect)
    .option('--ip <ip>', 'flows from or to an address or CIDR', collect)
    .option('--from-ip <ip>', 'flows from an address or CIDR', collect)
    .option('--to-ip <ip>', 'flows to an address or CIDR', collect)
    .option('--port <port>', 'flows from or to a port', collect)
    .option('--from-port <port>', 'flows from a port', collect)
    .option('--to-port <port>', 'flows to a port', collect)
    .option('--identity <id>', 'flows from or to a security identity', collect)
    .option('--from-identity <id>', 'flows from a security identity', collect)
    .option('--to-identity <id>', 'flows to a security identity', collect)
    .option('--protocol <proto>', 'L4 or L7 protocol: tcp, udp, icmp, http, dns, …', collect)
    .option('--http-status <code>', 'HTTP status code or prefix, e.g. 404 or 5+', collect)
    .option('--http-method <method>', 'HTTP method, e.g. get', collect)
    .option('--http-path <regex>', 'HTTP path regular expression, e.g. /api/.*', collect)
    .option('--http-url <regex>', 'HTTP URL regular expression', collect)
    .option('--node-name <pattern>', 'node name pattern, e.g. cluster1/* or *worker*', collect)
    .option('--cluster <name>', 'flows observed on the nodes of a cluster', collect)
    .option('--traffic-direction <dir>', 'ingress or egress', collect)
    .addOption(new Option('-o, --output <format>', 'compact, json (one GetFlowsResponse per line) or table').choices(['compact', 'json', 'jsonpb', 'table', 'tab']).default('compact'))
    .option('--print-node-name', 'print the node name in each line')
    .option('--numeric', 'addresses instead of pod and service names');
  cmd.action(async (opts: ObserveOpts, command: Command) => {
    const output: OutputFormat = opts.output === 'jsonpb' ? 'json' : opts.output === 'tab' ? 'table' : opts.output;
    if (output === 'table' && opts.follow) throw usage('table output format is not compatible with follow mode', 'use -o compact or -o json with --follow');
    const timeoutMs = parseDuration(opts.timeout);
    if (timeoutMs === undefined || timeoutMs <= 0) throw usage(`--timeout ${opts.timeout} is not a duration`, 'e.g. --timeout 5s');
    let req;
    try {
      req = flowsRequest(opts, io.now());
    } catch (err) {
      if (err instanceof FlagError) throw new MeshwrightError({ severity: 'error', code: err.kind === 'usage' ? 'USAGE' : 'OBSERVE_FILTER', message: err.message, ...(err.hint ? { hint: err.hint } : {}) }, err.kind === 'usage' ? EXIT.usage : EXIT.invalid);
      throw err;
    }
    const relay = await relayAddress(io, opts);
    const address = relay.address;
    const printer = new FlowPrinter({ output, color: colorFor(command.optsWithGlobals<Globals>(), io, 'stdout'), nodeName: opts.printNodeName === true, ipTranslation: opts.numeric !== true }, io.stdout);
    const client = new ObserverClient(address);
    const abort = new AbortController();
    const stop = () => abort.abort();
    // hubble observe runs under signal.NotifyContext(Interrupt): Ctrl-C ends the stream, exit 0
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await client.connect(timeoutMs);
      await client.flows(req, (r) => printer.flow(r), abort.signal);
      printer.close();
    } catch (err) {
      if (err instanceof ObserverError) {
        if (err.unreachable)
          throw new MeshwrightError(
            { severity: 'error', code: 'OBSERVE_UNREACHABLE', message: `Hubble Relay at ${address} does not answer: ${err.message}`, hint: 'is Hubble Relay enabled? (helm value hubble.relay.enabled=true, or `cilium hubble enable`); on the lab: meshwright lab status' },
            EXIT.unreachable,
          );
        throw new MeshwrightError({ severity: 'error', code: 'OBSERVE_FILTER', message: `Hubble Relay refused the request: ${err.message}`, hint: 'check the filter values (regular expressions, label selectors, addresses)' }, EXIT.invalid);
      }
      throw err;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      client.close();
      relay.close();
    }
  });
}

/**
 * Where the relay answers: `--server`; else the lab cluster's relay (lab.json) when a lab runs
 * here and no --kubeconfig is given; else a port-forward to svc/hubble-relay through the
 * kubeconfig, as `cilium hubble port-forward` makes one.
 */
export async function relayAddress(io: CliIO, opts: Pick<ObserveOpts, 'server' | 'kubeconfig' | 'context'>): Promise<{ address: string; close: () => void }> {
  const none = () => undefined;
  if (opts.server) return { address: opts.server, close: none };
  const lab = opts.kubeconfig ? undefined : runningLab(io.cwd);
  if (lab) {
    const cluster = opts.context ? lab.clusters.find((c) => c.name === opts.context) : lab.clusters[0];
    if (!cluster) throw new MeshwrightError({ severity: 'error', code: 'OBSERVE_CONTEXT', message: `the lab has no cluster ${opts.context}`, hint: `contexts: ${lab.clusters.map((c) => c.name).join(', ')}` }, EXIT.invalid);
    if (!cluster.observer) throw new MeshwrightError({ severity: 'error', code: 'OBSERVE_UNREACHABLE', message: `the lab's cluster ${cluster.name} has no Hubble Relay (a lab started before meshwright served one)`, hint: 'restart it: meshwright lab down && meshwright lab up' }, EXIT.unreachable);
    return { address: cluster.observer, close: none };
  }
  const kubeconfig = opts.kubeconfig ? resolve(io.cwd, opts.kubeconfig) : defaultKubeconfig(io.env, io.cwd);
  if (!existsSync(kubeconfig))
    throw new MeshwrightError(
      { severity: 'error', code: 'OBSERVE_UNREACHABLE', message: `no Hubble Relay to read: no lab is running in this folder and there is no kubeconfig at ${kubeconfig}`, hint: 'give --kubeconfig (or KUBECONFIG), --server HOST:PORT, or start the lab: meshwright lab up' },
      EXIT.unreachable,
    );
  try {
    return await forwardRelay(kubeconfig, opts.context);
  } catch (err) {
    if (err instanceof RelayForwardError) throw new MeshwrightError({ severity: 'error', code: err.kind === 'context' ? 'OBSERVE_CONTEXT' : 'OBSERVE_UNREACHABLE', message: err.message, hint: err.hint }, err.kind === 'context' ? EXIT.invalid : EXIT.unreachable);
    throw err;
  }
}

function usage(message: string, hint: string): MeshwrightError {
  return new MeshwrightError({ severity: 'error', code: 'USAGE', message, hint }, EXIT.usage);
}

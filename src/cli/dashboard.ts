import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { followObserver, startDashboard, SourceError, type DashboardSources, type FlowFeed } from '../dashboard/index.js';
import { MeshwrightError } from '../diag/index.js';
import { labPaths, runningLab } from '../lab/index.js';
import { FlowRing, ObserverClient } from '../observe/index.js';
import { readAppliedPlatform } from '../ops/journal.js';
import { defaultKubeconfig } from '../ops/kubeconfig/index.js';
import { statusClients, waitForStatus } from '../status/index.js';
import { collect, usage } from './args.js';
import { DEFAULT_STATE } from './defaults.js';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';
import { planData, runPlan } from './plan.js';
import { explainRequest, matrixData, policyMatrix } from './policy.js';
import { explanationData, explanationTable } from './policy-output.js';
import { loadPolicyContext, parseHttp, parsePort, type PolicyContext } from './policy-inputs.js';
import { relayAddress } from './observe.js';
import { validateReport } from './validate.js';
import { readLastVerify } from './verify-last.js';

export interface DashboardFlags {
  port: string;
  kubeconfig?: string;
  context: string[];
  state: string;
  filename: string[];
  server?: string;
}

/**
 * Hubble UI's own local port: `cilium hubble ui` port-forwards to 12000 (cilium-cli
 * internal/cli/cmd/hubble.go: --port-forward, default 12000).
 */
export const DEFAULT_DASHBOARD_PORT = 12000;

/** `meshwright dashboard [platform.yaml]`: status, plan, policy, verify and the flows on one loopback web page. */
export function registerDashboard(program: Command, io: CliIO): void {
  program
    .command('dashboard')
    .description('a web page on 127.0.0.1: the mesh (status), global-service shares (plan and live), the policy matrix with explain, the last verify, live flows')
    .argument('[file]', 'platform file (default: the one apply last converged from this folder, else platform.yaml)')
    .option('--port <port>', 'the loopback port to serve on (0: any free port)', String(DEFAULT_DASHBOARD_PORT))
    .option('--kubeconfig <file>', "kubeconfig to reach the clusters (default: the lab's when one runs here, else as kubectl finds it)")
    .option('--context <CLUSTER=CONTEXT>', "the context a cluster is reached through (repeatable; default: the cluster's name)", collect, [])
    .option('--state <dir>', 'state folder (the mesh CA, the platform apply last used, the last verify report)', DEFAULT_STATE)
    .option('-f, --filename <[CLUSTER=]PATH>', 'your manifests (policies and workloads), as policy matrix --platform and plan -f read them; repeatable', collect, [])
    .option('--server <host:port>', "the Hubble Relay to follow flows from (default: the lab's first cluster's, else a port-forward to the first cluster's hubble-relay, as meshwright observe finds it)")
    .action(async (file: string | undefined, flags: DashboardFlags) => {
      const port = /^\d{1,5}$/.test(flags.port) ? Number(flags.port) : -1;
      if (port < 0 || port > 65535) usage(`--port ${flags.port} is not a port number`, 'e.g. --port 12000, or --port 0 for any free port');
      const sources = dashboardSources(io, file, flags);
      const flows = await followFlows(io, flags, sources.firstCluster);
      // a port already taken ends the command: the relay's stream must not keep the process alive
      const dashboard = await listen(port, sources, flows.feed).catch(async (err: unknown) => {
        await flows.stop();
        throw err;
      });
      io.stdout(`meshwright dashboard: ${dashboard.url} (Ctrl-C stops it)\n`);
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await dashboard.close();
      await flows.stop();
    });
}

/**
 * The flows, followed from Hubble Relay's Observer API as `meshwright observe --follow` reads them
 * (the lab's relay, or a port-forward to hubble-relay). Without a relay the dashboard still serves
 * every other screen, and says why the flow list stays empty.
 */
export async function followFlows(io: CliIO, flags: DashboardFlags, cluster: { name: string; context: string }): Promise<{ feed: FlowFeed; stop: () => Promise<void> }> {
  let relay: Awaited<ReturnType<typeof relayAddress>>;
  try {
    const lab = !flags.kubeconfig && !flags.server && runningLab(io.cwd);
    relay = await relayAddress(io, { ...(flags.server ? { server: flags.server } : {}), ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), context: lab ? cluster.name : cluster.context });
  } catch (err) {
    if (!(err instanceof MeshwrightError)) throw err;
    const d = err.diagnostics[0]!;
    io.stderr(`meshwright dashboard: no flows: ${d.message}${d.hint ? ` (${d.hint})` : ''}\n`);
    return { feed: new FlowRing(), stop: async () => undefined };
  }
  const client = new ObserverClient(relay.address);
  let said = '';
  const following = followObserver(client, (state) => {
    const line = state === 'connected' ? `following flows from Hubble Relay at ${relay.address}` : `Hubble Relay at ${relay.address}: ${state.down}; trying again every 2 s`;
    if (line !== said) io.stderr(`meshwright dashboard: ${(said = line)}\n`);
  });
  return {
    feed: following.ring,
    stop: async () => {
      await following.stop();
      client.close();
      relay.close();
    },
  };
}

async function listen(port: number, sources: DashboardSources, flows: FlowFeed) {
  try {
    return await startDashboard({ port, sources, flows });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new MeshwrightError({ severity: 'error', code: 'DASHBOARD_PORT', message: `127.0.0.1:${port} is already in use`, hint: 'choose another with --port, or --port 0 for any free port' }, EXIT.invalid);
    throw err;
  }
}

/** The dashboard's documents, built by the code the CLI prints them with (status, plan, policy, verify). */
export function dashboardSources(io: CliIO, file: string | undefined, flags: Omit<DashboardFlags, 'port'>): DashboardSources & { firstCluster: { name: string; context: string } } {
  const stateDir = resolve(io.cwd, flags.state);
  const platformFile = file ?? (readAppliedPlatform(stateDir)?.file || undefined) ?? 'platform.yaml';
  const report = validateReport(io.cwd, platformFile);
  // plan prints the platform's findings and exits 1 when it is not valid: the dashboard starts only on a valid one
  const plan = planData(runPlan(io, platformFile, { filename: flags.filename, ready: [], whatIf: [], output: 'json', platformManifests: true }, false));
  const platform = report.platform!;
  const contexts = Object.fromEntries(flags.context.map(pair));
  for (const name of Object.keys(contexts)) if (!platform.spec.clusters.some((c) => c.name === name)) usage(`--context ${name}=…: the platform has no cluster ${name}`);
  const lab = runningLab(io.cwd);
  const kubeconfig = flags.kubeconfig ? resolve(io.cwd, flags.kubeconfig) : lab ? labPaths(io.cwd).kubeconfig : defaultKubeconfig(io.env, io.cwd);
  const policy: PolicyContext | undefined = flags.filename.length ? loadPolicyContext(io, { filename: flags.filename, platform: platformFile }, false) : undefined;
  const needPolicy = (): PolicyContext => policy ?? noManifests();
  const first = platform.spec.clusters[0]!.name;
  return {
    firstCluster: { name: first, context: contexts[first] ?? first },
    status: async () => {
      const clients = statusClients(platform, resolve(io.cwd, platformFile), kubeconfig, contexts, !flags.kubeconfig && !lab);
      try {
        const caFile = join(stateDir, 'ca.crt');
        return (await waitForStatus({ platform, clients, ...(existsSync(caFile) ? { meshCaPem: readFileSync(caFile, 'utf8') } : {}), now: io.now }, { timeoutMs: 0 })).doc;
      } finally {
        for (const c of clients) c.close();
      }
    },
    plan: () => plan,
    policyMatrix: (port) => asked(() => matrixData(policyMatrix(needPolicy(), port ? parsePort(port) : undefined, parseHttp(undefined, []), false), needPolicy())),
    policyExplain: (from, to, portText) =>
      asked(() => {
        const { port, protocol } = parsePort(portText);
        const x = explainRequest(needPolicy(), from, to, port, protocol, undefined);
        return { data: explanationData(x, needPolicy().warnings), text: explanationTable(x, false) };
      }),
    lastVerify: () => readLastVerify(stateDir),
  };
}

function noManifests(): never {
  throw new SourceError('no manifests given: the policy matrix judges the policies and workloads you pass', 404, 'start the dashboard with -f [CLUSTER=]PATH, as policy matrix --platform takes them');
}

/** A user's mistake in a request (a peer that does not exist, a bad port) answers 400 with the CLI's message. */
function asked<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof MeshwrightError) {
      const d = err.diagnostics[0]!;
      throw new SourceError(d.message, 400, d.hint);
    }
    throw err;
  }
}

function pair(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) usage(`${text}: expected CLUSTER=CONTEXT`);
  return [text.slice(0, at), text.slice(at + 1)];
}

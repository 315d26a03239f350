import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { formatDiagnostic, MeshwrightError } from '../diag/index.js';
import { labPaths, runningLab } from '../lab/index.js';
import { MissingContext, type ClusterClient } from '../ops/kube/index.js';
import { defaultKubeconfig } from '../ops/kubeconfig/index.js';
// ops/journal.js itself, not ops' index: status needs none of the renderers
import { readAppliedPlatform } from '../ops/journal.js';
import { firstProblem, statusClients, waitForStatus, type StatusDocument } from '../status/index.js';
import { collect, usage } from './args.js';
import { DEFAULT_STATE } from './defaults.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { parseDuration } from './args.js';
import { statusTable } from './status-table.js';
import { validateReport } from './validate.js';


interface StatusFlags {
  wait?: boolean;
  timeout: string;
  kubeconfig?: string;
  context: string[];
  state: string;
  output: 'table' | 'json';
}

/** `meshwright status [platform.yaml]`: the whole mesh at once (src/status). */
export function registerStatus(program: Command, io: CliIO): void {
  program
    .command('status')
    .description('one view of every cluster and the mesh: Cilium components, releases, nodes, who is connected to whom and why not, certificates')
    .argument('[file]', 'platform file (default: the one apply last converged from this folder, else platform.yaml)')
    .option('--wait', 'wait until every cluster is ready and every link connected, or --timeout passes')
    .option('--timeout <duration>', 'how long --wait waits, e.g. 90s or 5m', '5m')
    .option('--kubeconfig <file>', "kubeconfig to reach the clusters (default: the lab's when one runs here, else as kubectl finds it)")
    .option('--context <CLUSTER=CONTEXT>', "the context a cluster is reached through (repeatable; default: the cluster's name)", collect, [])
    .option('--state <dir>', 'state folder (the mesh CA to compare with, the platform apply last used)', DEFAULT_STATE)
    .addOption(new Option('-o, --output <format>', 'table, or json (schema: meshwright schema status)').choices(['table', 'json']).default('table'))
    .action(async (file: string | undefined, flags: StatusFlags, cmd: Command) => {
      const timeoutMs = parseDuration(flags.timeout);
      if (!timeoutMs) usage(`--timeout ${flags.timeout} is not a duration above zero`, 'give it as 90s or 5m');
      const stateDir = resolve(io.cwd, flags.state);
      const platformFile = file ?? (readAppliedPlatform(stateDir)?.file || undefined) ?? 'platform.yaml';
      const report = validateReport(io.cwd, platformFile);
      for (const d of report.diagnostics.filter((x) => x.severity === 'error')) io.stderr(`${formatDiagnostic(d, report.lines, colorFor(cmd.optsWithGlobals<Globals>(), io, 'stderr'))}\n`);
      if (!report.platform) {
        io.stderr(`status: ${platformFile} is not a valid platform\n`);
        throw new ExitError(EXIT.invalid);
      }
      const platform = report.platform;
      const contexts = Object.fromEntries(flags.context.map((p) => pair(p)));
      for (const name of Object.keys(contexts)) if (!platform.spec.clusters.some((c) => c.name === name)) usage(`--context ${name}=…: the platform has no cluster ${name}`);
      const lab = runningLab(io.cwd);
      const kubeconfig = flags.kubeconfig ? resolve(io.cwd, flags.kubeconfig) : lab ? labPaths(io.cwd).kubeconfig : defaultKubeconfig(io.env, io.cwd);
      const caFile = join(stateDir, 'ca.crt');
      const clients = connect(() => statusClients(platform, resolve(io.cwd, platformFile), kubeconfig, contexts, !flags.kubeconfig && !lab));
      let doc: StatusDocument;
      let timedOut = false;
      try {
        const req = { platform, clients, ...(existsSync(caFile) ? { meshCaPem: readFileSync(caFile, 'utf8') } : {}), now: io.now };
        const waited = await waitForStatus(req, {
          timeoutMs: flags.wait ? timeoutMs! : 0,
          onWaiting: (ms, what) => io.stderr(`waiting (${Math.round(ms / 1000)}s) for the mesh: ${what}\n`),
        });
        doc = waited.doc;
        timedOut = Boolean(flags.wait) && waited.timedOut;
      } finally {
        for (const c of clients) c.close();
      }
      if (flags.output === 'json') io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
      else io.stdout(statusTable(doc, colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout')));
      if (timedOut) io.stderr(`status: timeout after ${flags.timeout} while waiting for the mesh, last error: ${firstProblem(doc)}\n`);
      if (doc.unreachable.length) {
        io.stderr(`status: cannot reach ${doc.unreachable.map((n) => `${n} (${doc.clusters.find((c) => c.name === n)?.server})`).join(', ')}\n`);
        throw new ExitError(EXIT.unreachable);
      }
      if (!doc.ok) throw new ExitError(EXIT.invalid);
    });
}

function connect(make: () => ClusterClient[]): ClusterClient[] {
  try {
    return make();
  } catch (err) {
    if (err instanceof MissingContext) throw new MeshwrightError({ severity: 'error', code: 'STATUS_CONTEXT', file: err.kubeconfig, message: err.message, hint: `name the context with --context ${err.cluster}=CONTEXT, or --kubeconfig another file` }, EXIT.unreachable);
    throw new MeshwrightError({ severity: 'error', code: 'STATUS_KUBECONFIG', message: `cannot read the kubeconfig: ${(err as Error).message}`, hint: 'give one with --kubeconfig, or start the lab here (meshwright apply)' }, EXIT.unreachable);
  }
}

function pair(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) usage(`${text}: expected CLUSTER=CONTEXT`);
  return [text.slice(0, at), text.slice(at + 1)];
}

import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { globalAgent } from 'node:https';
import { hostname } from 'node:os';
import { relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { formatDiagnostic, hasErrors, MeshwrightError, paint } from '../diag/index.js';
import { loadManifests, type LoadedObject } from '../manifests/index.js';
import { labPaths, runningLab } from '../lab/index.js';
import { defaultKubeconfig, readAppliedPlatform } from '../ops/index.js';
import type { Platform } from '../spec/index.js';
import { CHECKS, DEFAULT_PROBE_IMAGE, DEFAULT_PROBE_NAMESPACE, runChecks, verifyContext, verifyExitCode, verifyJunit, verifyTable, type VerifyReport } from '../verify/index.js';
import { collect, usage } from './args.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { DEFAULT_STATE } from './defaults.js';
import { table } from './table.js';
import { parseFilename } from './plan.js';
import { validateReport } from './validate.js';
import { keepLastVerify } from './verify-last.js';

interface VerifyFlags {
  kubeconfig?: string;
  context: string[];
  state: string;
  output: 'table' | 'json' | 'junit';
  requests: string;
  seed?: string;
  filename: string[];
  probe?: 'pod' | 'lab';
  probeImage?: string;
  probeNamespace?: string;
}

/** `meshwright verify`: every check against the lab or real clusters, observations against the plan (src/verify). */
export function registerVerify(program: Command, io: CliIO): void {
  program
    .command('verify')
    .description('check the running platform against what plan predicts: nodes, releases, add-ons, Cilium, VIPs, ingress, the mesh, global-service shares')
    .argument('[file]', 'platform file (default: the one last applied from this folder)')
    .option('--kubeconfig <file>', "kubeconfig to reach the clusters (default: the lab's when one runs here, else as kubectl finds it)")
    .option('--context <CLUSTER=CONTEXT>', "the context a cluster is reached through (repeatable; default: the cluster's name)", collect, [])
    .option('--state <dir>', 'state folder (the mesh CA the clustermesh certificates must come from)', DEFAULT_STATE)
    .option('--requests <n>', 'requests per client cluster and global service', '100')
    .option('--seed <n>', "seed of the lab's random backend choice (default: random; the report prints it)")
    .option('-f, --filename <[CLUSTER=]PATH>', 'your manifests (policies and the workloads they select), as policy matrix --platform reads them: their verdicts are checked on sampled pairs; repeatable', collect, [])
    .addOption(new Option('--probe <source>', "where in-cluster requests come from: pod (a short-lived probe pod per client cluster; the default on real clusters) or lab (the lab's shortcut; the lab's default)").choices(['pod', 'lab']))
    .option('--probe-image <image>', `the probe pod's image, with curl ≥ 7.75.0 and sleep (default: ${DEFAULT_PROBE_IMAGE})`)
    .option('--probe-namespace <ns>', `an existing namespace for the probe pods (default: ${DEFAULT_PROBE_NAMESPACE}, created and deleted by verify)`)
    .addOption(new Option('-o, --output <format>', 'table, json (schema: meshwright schema verify) or junit (for CI)').choices(['table', 'json', 'junit']).default('table'))
    .action(async (file: string | undefined, flags: VerifyFlags, cmd: Command) => {
      const requests = whole(flags.requests, '--requests', 1, 100_000);
      const seed = flags.seed === undefined ? randomInt(2 ** 31) : whole(flags.seed, '--seed', 0, 2 ** 31 - 1);
      const contexts = Object.fromEntries(flags.context.map(pair));
      const stateDir = resolve(io.cwd, flags.state);
      const platform = loadPlatform(io, file, stateDir, colorFor(cmd.optsWithGlobals<Globals>(), io, 'stderr'));
      for (const name of Object.keys(contexts)) if (!platform.spec.clusters.some((c) => c.name === name)) usage(`--context ${name}=…: the platform has no cluster ${name}`);
      const manifests = loadUserManifests(io, flags.filename, platform, colorFor(cmd.optsWithGlobals<Globals>(), io, 'stderr'));
      const kubeconfig = flags.kubeconfig ? resolve(io.cwd, flags.kubeconfig) : runningLab(io.cwd) ? labPaths(io.cwd).kubeconfig : defaultKubeconfig(io.env, io.cwd);
      let report: VerifyReport;
      try {
        const probe = { ...(flags.probe ? { mode: flags.probe } : {}), ...(flags.probeImage ? { image: flags.probeImage } : {}), ...(flags.probeNamespace ? { namespace: flags.probeNamespace } : {}) };
        const ctx = await verifyContext({ platform, kubeconfig, contexts, stateDir, requests, seed, alpha: 0.01, probe, warn: (line) => io.stderr(`meshwright verify: ${line}\n`) });
        // Ctrl-C or a kill: the probe pods go before the process does (128 + the signal's number)
        const onSignal = (signal: NodeJS.Signals) => void ctx.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        ctx.manifests = manifests;
        try {
          report = await runChecks(ctx, CHECKS);
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await ctx.close();
        }
      } finally {
        globalAgent.destroy();
      }
      // the dashboard shows the last run; a report that cannot be kept is a warning, never the verdict
      try {
        keepLastVerify(stateDir, report);
      } catch (err) {
        io.stderr(`meshwright verify: the report was not kept for the dashboard (${(err as Error).message})\n`);
      }
      if (flags.output === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else if (flags.output === 'junit') io.stdout(verifyJunit(report, { timestamp: io.now(), hostname: hostname() }));
      else io.stdout(`${verifyTable(report, paint(colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout')), table)}\n`);
      const code = verifyExitCode(report);
      if (code !== EXIT.ok) throw new ExitError(code);
    });
}

/** The file given; else the one apply last converged from this state folder; else the running lab's. */
function loadPlatform(io: CliIO, file: string | undefined, stateDir: string, color: boolean): Platform {
  const chosen = file ?? readAppliedPlatform(stateDir)?.file ?? runningLab(io.cwd)?.platform.file;
  if (!chosen) usage('no platform file given and none applied from this folder', 'meshwright verify platform.yaml (or run meshwright apply first)');
  const shown = file ?? relative(io.cwd, chosen);
  if (!file && !existsSync(chosen)) throw new MeshwrightError({ severity: 'error', code: 'VERIFY_PLATFORM', message: `${chosen}, the platform last applied here, is gone`, hint: 'name the platform file: meshwright verify platform.yaml' }, EXIT.invalid);
  const report = validateReport(io.cwd, file ?? chosen, shown);
  for (const d of report.diagnostics.filter((x) => x.severity === 'error')) io.stderr(`${formatDiagnostic(d, report.lines, color)}\n`);
  if (!report.platform) {
    io.stderr(`verify: ${shown} is not valid\n`);
    throw new ExitError(EXIT.invalid);
  }
  return report.platform;
}

/** `-f [CLUSTER=]PATH` as `policy matrix --platform` reads it; a file that does not parse is the user's to fix (exit 1). */
function loadUserManifests(io: CliIO, filenames: string[], platform: Platform, color: boolean): LoadedObject[] {
  if (!filenames.length) return [];
  const read = loadManifests(filenames.map((f) => parseFilename(f, platform, io.cwd)), io.cwd, { stdin: io.stdin });
  for (const d of read.diagnostics) io.stderr(`${formatDiagnostic(d, undefined, color)}\n`);
  if (hasErrors(read.diagnostics)) throw new ExitError(EXIT.invalid);
  return read.objects;
}

function pair(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) usage(`${text}: expected CLUSTER=CONTEXT`);
  return [text.slice(0, at), text.slice(at + 1)];
}

function whole(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) usage(`${flag} ${text} is not a whole number from ${min} to ${max}`, `e.g. ${flag} 100`);
  return n;
}

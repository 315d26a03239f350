import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diag/index.js';
import { collect, usage } from './args.js';
import { loadManifests, type LoadedObject, type ManifestInput } from '../manifests/index.js';
import { buildPlan, overrideText, platformObjects, unknownReadyServices, type Plan, type ReadyOverride } from '../plan/index.js';
import type { Platform } from '../spec/index.js';
import { diagnosticData, validateReport } from './validate.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { FORMATS, write, type Format } from './format.js';
import { planTable } from './plan-table.js';

interface PlanFlags {
  filename: string[];
  ready: string[];
  whatIf: string[];
  output: Format;
  platformManifests: boolean;
  aggregate?: boolean;
}

export function registerPlan(program: Command, io: CliIO): void {
  program
    .command('plan')
    .description('predict, offline, what Cilium will do: VIPs, IPAM, mesh connections, where global-service requests land')
    .argument('[file]', 'platform file', 'platform.yaml')
    .option('-f, --filename <[CLUSTER=]PATH>', 'manifests or a live snapshot (kubectl get -o yaml|json): file, folder, or - for standard input; for one cluster, or for every cluster without CLUSTER=; repeatable', collect, [])
    .option('--ready <CLUSTER[/NS/SERVICE]=N>', 'what-if: N ready backends in that cluster (or for that service); repeatable', collect, [])
    .option('--what-if <scenario>', "what-if: 'cluster NAME down'; repeatable", collect, [])
    .option('--no-platform-manifests', "leave out meshwright's own manifests (ingress test app, global-service demo)")
    .option('--aggregate', 'services per service and cluster instead of per client/backend pair (very large meshes)', false)
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .action((file: string, flags: PlanFlags, cmd: Command) => {
      const color = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout');
      const plan = runPlan(io, file, flags, color && io.stderrIsTTY);
      write(io, flags.output, { toTable: (c) => planTable(plan, c), toData: () => planData(plan) }, color);
    });
}

export function runPlan(io: CliIO, file: string, flags: PlanFlags, errColor: boolean): Plan {
  const report = validateReport(io.cwd, file);
  if (!report.platform) {
    for (const d of report.diagnostics) io.stderr(`${formatDiagnostic(d, report.lines, errColor)}\n`);
    io.stderr(`plan: ${file} is not valid\n`);
    throw new ExitError(EXIT.invalid);
  }
  const platform = report.platform;
  const overrides = flags.ready.map((r) => parseReady(r, platform));
  const down = flags.whatIf.map((w) => parseWhatIf(w, platform));
  const inputs = flags.filename.map((f) => parseFilename(f, platform, io.cwd));
  if (inputs.filter((i) => i.path === '-').length > 1) usage('-f - is given more than once: standard input can be read once', 'put everything for standard input in one stream');
  const loaded = loadManifests(inputs, io.cwd, { stdin: io.stdin });
  if (hasErrors(loaded.diagnostics)) {
    printDiagnostics(io, loaded.diagnostics, errColor);
    throw new ExitError(EXIT.invalid);
  }
  const objects: LoadedObject[] = [...(flags.platformManifests ? platformObjects(platform) : []), ...loaded.objects];
  const unknown = unknownReadyServices(platform, objects, overrides);
  if (unknown.length) {
    printDiagnostics(io, loaded.diagnostics, errColor);
    const [first] = unknown;
    usage(`${overrideText(first!.override)}: no Service ${first!.override.service!.namespace}/${first!.override.service!.name} in cluster ${first!.override.cluster}`, first!.hint);
  }
  const plan = buildPlan({ platform, objects, overrides, down, whatIf: [...flags.whatIf, ...flags.ready.map((r) => `--ready ${r}`)], detail: flags.aggregate ? 'aggregate' : 'pairs' });
  printDiagnostics(io, [...loaded.diagnostics, ...plan.warnings], errColor);
  return plan;
}

function printDiagnostics(io: CliIO, diagnostics: Diagnostic[], color: boolean): void {
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d, undefined, color)}\n`);
}

export function planData(plan: Plan): unknown {
  return { ...plan, warnings: plan.warnings.map(diagnosticData) };
}

function clusterNames(p: Platform): string[] {
  return p.spec.clusters.map((c) => c.name);
}

export function parseFilename(value: string, platform: Platform, cwd: string): ManifestInput {
  const eq = value.indexOf('=');
  if (eq > 0) {
    const cluster = value.slice(0, eq);
    if (clusterNames(platform).includes(cluster)) return { cluster, path: value.slice(eq + 1) };
    if (!existsSync(resolve(cwd, value))) usage(`-f ${value}: no cluster named "${cluster}" in platform ${platform.metadata.name}`, `clusters: ${clusterNames(platform).join(', ')}`);
  }
  return { path: value };
}

function parseReady(value: string, platform: Platform): ReadyOverride {
  const m = /^([^/=]+)(?:\/([^/=]+)\/([^/=]+))?=(\d+)$/.exec(value);
  if (!m) usage(`--ready ${value}: expected CLUSTER=N or CLUSTER/NAMESPACE/SERVICE=N`);
  if (!clusterNames(platform).includes(m[1]!)) usage(`--ready ${value}: no cluster named "${m[1]}"`, `clusters: ${clusterNames(platform).join(', ')}`);
  return { cluster: m[1]!, ready: Number(m[4]), ...(m[2] ? { service: { namespace: m[2], name: m[3]! } } : {}) };
}

/** `cluster NAME down`: the cluster that is down. */
function parseWhatIf(value: string, platform: Platform): string {
  const m = /^\s*cluster\s+(\S+)\s+down\s*$/i.exec(value);
  if (!m) usage(`--what-if '${value}': expected 'cluster NAME down'`);
  if (!clusterNames(platform).includes(m[1]!)) usage(`--what-if '${value}': no cluster named "${m[1]}"`, `clusters: ${clusterNames(platform).join(', ')}`);
  return m[1]!;
}

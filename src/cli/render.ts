import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatDiagnostic, MeshwrightError, paint } from '../diag/index.js';
import { runRender } from '../ops/index.js';
import { DEFAULT_OUT, DEFAULT_STATE } from './defaults.js';
import { EXIT, ExitError } from './exit.js';
import { FORMATS, write, type Format } from './format.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { diffData, diffSummary, renderData, renderSummary } from './render-table.js';
import { validateReport } from './validate.js';


interface RenderFlags {
  outputDir: string;
  output: Format;
  state: string;
  rotateCa: boolean;
  diff: boolean;
  caKeyToChart: boolean;
  kubeletInsecureTls: boolean;
}

export function registerRender(program: Command, io: CliIO): void {
  program
    .command('render')
    .description('write Kubespray inventories, Cilium and metrics-server Helm values, manifests and the mesh certificates')
    .argument('[file]', 'platform file', 'platform.yaml')
    // helm template's name for the same thing (helm pkg/cmd/template.go, --output-dir).
    .option('--output-dir <dir>', 'output folder (replaced as a whole on every render)', DEFAULT_OUT)
    .addOption(new Option('-o, --output <format>', `output format: ${FORMATS.join(', ')}`).default('table').argParser(outputFormat))
    .option('--state <dir>', 'state folder that keeps the mesh CA and certificates', DEFAULT_STATE)
    .option('--diff', 'show what would change against the last render, without writing; exit 0 if nothing would, 1 if something would', false)
    .option('--rotate-ca', 'replace the mesh CA and re-issue every certificate', false)
    .option('--ca-key-to-chart', 'also give the CA key to the chart (tls.ca.key); every cluster could then mint mesh certificates', false)
    .option('--kubelet-insecure-tls', 'metrics-server skips kubelet certificate verification instead of Kubespray issuing kubelet serving certificates', false)
    .action(async (file: string, flags: RenderFlags, cmd: Command) => {
      const color = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout');
      let changed = false;
      try {
        changed = await renderAction(io, file, flags, color);
      } catch (err) {
        throw flags.diff ? asDiffFailure(err) : err;
      }
      if (changed) throw new ExitError(EXIT.invalid);
    });
}

/** -o was the output folder once; say where the folder went instead of only listing formats. */
function outputFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new InvalidArgumentError(`"${value}" is not an output format (${FORMATS.join(', ')}); the output folder is given with --output-dir ${value}`);
}

/** Renders (or diffs); true when --diff found something that would change. */
async function renderAction(io: CliIO, file: string, flags: RenderFlags, color: boolean): Promise<boolean> {
  const report = validateReport(io.cwd, file);
  const errColor = color && io.stderrIsTTY;
  if (!report.platform) {
    // An invalid platform stops render with validate's diagnostics; nothing is written.
    for (const d of report.diagnostics) io.stderr(`${formatDiagnostic(d, report.lines, errColor)}\n`);
    io.stderr(`render: ${file} is not valid; nothing was written\n`);
    throw new ExitError(EXIT.invalid);
  }
  for (const d of report.diagnostics) io.stderr(`${formatDiagnostic(d, report.lines, errColor)}\n`);
  if (flags.caKeyToChart) {
    io.stderr(`${paint(errColor).yellow('warning')}: --ca-key-to-chart puts the mesh CA key in every cluster's values: any cluster could mint certificates for the whole mesh\n`);
  }
  const outcome = await runRender({
    platform: report.platform,
    outDir: resolve(io.cwd, flags.outputDir),
    stateDir: resolve(io.cwd, flags.state),
    now: io.now(),
    rotateCa: flags.rotateCa,
    diff: flags.diff,
    options: { caKeyToChart: flags.caKeyToChart, kubeletInsecureTls: flags.kubeletInsecureTls },
  });
  const changes = outcome.changes;
  if (changes) write(io, flags.output, { toTable: (c) => diffSummary(changes, c), toData: () => diffData(changes, flags.outputDir) }, color);
  else write(io, flags.output, { toTable: (c) => renderSummary(outcome, flags.outputDir, c), toData: () => renderData(outcome, flags.outputDir, flags.state) }, color);
  return changes !== undefined && changes.length > 0;
}

/**
 * `render --diff` exits as `kubectl diff` does: 0 nothing would change, 1 something would, above 1
 * when it failed (kubectl's CheckDiffErr, pkg/cmd/util/helpers.go, adds one to its error codes so
 * none is 1). meshwright's usage (2), unreachable (3) and bug (70) codes already are; invalid
 * input (1) becomes 2.
 */
function asDiffFailure(err: unknown): unknown {
  if (err instanceof ExitError && err.exitCode === EXIT.invalid) return new ExitError(EXIT.diffFailed);
  if (err instanceof MeshwrightError && err.exitCode === EXIT.invalid) return new MeshwrightError(err.diagnostics, EXIT.diffFailed);
  return err;
}

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic, paint } from '../diag/index.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { diffSummary, renderRun, renderSummary } from './render-run.js';
import { validateReport } from './validate.js';

export const DEFAULT_OUT = '.meshwright/out';
export const DEFAULT_STATE = '.meshwright/state/pki';

interface RenderFlags {
  out: string;
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
    .option('-o, --out <dir>', 'output folder (replaced as a whole on every render)', DEFAULT_OUT)
    .option('--state <dir>', 'state folder that keeps the mesh CA and certificates', DEFAULT_STATE)
    .option('--diff', 'show what would change against the last render, without writing', false)
    .option('--rotate-ca', 'replace the mesh CA and re-issue every certificate', false)
    .option('--ca-key-to-chart', 'also give the CA key to the chart (tls.ca.key); every cluster could then mint mesh certificates', false)
    .option('--kubelet-insecure-tls', 'metrics-server skips kubelet certificate verification instead of Kubespray issuing kubelet serving certificates', false)
    .action(async (file: string, flags: RenderFlags, cmd: Command) => {
      const color = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout');
      await runRender(io, file, flags, color);
    });
}

export async function runRender(io: CliIO, file: string, flags: RenderFlags, color: boolean): Promise<void> {
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
  const outcome = await renderRun({
    platform: report.platform,
    outDir: resolve(io.cwd, flags.out),
    stateDir: resolve(io.cwd, flags.state),
    now: io.now(),
    rotateCa: flags.rotateCa,
    diff: flags.diff,
    options: { caKeyToChart: flags.caKeyToChart, kubeletInsecureTls: flags.kubeletInsecureTls },
  });
  io.stdout(`${outcome.changes ? diffSummary(outcome.changes, color) : renderSummary(outcome, flags.out, color)}\n`);
}

import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Option } from 'commander';
import { paint } from '../diag/index.js';
import { summarizePlatform, type PlatformSummary } from '../spec/index.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { FORMATS, write, type Format } from './format.js';
import { summaryTable } from './platform-summary.js';
import { validateReport } from './validate.js';
import { runRender, type RenderOutcome } from '../ops/index.js';
import { renderData, renderSummary } from './render-table.js';
import { DEFAULT_RENDER_OPTIONS } from '../render/index.js';
import { buildPlan, platformObjects, type Plan } from '../plan/index.js';
import { planTable } from './plan-table.js';
import { planData } from './plan.js';

/** The package root, whether running from dist/cli or src/cli. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENCE_LAB = resolve(PACKAGE_ROOT, 'examples', 'reference-lab', 'platform.yaml');

/** The demo's own folders, so it never touches a user's `.meshwright/out`. */
export const DEMO_OUT = '.meshwright/reference-lab/out';
export const DEMO_STATE = '.meshwright/reference-lab/state/pki';

/**
 * The main job on the built-in reference lab: validate, summarise, render (with the mesh
 * CA kept in the demo's state folder). Each later stage (plan, simulate, verify) joins here.
 */
export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('run the main job on the built-in reference lab (no clusters needed)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .action(async (opts: { output: Format }, cmd: Command) => {
      const color = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout');
      const file = relative(PACKAGE_ROOT, REFERENCE_LAB);
      const report = validateReport(PACKAGE_ROOT, file);
      if (!report.platform) {
        write(io, 'table', report, color);
        throw new ExitError(EXIT.invalid);
      }
      const summary = summarizePlatform(report.platform);
      const rendered = await runRender({
        platform: report.platform,
        outDir: resolve(io.cwd, DEMO_OUT),
        stateDir: resolve(io.cwd, DEMO_STATE),
        now: io.now(),
        options: DEFAULT_RENDER_OPTIONS,
      });
      const plan = buildPlan({ platform: report.platform, objects: platformObjects(report.platform) });
      write(io, opts.output, demoResult(file, report.toTable(color), summary, rendered, plan), color);
    });
}

function demoResult(file: string, validation: string, summary: PlatformSummary, rendered: RenderOutcome, plan: Plan) {
  return {
    toTable: (color: boolean) => {
      const p = paint(color);
      return [
        `${p.bold('meshwright demo')}: the built-in reference lab (${file})`,
        '',
        p.bold('1. validate'),
        validation,
        '',
        p.bold('2. summary'),
        summaryTable(summary, color),
        '',
        p.bold('3. render'),
        renderSummary(rendered, DEMO_OUT, color),
        '',
        p.bold('4. plan (predicted offline)'),
        planTable(plan, color),
      ].join('\n');
    },
    toData: () => ({
      apiVersion: 'meshwright/v1alpha1',
      kind: 'DemoReport',
      file,
      valid: true,
      platform: summary,
      render: renderData(rendered, DEMO_OUT, DEMO_STATE),
      plan: planData(plan),
    }),
  };
}

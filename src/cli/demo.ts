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
import { globalAgent } from 'node:https';
import { labDown, labPaths } from '../lab/index.js';
import { createProgress, runApply, type ApplyOutcome } from '../ops/index.js';
import { CHECKS, runChecks, verifyContext, verifyExitCode, verifyTable, type VerifyReport } from '../verify/index.js';
import { table } from './table.js';

/** The package root, whether running from dist/cli or src/cli. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENCE_LAB = resolve(PACKAGE_ROOT, 'examples', 'reference-lab', 'platform.yaml');

/** The demo's own folders, so it never touches a user's `.meshwright/out`. */
export const DEMO_OUT = '.meshwright/reference-lab/out';
export const DEMO_STATE = '.meshwright/reference-lab/state/pki';
/** The demo's lab lives in its own folder (its `.meshwright/lab`), apart from a lab the user runs here. */
export const DEMO_LAB_DIR = '.meshwright/reference-lab';
/** A fixed seed: the demo's requests, and so its verify table, are the same on every run. */
const DEMO_SEED = 1;

/**
 * The main job on the built-in reference lab: validate, summarise, render (with the mesh CA kept
 * in the demo's state folder), plan, apply to a lab in the demo's own folder, then verify the lab
 * against the plan. The lab is stopped afterwards unless --keep-lab; the exit code is verify's.
 */
export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('run the main job on the built-in reference lab (no clusters needed)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .option('--keep-lab', 'leave the demo\'s lab running afterwards (KUBECONFIG=.meshwright/reference-lab/.meshwright/lab/kubeconfig)')
    .action(async (opts: { output: Format; keepLab?: boolean }, cmd: Command) => {
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
      const labDir = resolve(io.cwd, DEMO_LAB_DIR);
      let applied: ApplyOutcome;
      let verified: VerifyReport;
      try {
        // progress on stderr, one plain line per event: stdout stays the report
        const progress = createProgress('plain', io.stderr);
        try {
          applied = await runApply({
            cwd: labDir,
            platform: report.platform,
            platformFile: REFERENCE_LAB,
            outDir: resolve(io.cwd, DEMO_OUT),
            stateDir: resolve(io.cwd, DEMO_STATE),
            target: 'lab',
            dryRun: false,
            timeoutMs: 5 * 60_000,
            contexts: {},
            charts: {},
            replace: false,
            renderOptions: DEFAULT_RENDER_OPTIONS,
            env: io.env,
            now: io.now,
            progress,
          });
        } finally {
          progress.close();
        }
        const ctx = await verifyContext({ platform: report.platform, kubeconfig: labPaths(labDir).kubeconfig, contexts: {}, stateDir: resolve(io.cwd, DEMO_STATE), requests: 100, seed: DEMO_SEED, alpha: 0.01 });
        try {
          verified = await runChecks(ctx, CHECKS);
        } finally {
          await ctx.close();
        }
      } finally {
        if (!opts.keepLab) await labDown(labDir);
        globalAgent.destroy();
      }
      write(io, opts.output, demoResult(file, report.toTable(color), summary, rendered, plan, applied, verified), color);
      const code = verifyExitCode(verified);
      if (code !== EXIT.ok) throw new ExitError(code);
    });
}

function demoResult(file: string, validation: string, summary: PlatformSummary, rendered: RenderOutcome, plan: Plan, applied: ApplyOutcome, verified: VerifyReport) {
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
        '',
        p.bold('5. apply (to a lab of SIMULATED clusters in ' + DEMO_LAB_DIR + ')'),
        applySummary(applied),
        '',
        p.bold('6. verify (the lab observed against the plan)'),
        verifyTable(verified, p, table),
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
      apply: { target: applied.target, changed: applied.changed, steps: applied.steps.map((st) => ({ name: st.name, clusters: st.clusters.map((c) => ({ cluster: c.cluster, outcome: c.outcome })) })) },
      verify: verified,
    }),
  };
}

/** One line per step: what apply did on each cluster (the objects are in `meshwright apply`'s own table). */
function applySummary(o: ApplyOutcome): string {
  return table(['step', 'outcome'], o.steps.map((st) => [st.name, [...new Set(st.clusters.map((c) => c.outcome))].join(', ')]));
}

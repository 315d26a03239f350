import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Option } from 'commander';
import { paint } from '../diag/index.js';
import { summarizePlatform, type PlatformSummary } from '../spec/index.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { FORMATS, write, type Format } from './output.js';
import { summaryTable } from './platform-summary.js';
import { validateReport } from './validate.js';

/** The package root, whether running from dist/cli or src/cli. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENCE_LAB = resolve(PACKAGE_ROOT, 'examples', 'reference-lab', 'platform.yaml');

/**
 * The main job on the built-in reference lab. Today: validate the platform and summarise it.
 * Each later stage (render, plan, simulate, verify) is added here as it lands.
 */
export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('run the main job on the built-in reference lab (no clusters needed)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .action((opts: { output: Format }, cmd: Command) => {
      const color = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout');
      const file = relative(io.cwd, REFERENCE_LAB) || REFERENCE_LAB;
      const report = validateReport(io.cwd, file);
      if (!report.platform) {
        write(io, 'table', report, color);
        throw new ExitError(EXIT.invalid);
      }
      const summary = summarizePlatform(report.platform);
      write(io, opts.output, demoResult(file, report.toTable(color), summary), color);
    });
}

function demoResult(file: string, validation: string, summary: PlatformSummary) {
  return {
    toTable: (color: boolean) => {
      const p = paint(color);
      return [`${p.bold('meshwright demo')}: the built-in reference lab (${file})`, '', `${p.bold('1. validate')}`, validation, '', `${p.bold('2. summary')}`, summaryTable(summary, color)].join('\n');
    },
    toData: () => ({ apiVersion: 'meshwright/v1alpha1', kind: 'DemoReport', file, valid: true, platform: summary }),
  };
}

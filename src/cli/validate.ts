import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { countBySeverity, formatDiagnostic, MeshwrightError, paint, type Diagnostic, type LineIndex } from '../diag/index.js';
import { dotted, validatePlatformFile, type Platform } from '../spec/index.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { FORMATS, write, type Format, type Printable } from './format.js';
import { EXIT, ExitError } from './exit.js';

/** The outcome of validating one platform file, printable as text, JSON or YAML. */
export class ValidationReport implements Printable {
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
    readonly platform: Platform | undefined,
    readonly lines: LineIndex | undefined,
  ) {}

  get valid(): boolean {
    return this.platform !== undefined;
  }

  toTable(color: boolean): string {
    const p = paint(color);
    const parts = this.diagnostics.map((d) => formatDiagnostic(d, this.lines, color));
    const { errors, warnings } = countBySeverity(this.diagnostics);
    const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
    if (this.platform) {
      const s = this.platform.spec;
      const nodes = s.clusters.reduce((n, c) => n + c.nodes.length, 0);
      parts.push(`${p.green('✓')} ${this.file} is valid${warnings ? ` (${plural(warnings, 'warning')})` : ''}: platform ${this.platform.metadata.name}, ${plural(s.clusters.length, 'cluster')}, ${plural(nodes, 'node')}, Kubernetes ${s.kubernetes.version}, Cilium ${s.cilium.version}, mesh ${s.mesh.enabled ? 'on' : 'off'}`);
    } else if (this.diagnostics.some((d) => d.start)) {
      // A file that could not be read already said so in its one line.
      parts.push(`${p.red('✗')} ${this.file}: ${counts}`);
    }
    return parts.join('\n');
  }

  toData(): unknown {
    const { errors, warnings } = countBySeverity(this.diagnostics);
    return {
      apiVersion: 'meshwright/v1alpha1',
      kind: 'ValidationReport',
      file: this.file,
      valid: this.valid,
      errors,
      warnings,
      diagnostics: this.diagnostics.map(diagnosticData),
    };
  }
}

export function diagnosticData(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.file ? { file: d.file } : {}),
    ...(d.start ? { line: d.start.line, column: d.start.column } : {}),
    ...(d.end ? { endLine: d.end.line, endColumn: d.end.column } : {}),
    ...(d.path && d.path.length ? { path: dotted(d.path) } : {}),
  };
}

/** `file` is resolved against `cwd` and shown as `display` (as the user typed it, by default). */
export function validateReport(cwd: string, file: string, display = file): ValidationReport {
  try {
    const r = validatePlatformFile(resolve(cwd, file), display);
    return new ValidationReport(display, r.diagnostics, r.platform, r.source.lines);
  } catch (err) {
    if (err instanceof MeshwrightError) return new ValidationReport(display, err.diagnostics, undefined, undefined);
    throw err;
  }
}

export function registerValidate(program: Command, io: CliIO): void {
  program
    .command('validate')
    .description('check a platform file and report every problem with its file:line:column')
    .argument('[file]', 'platform file', 'platform.yaml')
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .action((file: string, opts: { output: Format }, cmd: Command) => {
      const report = validateReport(io.cwd, file);
      write(io, opts.output, report, colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout'));
      if (!report.valid) throw new ExitError(EXIT.invalid);
    });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

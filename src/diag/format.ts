import type { Diagnostic } from './diagnostic.js';
import type { LineIndex } from './line-index.js';
import { paint, type Palette } from './paint.js';

const MAX_EXCERPT = 160;

/**
 * Renders a diagnostic the way compilers do:
 *   file:line:col: error[CODE]: message
 *      12 |       podCIDR: 10.1.0.0/16
 *         |                ^^^^^^^^^^^
 *     hint: ...
 */
export function formatDiagnostic(d: Diagnostic, source?: LineIndex, color = false): string {
  const p = paint(color);
  const where = location(d);
  const sev = d.severity === 'error' ? p.red(p.bold('error')) : p.yellow(p.bold('warning'));
  const lines = [`${where ? `${p.bold(where)}: ` : ''}${sev}[${d.code}]: ${d.message}`];
  if (source && d.start) lines.push(...excerpt(d, source, p));
  if (d.hint) lines.push(`  ${p.cyan('hint:')} ${d.hint}`);
  return lines.join('\n');
}

function location(d: Diagnostic): string {
  if (!d.file) return '';
  return d.start ? `${d.file}:${d.start.line}:${d.start.column}` : d.file;
}

function excerpt(d: Diagnostic, source: LineIndex, p: Palette): string[] {
  const { line, column } = d.start!;
  const text = source.line(line);
  const sameLine = d.end && d.end.line === line;
  const width = Math.max(1, sameLine ? d.end!.column - column : text.length - column + 1);
  // Long lines are cut around the caret so the excerpt stays readable.
  const from = text.length > MAX_EXCERPT ? Math.max(0, column - 1 - MAX_EXCERPT / 2) : 0;
  const shown = text.slice(from, from + MAX_EXCERPT);
  const lead = shown.slice(0, column - 1 - from).replace(/[^\t]/g, ' ');
  const caret = '^'.repeat(Math.min(width, Math.max(1, shown.length - lead.length)));
  const gutter = String(line).padStart(4);
  return [`${p.dim(`${gutter} |`)} ${shown}`, `${p.dim(`${' '.repeat(gutter.length)} |`)} ${lead}${p.red(caret)}`];
}

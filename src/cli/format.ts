import { stringify } from 'yaml';
import type { CliIO } from './io.js';

export const FORMATS = ['table', 'json', 'yaml'] as const;
export type Format = (typeof FORMATS)[number];

/** One result, three renderings (helm's output.Writer). */
export interface Printable {
  toTable(color: boolean): string;
  toData(): unknown;
}

export function write(io: CliIO, format: Format, result: Printable, color: boolean): void {
  io.stdout(render(format, result, color));
}

export function render(format: Format, result: Printable, color: boolean): string {
  if (format === 'json') return `${JSON.stringify(result.toData(), null, 2)}\n`;
  if (format === 'yaml') return stringify(result.toData(), { version: '1.1', lineWidth: 0 });
  const text = result.toTable(color);
  return text.endsWith('\n') ? text : `${text}\n`;
}

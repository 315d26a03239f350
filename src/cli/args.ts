import { MeshwrightError } from '../diag/index.js';
import { EXIT } from './exit.js';

/** commander's collector for repeatable options (-f, --ready, -H …). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A command line that cannot mean anything: exit 2, with what to write instead. */
export function usage(message: string, hint?: string): never {
  throw new MeshwrightError({ severity: 'error', code: 'USAGE', message, ...(hint ? { hint } : {}) }, EXIT.usage);
}

/** A whole-number flag within [min, max], else exit 2 with an example (`e.g. FLAG example`). */
export function wholeNumber(text: string, flag: string, min: number, max: number, example: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) usage(`${flag} ${text} is not a whole number from ${min} to ${max}`, `e.g. ${flag} ${example}`);
  return n;
}

/** A Go-style duration of one unit (ms, s, m), as kubectl's --timeout takes it. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!m) return text.trim() === '0' ? 0 : undefined;
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm']);
}

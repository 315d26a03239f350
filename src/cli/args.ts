import { MeshwrightError } from '../diag/index.js';
import { EXIT } from './exit.js';

/** commander's collector for repeatable options (-f, --ready, -H …). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A command line that cannot mean anything: exit 2, with what to write instead. */
export function usage(message: string, hint?: string): never {
  throw new MeshwrightError({ severity: 'error', code: 'USAGE', message, ...(hint ? { hint } : {}) }, EXIT.usage);
}

import { decideColor, type ColorMode } from '../diag/index.js';
import type { CliIO } from './io.js';

export interface Globals {
  color?: ColorMode;
}

export function colorFor(globals: Globals, io: CliIO, stream: 'stdout' | 'stderr'): boolean {
  return decideColor(globals.color ?? 'auto', io.env, stream === 'stdout' ? io.stdoutIsTTY : io.stderrIsTTY);
}

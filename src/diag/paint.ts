/** ANSI styling that is either on or off; the caller decides once (flag, NO_COLOR, FORCE_COLOR, TTY). */
export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const style = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

const COLORED: Palette = {
  bold: style(1, 22),
  dim: style(2, 22),
  red: style(31, 39),
  green: style(32, 39),
  yellow: style(33, 39),
  cyan: style(36, 39),
};
const PLAIN: Palette = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };

export function paint(enabled: boolean): Palette {
  return enabled ? COLORED : PLAIN;
}

export type ColorMode = 'auto' | 'always' | 'never';

/** helm's order: explicit flag, then NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal. */
export function decideColor(mode: ColorMode, env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(isTTY);
}

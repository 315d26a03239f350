import { spawnSync } from 'node:child_process';

/** Runs a bench case in a fresh Node process so its peak memory is its own; returns its JSON line. */
export function inChild<T>(script: string, args: string[]): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function fmt(n: number, digits = 0): string {
  return n.toFixed(digits);
}

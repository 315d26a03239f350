import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { memoryIO, run } from '../../src/cli/index.js';
import { REPO_ROOT } from './golden.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command line in process, colour off, from `cwd` (the repository by default). */
export async function cli(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; now?: Date; stdin?: string } = {}): Promise<CliResult> {
  const io = memoryIO({ NO_COLOR: '1', ...opts.env }, opts.cwd ?? REPO_ROOT, () => opts.now ?? new Date(), opts.stdin ?? '');
  const code = await run(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

/** Runs the built binary, as a user would after `npm run build`. */
export function bin(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [resolve(REPO_ROOT, 'dist', 'cli', 'main.js'), ...argv], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

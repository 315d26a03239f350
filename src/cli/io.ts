import { readFileSync } from 'node:fs';

/** Everything a command touches of the process, so tests can run commands in process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The clock, injected so that tests can render at a fixed time. */
  now: () => Date;
  /** All of standard input (`-f -`), read when asked for. */
  stdin: () => string;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    now: () => new Date(),
    stdin: () => readFileSync(0, 'utf8'),
  };
}

/** Collects output in memory (tests, golden files). */
export function memoryIO(env: NodeJS.ProcessEnv = {}, cwd = process.cwd(), now: () => Date = () => new Date(), stdin = ''): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env, cwd, stdoutIsTTY: false, stderrIsTTY: false, now, stdin: () => stdin };
}

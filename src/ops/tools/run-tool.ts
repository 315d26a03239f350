import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number | null;
  /** The last lines of output, for the error message. */
  tail: string;
  /** The first 64 KiB of output (a --version answer). */
  head: string;
  timedOut: boolean;
}

/**
 * Runs one of the user's tools (helm, ansible-playbook) with an argument list, never a shell.
 * Output goes to `onLine` as it comes; past `timeoutMs` the tool gets SIGTERM, then SIGKILL.
 */
export function runTool(bin: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; onLine?: (line: string) => void }): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let head = '';
    let timedOut = false;
    const take = (d: Buffer) => {
      if (head.length < 65_536) head += d.toString().slice(0, 65_536 - head.length);
      for (const l of d.toString().split('\n').filter(Boolean)) {
        lines.push(l);
        if (lines.length > 20) lines.shift();
        opts.onLine?.(l);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, tail: lines.slice(-5).join('\n'), head, timedOut });
    });
  });
}

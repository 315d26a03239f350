import { formatDiagnostic, MeshwrightError } from '../diag/index.js';
import { errnoOf, fsError } from '../source/index.js';
import { EXIT } from './exit.js';

/**
 * Standard output failing under a command — redirected to a full disk (`> /dev/full`), or a pipe
 * whose reader left (`| head`) — is reported by Node as an 'error' event after the write, which
 * unhandled ends the process with a stack. Here it is one line instead: a full disk is the
 * user's fault to fix (exit 1); a reader that left wanted no more (the exit code stays).
 */
export class OutputGuard {
  private code: number | undefined;

  /** `faultCode`: what a failed output exits with (2 under `render --diff`, whose 1 means "would change"). */
  constructor(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, faultCode: number = EXIT.invalid) {
    let reported = false;
    stdout.on('error', (err: unknown) => {
      const errno = errnoOf(err);
      if (reported || !errno || errno === 'EPIPE') return;
      reported = true;
      const fault = fsError(err, { path: 'standard output', action: 'write', code: 'STDOUT_UNWRITABLE', hint: 'or send the output elsewhere' });
      // Standard output is no file to point at: the message says what failed.
      if (fault instanceof MeshwrightError) for (const { file: _, ...d } of fault.diagnostics) stderr.write(`${formatDiagnostic(d)}\n`);
      this.code = faultCode;
      process.exitCode = this.exitCode(Number(process.exitCode ?? 0));
    });
    // Nowhere left to say anything: stay quiet rather than die with a stack on the same stream.
    stderr.on('error', () => undefined);
  }

  /** A failed output is a failed command: it outranks success (and, under --diff, "would change"). */
  exitCode(commandCode: number): number {
    return this.code !== undefined && commandCode < this.code ? this.code : commandCode;
  }
}

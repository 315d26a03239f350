/**
 * Exit codes (DESIGN.md): 1 invalid input or a failed check, 2 usage, 3 a cluster or tool failed,
 * 70 a bug (BSD sysexits.h EX_SOFTWARE, "an internal software error"), so a script can tell a
 * bug from its own mistake. `render --diff` follows `kubectl diff` instead: 1 means "would change",
 * and invalid input is `diffFailed` (2), like every other failure there (above 1).
 */
export const EXIT = { ok: 0, invalid: 1, usage: 2, unreachable: 3, diffFailed: 2, software: 70 } as const;

/** Thrown by a command to end with a code after it has printed what it had to say. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

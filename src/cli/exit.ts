/** Exit codes (DESIGN.md): 1 invalid input or failed check, 2 usage, 3 a cluster or tool failed. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, unreachable: 3 } as const;

/** Thrown by a command to end with a code after it has printed what it had to say. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

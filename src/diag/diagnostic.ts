/** A finding about a user's input: what is wrong, where, and how to fix it. */
export type Severity = 'error' | 'warning';

/** 1-based line and column, as editors and compilers print them. */
export interface Position {
  line: number;
  column: number;
}

export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  hint?: string;
  file?: string;
  /** Path of the offending node inside the document, e.g. ['spec', 'clusters', 1, 'podCIDR']. */
  path?: (string | number)[];
  /** Character offsets [start, end) of the offending text in the source. */
  range?: [number, number];
  start?: Position;
  end?: Position;
}

/** A user's mistake that stops a command. The CLI prints it without a stack trace. */
export class MeshwrightError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly exitCode: number;

  constructor(diagnostics: Diagnostic | Diagnostic[], exitCode = 1) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list[0]?.message ?? 'invalid input');
    this.name = 'MeshwrightError';
    this.diagnostics = list;
    this.exitCode = exitCode;
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { errors, warnings: diagnostics.length - errors };
}

/** File order: by offset, then findings without a position, stable otherwise. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.range?.[0] ?? Infinity) - (b.d.range?.[0] ?? Infinity) || a.i - b.i)
    .map(({ d }) => d);
}

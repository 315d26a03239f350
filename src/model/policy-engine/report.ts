import type { Diagnostic } from '../../diag/index.js';
import { locate, type LoadedObject } from '../../manifests/index.js';

export type Path = (string | number)[];

/** Findings about one manifest object, positioned at a path inside it; never throws. */
export interface Reporter {
  error(code: string, message: string, path: Path, hint?: string, key?: boolean): void;
  warning(code: string, message: string, path: Path, hint?: string, key?: boolean): void;
  /** file:line:column of a node, for RuleRef. */
  position(path: Path): { file: string; line: number; column: number };
}

export function reporterFor(o: LoadedObject, out: Diagnostic[]): Reporter {
  const add = (severity: Diagnostic['severity']) => (code: string, message: string, path: Path, hint?: string, key = false) => {
    out.push(locate({ severity, code, message, ...(hint ? { hint } : {}) }, o.source, path, key));
  };
  return {
    error: add('error'),
    warning: add('warning'),
    position(path) {
      const d = locate({ severity: 'warning', code: '', message: '' }, o.source, path);
      return { file: o.source.file, line: d.start?.line ?? 0, column: d.start?.column ?? 0 };
    },
  };
}

/** A field that is there: Go decodes `null` as it decodes a missing field (a nil pointer, a zero value). */
export function isGiven(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

import type { Severity } from '../diag/index.js';
import type { DocPath } from '../source/index.js';
import type { PlatformView } from './view.js';

export interface Finding {
  path: DocPath;
  code: string;
  message: string;
  hint?: string;
  severity?: Severity;
  /** Point at the key rather than its value (unknown or misplaced fields). */
  key?: boolean;
}

export interface RuleContext {
  view: PlatformView;
  report(finding: Finding): void;
}

/** A named mesh rule: reads the view, reports findings, never throws on odd input. */
export type Rule = (ctx: RuleContext) => void;

export function clusterLabel(c: { name?: string; index: number }): string {
  return c.name ?? `clusters[${c.index}]`;
}

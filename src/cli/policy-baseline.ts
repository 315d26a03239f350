import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { pairsFromCells, pairsFromConnlist, type PairMap } from '../policy-report/index.js';
import { onFs } from '../source/index.js';
import { EXIT } from './exit.js';

/** A baseline for `policy matrix --baseline`: a `policy matrix -o json` document, or connlist lines. */
export interface Baseline {
  format: 'json' | 'connlist';
  pairs: PairMap;
  port?: number;
}

export function readBaseline(cwd: string, file: string): Baseline {
  const text = onFs({ path: file, action: 'read', code: 'BASELINE_UNREADABLE', hint: 'save one with `meshwright policy matrix … -o json > FILE` (or -o connlist)' }, () => readFileSync(resolve(cwd, file), 'utf8'));
  if (text.trimStart().startsWith('{')) return fromJson(file, text);
  const { pairs, bad } = pairsFromConnlist(text);
  if (bad.length > 0) invalid(file, `line ${bad[0]} is not "SOURCE => DESTINATION : CONNECTIONS"`, bad[0]);
  return { format: 'connlist', pairs };
}

function fromJson(file: string, text: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    invalid(file, `not JSON: ${(err as Error).message}`);
  }
  const m = doc as { kind?: unknown; cells?: unknown; port?: unknown };
  if (m.kind !== 'PolicyMatrix' || !Array.isArray(m.cells)) invalid(file, 'a JSON baseline is a `policy matrix -o json` document (kind: PolicyMatrix)');
  return { format: 'json', pairs: pairsFromCells(m.cells as { from: string; to: string }[]), ...(typeof m.port === 'number' ? { port: m.port } : {}) };
}

function invalid(file: string, why: string, line?: number): never {
  throw new MeshwrightError({ severity: 'error', code: 'BASELINE_INVALID', file, ...(line ? { start: { line, column: 1 } } : {}), message: `${file}: ${why}`, hint: 'save a baseline with `meshwright policy matrix … -o json > FILE` (or -o connlist)' }, EXIT.invalid);
}

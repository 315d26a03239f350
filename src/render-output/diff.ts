import { createTwoFilesPatch } from 'diff';
import { byCodeUnit } from '../net/index.js';
import type { RenderedFile } from '../render/index.js';

export interface TreeChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  secret: boolean;
  /** Unified diff; absent for secret files and removed files, whose contents are never shown. */
  patch?: string;
}

/** What a render would change against the last one, file by file. */
export function diffTree(previous: Map<string, string>, next: RenderedFile[]): TreeChange[] {
  const changes: TreeChange[] = [];
  const seen = new Set<string>();
  for (const f of next) {
    seen.add(f.path);
    const old = previous.get(f.path);
    if (old === f.content) continue;
    const change = old === undefined ? 'added' : 'changed';
    changes.push({ path: f.path, change, secret: f.secret, ...(f.secret ? {} : { patch: patch(f.path, old ?? '', f.content, change) }) });
  }
  // A file that would go is named, never shown: its contents are the past, and may be anyone's.
  for (const path of previous.keys()) {
    if (!seen.has(path)) changes.push({ path, change: 'removed', secret: isSecretPath(path) });
  }
  return changes.sort((a, b) => byCodeUnit(a.path, b.path));
}

export function isSecretPath(path: string): boolean {
  return /\.secret\.yaml$|\.key$/.test(path);
}

function patch(path: string, before: string, after: string, change: TreeChange['change']): string {
  const a = change === 'added' ? '/dev/null' : `a/${path}`;
  const b = change === 'removed' ? '/dev/null' : `b/${path}`;
  return createTwoFilesPatch(a, b, before, after, '', '', { context: 3 }).replace(/^=+\n/, '');
}

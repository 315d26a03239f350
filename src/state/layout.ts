import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CA_FILE_NAMES, LEAF_NAMES } from '../pki/index.js';

/**
 * The state folder's layout: ca.crt / ca.key at the top, then <cluster>/<name>.crt|.key with
 * <name> one of pki's LEAF_NAMES. Only these names are read, written or removed; anything else
 * a user keeps in the folder is left alone.
 */
const SEGMENT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const CA_FILES = CA_FILE_NAMES;

export interface PairPaths {
  cert: string;
  key: string;
}

/** Relative paths of an id's two files; throws on an id that could escape the folder (a bug). */
export function pairPaths(id: string): PairPaths {
  if (id === 'ca') return { ...CA_FILES };
  const [cluster, name, ...rest] = id.split('/');
  if (!cluster || !name || rest.length || !SEGMENT.test(cluster) || !isLeafName(name)) throw new Error(`not a state id: ${JSON.stringify(id)}`);
  return { cert: `${cluster}/${name}.crt`, key: `${cluster}/${name}.key` };
}

export interface StateFile {
  /** Relative to the state folder, "/"-separated. */
  rel: string;
  id: string;
  kind: 'cert' | 'key';
}

/** The layout files present in `dir` (which must exist), in a stable order. */
export function listStateFiles(dir: string): StateFile[] {
  const out: StateFile[] = [];
  const top = readdirSync(dir).sort();
  for (const f of [CA_FILES.cert, CA_FILES.key]) if (top.includes(f)) out.push({ rel: f, id: 'ca', kind: f === CA_FILES.cert ? 'cert' : 'key' });
  for (const sub of clusterFolders(dir, top)) {
    for (const f of readdirSync(join(dir, sub)).sort()) {
      const m = /^(.+)\.(crt|key)$/.exec(f);
      if (m && isLeafName(m[1]!)) out.push({ rel: `${sub}/${f}`, id: `${sub}/${m[1]}`, kind: m[2] === 'crt' ? 'cert' : 'key' });
    }
  }
  return out;
}

const isLeafName = (name: string): boolean => (LEAF_NAMES as readonly string[]).includes(name);

export function clusterFolders(dir: string, names = readdirSync(dir).sort()): string[] {
  return names.filter((n) => SEGMENT.test(n) && statSync(join(dir, n)).isDirectory());
}

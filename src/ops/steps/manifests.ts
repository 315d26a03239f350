import type { KubernetesObject } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';

/** The objects of one rendered manifest file, in file order. */
export function manifestObjects(files: ReadonlyMap<string, string>, path: string): KubernetesObject[] {
  const text = files.get(path);
  if (text === undefined) return [];
  return (loadAll(text) as unknown[]).filter((o): o is KubernetesObject => typeof o === 'object' && o !== null);
}

export function parsedValues(files: ReadonlyMap<string, string>, path: string): Record<string, unknown> | undefined {
  const text = files.get(path);
  if (text === undefined) return undefined;
  const [doc] = loadAll(text) as unknown[];
  return (doc ?? {}) as Record<string, unknown>;
}

/** The rendered files one cluster's step reads, as the journal's inputs. */
export function filesOf(files: ReadonlyMap<string, string>, paths: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(paths.map((p) => [p, files.get(p) ?? null]));
}

import { isDeepStrictEqual } from 'node:util';
import { isRecord, type AdminAccess } from './admin-conf.js';

/** One cluster to bring into the target kubeconfig under its mesh name. */
export interface MergeInput {
  /** The mesh cluster name: the new name of the context, cluster and user. */
  name: string;
  access: AdminAccess;
  /** The API server URL every machine can reach (render's choice); undefined keeps the file's. */
  server?: string;
}

export type EntryAction = 'added' | 'unchanged' | 'replaced';

export interface MergedCluster {
  name: string;
  from: string;
  server: string;
  /** What happened to each of the three entries in the target. */
  actions: Record<'cluster' | 'user' | 'context', EntryAction>;
}

/** A name the target already holds with other content. */
export interface Collision {
  list: 'clusters' | 'users' | 'contexts';
  name: string;
  from: string;
}

export type MergeOutcome = { config: Record<string, unknown>; merged: MergedCluster[]; collisions: [] } | { collisions: Collision[] };

const LISTS = { cluster: 'clusters', user: 'users', context: 'contexts' } as const;

/**
 * Merges admin kubeconfigs into `target`, renaming each one's cluster, user and context to its
 * mesh name by field (never by text: a server URL or an extension may contain "cluster.local").
 * Unlike kubectl's silent first-wins (client-go loader.go), a name the target holds with other
 * content is a collision unless `replace`; an identical entry is left as it is. Every unrelated
 * entry, the preferences and current-context stay, unless `useContext` names a new one.
 */
export function mergeKubeconfig(target: Record<string, unknown> | undefined, inputs: MergeInput[], opts: { replace?: boolean; useContext?: string } = {}): MergeOutcome {
  const config: Record<string, unknown> = target ? structuredClone(target) : { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [], 'current-context': '' };
  const collisions: Collision[] = [];
  const merged: MergedCluster[] = [];
  for (const input of inputs) {
    const renamed = renamedEntries(input);
    const actions = {} as MergedCluster['actions'];
    for (const kind of ['cluster', 'user', 'context'] as const) {
      const list = listOf(config, LISTS[kind]);
      const i = list.findIndex((e) => isRecord(e) && e.name === input.name);
      if (i < 0) {
        list.push(renamed[kind]);
        actions[kind] = 'added';
      } else if (isDeepStrictEqual(list[i], renamed[kind])) {
        actions[kind] = 'unchanged';
      } else if (opts.replace) {
        list[i] = renamed[kind];
        actions[kind] = 'replaced';
      } else {
        collisions.push({ list: LISTS[kind], name: input.name, from: input.access.file });
      }
    }
    merged.push({ name: input.name, from: input.access.file, server: serverOf(renamed.cluster), actions });
  }
  if (collisions.length) return { collisions };
  if (opts.useContext !== undefined) config['current-context'] = opts.useContext;
  return { config, merged, collisions: [] };
}

function renamedEntries(input: MergeInput): Record<'cluster' | 'user' | 'context', Record<string, unknown>> {
  const { access, name } = input;
  const cluster = { ...(access.cluster.value.cluster as Record<string, unknown>) };
  if (input.server !== undefined) cluster.server = input.server;
  const context = { ...(isRecord(access.context.value.context) ? access.context.value.context : {}), cluster: name, user: name };
  return {
    cluster: { ...access.cluster.value, name, cluster },
    user: { ...access.user.value, name },
    context: { ...access.context.value, name, context },
  };
}

function listOf(config: Record<string, unknown>, key: string): unknown[] {
  if (!Array.isArray(config[key])) config[key] = [];
  return config[key] as unknown[];
}

function serverOf(entry: Record<string, unknown>): string {
  const c = entry.cluster;
  return isRecord(c) && typeof c.server === 'string' ? c.server : '';
}

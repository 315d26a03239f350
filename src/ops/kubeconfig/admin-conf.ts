import { isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../../diag/index.js';
import { YamlSource, type DocPath } from '../../source/index.js';

/** One named entry of a kubeconfig list (`clusters`, `users`, `contexts`). */
export interface NamedEntry {
  name: string;
  value: Record<string, unknown>;
}

/** The cluster, user and context an admin kubeconfig grants, as read from its file. */
export interface AdminAccess {
  file: string;
  cluster: NamedEntry;
  user: NamedEntry;
  context: NamedEntry;
}

/** client-go resolves these fields against the kubeconfig's own folder (ResolveLocalPaths). */
const CLUSTER_PATHS = ['certificate-authority'];
const USER_PATHS = ['client-certificate', 'client-key', 'tokenFile'];

/**
 * Reads the context an admin kubeconfig is for: its only context, or the one `current-context`
 * names — Kubespray's two shapes both qualify (a control plane's ~/.kube/config with
 * kubernetes-admin@cluster.local, artifacts/admin.conf with
 * kubernetes-admin-cluster.local@cluster.local). Relative file references become absolute, so
 * the entries still work once they live in another file.
 */
export function readAdminAccess(source: YamlSource, dir: string): { access?: AdminAccess; diagnostics: Diagnostic[] } {
  const { value, diagnostics } = source.load();
  if (!value) return { diagnostics };
  const fail = (path: DocPath, message: string, hint: string) => ({ diagnostics: [source.at(path, 'KUBECONFIG_INVALID', message, 'error', hint)] });
  if (!isRecord(value) || value.kind !== 'Config') return fail([], `${source.file} is not a kubeconfig (kind: Config)`, 'give the admin kubeconfig Kubespray wrote (artifacts/admin.conf, or /root/.kube/config on a control plane)');
  const contexts = entries(value, 'contexts');
  const current = typeof value['current-context'] === 'string' ? value['current-context'] : '';
  const chosen = current ? contexts.findIndex((c) => c.name === current) : contexts.length === 1 ? 0 : -1;
  if (chosen < 0) {
    return current
      ? fail(['current-context'], `current-context ${current} names no context of this file`, `contexts here: ${contexts.map((c) => c.name).join(', ') || 'none'}`)
      : fail(['contexts'], `${contexts.length} contexts and no current-context: which one is the admin's?`, 'set current-context in the file, or give a file with one context');
  }
  const context = contexts[chosen]!;
  const ctx = isRecord(context.value.context) ? context.value.context : {};
  const find = (list: 'clusters' | 'users', name: unknown) => {
    const i = entries(value, list).findIndex((e) => e.name === name);
    return i < 0 ? undefined : { index: i, entry: entries(value, list)[i]! };
  };
  const cluster = find('clusters', ctx.cluster);
  if (!cluster) return fail(['contexts', chosen, 'context', 'cluster'], `context ${context.name} names cluster ${String(ctx.cluster)}, which the file does not hold`, 'the admin kubeconfig must hold its own cluster entry');
  const user = find('users', ctx.user);
  if (!user) return fail(['contexts', chosen, 'context', 'user'], `context ${context.name} names user ${String(ctx.user)}, which the file does not hold`, 'the admin kubeconfig must hold its own user entry');
  return {
    diagnostics: [],
    access: {
      file: source.file,
      context,
      cluster: { name: cluster.entry.name, value: absolutePaths(cluster.entry.value, 'cluster', CLUSTER_PATHS, dir) },
      user: { name: user.entry.name, value: absolutePaths(user.entry.value, 'user', USER_PATHS, dir) },
    },
  };
}

function entries(config: Record<string, unknown>, list: string): NamedEntry[] {
  const items = Array.isArray(config[list]) ? (config[list] as unknown[]) : [];
  return items.filter(isRecord).map((value) => ({ name: typeof value.name === 'string' ? value.name : '', value }));
}

function absolutePaths(entry: Record<string, unknown>, key: string, fields: string[], dir: string): Record<string, unknown> {
  const inner = isRecord(entry[key]) ? { ...entry[key] } : {};
  for (const f of fields) {
    const v = inner[f];
    if (typeof v === 'string' && v !== '' && !isAbsolute(v)) inner[f] = resolve(dir, v);
  }
  return { ...entry, [key]: inner };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

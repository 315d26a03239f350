import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import { dirname, isAbsolute, join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { parse } from 'yaml';
import type { ClusterClient } from './client.js';
import type { ApiEndpoint } from './http.js';

/** One cluster as apply reaches it before a step has to change something: plain reads now, client-node on demand. */
export interface ClusterEndpoint extends ApiEndpoint {
  /** The full client (client-node: server-side apply, watches, exec), loaded and made on first use. */
  full(): Promise<ClusterClient>;
}

export class MissingContext extends Error {
  constructor(
    readonly cluster: string,
    readonly context: string,
    readonly kubeconfig: string,
  ) {
    super(`${kubeconfig} has no context ${context} for cluster ${cluster}`);
  }
}

type Stanza = Record<string, unknown>;

/**
 * The user fields the light reader understands: certificates and bearer tokens (client-go
 * clientcmd/api/v1 types.go AuthInfo: client-certificate[-data], client-key[-data], token,
 * tokenFile). Anything else (exec plugins, auth providers, basic auth, impersonation, proxies)
 * goes to client-node's KubeConfig, which implements them.
 */
const LIGHT_USER = new Set(['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile']);
const LIGHT_CLUSTER = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name']);

/**
 * A cluster's endpoint from a kubeconfig file and context. Simple credentials (the lab's, and
 * Kubespray's admin.conf: client certificates) are read here without client-node; other
 * kubeconfigs are handed to client-node at once. Throws MissingContext when the context is absent.
 */
export async function openEndpoint(kubeconfig: string, cluster: string, context: string): Promise<ClusterEndpoint> {
  const doc = (parse(readFileSync(kubeconfig, 'utf8')) ?? {}) as Stanza;
  const ctx = named(doc.contexts, context);
  if (!ctx) throw new MissingContext(cluster, context, kubeconfig);
  const clusterStanza = named(doc.clusters, String(ctx.cluster ?? ''));
  const user = named(doc.users, String(ctx.user ?? '')) ?? {};
  let full: Promise<ClusterClient> | undefined;
  const loadFull = (): Promise<ClusterClient> => (full ??= import('./client.js').then((m) => m.clusterClient(kubeconfig, cluster, context)));
  const simple = clusterStanza && typeof clusterStanza.server === 'string' && Object.keys(clusterStanza).every((k) => LIGHT_CLUSTER.has(k)) && Object.keys(user).every((k) => LIGHT_USER.has(k));
  if (!simple) {
    const c = await loadFull();
    return { ...c, full: async () => c };
  }
  const base = dirname(kubeconfig);
  const file = (p: unknown) => readFileSync(isAbsolute(String(p)) ? String(p) : join(base, String(p)));
  const data = (inline: unknown, path: unknown): Buffer | undefined => (typeof inline === 'string' ? Buffer.from(inline, 'base64') : path !== undefined ? file(path) : undefined);
  const ca = data(clusterStanza['certificate-authority-data'], clusterStanza['certificate-authority']);
  const cert = data(user['client-certificate-data'], user['client-certificate']);
  const key = data(user['client-key-data'], user['client-key']);
  // One TLS context per cluster: given ca/cert/key, every new connection would parse them again
  // (a quarter of a no-op apply's CPU on a busy machine).
  const tls: https.RequestOptions & { secureContext: SecureContext } = { secureContext: createSecureContext({ ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) }) };
  if (clusterStanza['insecure-skip-tls-verify'] === true) tls.rejectUnauthorized = false;
  if (typeof clusterStanza['tls-server-name'] === 'string') tls.servername = clusterStanza['tls-server-name'];
  const token = typeof user.token === 'string' ? () => String(user.token) : user.tokenFile !== undefined ? () => file(user.tokenFile).toString().trim() : undefined;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  let closeFull = (): void => undefined;
  return {
    cluster,
    context,
    server: String(clusterStanza.server).replace(/\/+$/, ''),
    agent,
    requestOptions: async () => ({ ...tls, ...(token ? { headers: { Authorization: `Bearer ${token()}` } } : {}) }),
    full: async () => {
      const c = await loadFull();
      closeFull = c.close;
      return c;
    },
    close: () => {
      agent.destroy();
      closeFull();
    },
  };
}

function named(list: unknown, name: string): Stanza | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((e) => e && typeof e === 'object' && (e as Stanza).name === name) as Stanza | undefined;
  const inner = entry && (entry.context ?? entry.cluster ?? entry.user);
  return inner && typeof inner === 'object' ? (inner as Stanza) : entry ? {} : undefined;
}

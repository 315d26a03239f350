import { CLUSTER_KEY, isIdentityLabel, NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX, NAMESPACE_NAME_LABEL, SERVICE_ACCOUNT_KEY } from './labels.js';
import type { Identity, PolicyEndpoint } from './types.js';

/**
 * Security identities (policy-semantics.md §5): pods of one cluster with equal identity labels
 * share one identity, and policy is resolved per identity, never per pod pair. Each identity
 * carries a memo of which selectors match it (the selector cache) and, once asked, its compiled
 * per-direction rule tables.
 */
export interface Ident {
  index: number;
  identity: Identity;
  /** Identity labels with bare keys (no `k8s:`), as selectors look them up. */
  view: Map<string, string>;
  /** Selector id → 0 unknown, 1 no match, 2 match. */
  memo: Uint8Array;
  /** Compiled rule tables per direction, filled on first use. */
  tables: { ingress?: unknown; egress?: unknown };
}

export type NamespaceIndex = Map<string, Map<string, Record<string, string>>>;

export class IdentityTable {
  readonly list: Ident[] = [];
  private readonly byKey = new Map<string, Ident>();
  private readonly byEndpoint = new WeakMap<PolicyEndpoint, Ident>();

  constructor(
    private readonly namespaces: NamespaceIndex,
    private readonly selectorCount: () => number,
  ) {}

  /** Adds an input endpoint to its identity (creating the identity on first sight). */
  register(e: PolicyEndpoint): Ident {
    const ident = this.lookup(e, true);
    ident.identity.endpoints.push(e);
    this.byEndpoint.set(e, ident);
    return ident;
  }

  /** The identity of any endpoint; one not in the input gets an identity of its own that is not listed. */
  of(e: PolicyEndpoint): Ident {
    return this.byEndpoint.get(e) ?? this.lookup(e, false);
  }

  private lookup(e: PolicyEndpoint, listed: boolean): Ident {
    const podLabels = Object.keys(e.labels)
      .filter(isIdentityLabel)
      .sort()
      .map((k) => [k, e.labels[k]!] as const);
    const key = `${e.cluster}/${e.namespace}/${podLabels.map(([k, v]) => `${k}=${v}`).join(',')}${e.serviceAccount !== 'default' ? `/sa=${e.serviceAccount}` : ''}`;
    let ident = this.byKey.get(key);
    if (!ident) {
      ident = this.create(key, e, podLabels);
      this.byKey.set(key, ident);
    }
    if (listed && ident.index < 0) {
      ident.index = this.list.length;
      this.list.push(ident);
    }
    return ident;
  }

  private create(key: string, e: PolicyEndpoint, podLabels: (readonly [string, string])[]): Ident {
    const nsLabels = this.namespaces.get(e.cluster)?.get(e.namespace) ?? { [NAMESPACE_NAME_LABEL]: e.namespace };
    const view = new Map<string, string>(podLabels);
    view.set(NAMESPACE_KEY, e.namespace);
    view.set(SERVICE_ACCOUNT_KEY, e.serviceAccount);
    view.set(CLUSTER_KEY, e.cluster);
    for (const [k, v] of Object.entries(nsLabels)) view.set(NAMESPACE_LABELS_PREFIX + k, v);
    const labels: Record<string, string> = {};
    for (const k of [...view.keys()].sort()) labels[`k8s:${k}`] = view.get(k)!;
    const ident: Ident = { index: -1, identity: { key, cluster: e.cluster, namespace: e.namespace, labels, endpoints: [] }, view, memo: new Uint8Array(this.selectorCount()), tables: {} };
    return ident;
  }
}

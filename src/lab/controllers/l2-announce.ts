import { createHash } from 'node:crypto';
import type { Obj } from '../store/log-store.js';
import { def, getObj, listOf, podReady, selects, type Controller, type SimContext } from './kit.js';

const KEY = 'l2';
const POLICIES = 'cilium.io/ciliuml2announcementpolicies';
const PREFIX = 'cilium-l2announce-';

/** A selector Cilium reads as "everything" when absent (CiliumL2AnnouncementPolicySpec: "If nil … all"). */
const matches = (selector: Obj | undefined, labels: Record<string, string> | undefined): boolean => selector === undefined || selects(selector, labels ?? {});

/**
 * Cilium's L2 announcer (pkg/l2announcer, 1.16; Documentation/network/l2-announcements.rst
 * "Leases"): for each LoadBalancer Service with an address that a CiliumL2AnnouncementPolicy
 * (loadBalancerIPs: true) selects, the agents of the nodes it selects race for the Lease
 * `cilium-l2announce-<namespace>-<service>` in Cilium's namespace; the holder answers ARP for the
 * VIP. The lab settles the race at once: a Ready node running a ready agent, the same one each
 * time for a Service (a hash of its name), re-elected when its holder stops qualifying.
 */
export function l2AnnounceController(ctx: SimContext): Controller {
  const { api } = ctx;
  const leaseDef = def(api, 'coordination.k8s.io', 'v1', 'leases');
  const enabled = () => getObj(api, 'core/configmaps', 'kube-system', 'cilium-config')?.data?.['enable-l2-announcements'] === 'true';
  return {
    name: 'l2-announce',
    watches: {
      'core/services': (ev) => (ev.value.spec?.type === 'LoadBalancer' || ev.prev?.spec?.type === 'LoadBalancer' ? [KEY] : []),
      [POLICIES]: () => [KEY],
      'core/nodes': () => [KEY],
      'core/pods': (ev) => (ev.value.metadata.labels?.['k8s-app'] === 'cilium' ? [KEY] : []),
      'core/configmaps': (ev) => (ev.value.metadata.name === 'cilium-config' ? [KEY] : []),
    },
    initial: () => [KEY],
    async reconcile() {
      const policies = listOf(api, POLICIES).filter((p) => p.spec?.loadBalancerIPs === true);
      const agents = new Set(listOf(api, 'core/pods', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && podReady(p)).map((p) => p.spec?.nodeName as string));
      const nodes = listOf(api, 'core/nodes').filter((n) => agents.has(n.metadata.name) && (n.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
      const wanted = new Map<string, string[]>();
      if (enabled())
        for (const s of listOf(api, 'core/services')) {
          if (s.spec?.type !== 'LoadBalancer' || !(s.status?.loadBalancer?.ingress ?? []).length) continue;
          const candidates = policies
            .filter((p) => matches(p.spec?.serviceSelector, s.metadata.labels))
            .flatMap((p) => nodes.filter((n) => matches(p.spec?.nodeSelector, n.metadata.labels)).map((n) => n.metadata.name as string));
          if (candidates.length) wanted.set(`${PREFIX}${s.metadata.namespace}-${s.metadata.name}`, [...new Set(candidates)].sort());
        }
      const now = new Date(ctx.clock.now()).toISOString().replace('Z', '000Z');
      for (const [name, candidates] of wanted) {
        const cur = getObj(api, 'coordination.k8s.io/leases', 'kube-system', name);
        const holder = cur?.spec?.holderIdentity;
        if (holder && candidates.includes(holder)) continue;
        const pick = candidates[createHash('sha256').update(name).digest().readUInt32BE(0) % candidates.length]!;
        // l2announcements.leaseDuration: the chart's 15s (cilium-config l2-announcements-lease-duration)
        const spec = { holderIdentity: pick, leaseDurationSeconds: 15, acquireTime: now, renewTime: now, leaseTransitions: (cur?.spec?.leaseTransitions ?? -1) + 1 };
        await api.writeSystem(leaseDef, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { ...(cur?.metadata ?? {}), name, namespace: 'kube-system' }, spec }, 'cilium-agent');
      }
      for (const l of listOf(api, 'coordination.k8s.io/leases', 'kube-system'))
        if (l.metadata.name.startsWith(PREFIX) && !wanted.has(l.metadata.name)) await api.delete(leaseDef, 'kube-system', l.metadata.name).catch(() => undefined);
    },
  };
}

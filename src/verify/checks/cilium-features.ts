import { getJson } from '../../ops/index.js';
import type { Check, CheckResult } from '../types.js';

/** What `cilium-dbg status -o json` says for each encryption type of the spec (models.EncryptionStatus mode). */
const ENCRYPTION_MODE: Record<string, string> = { none: 'Disabled', wireguard: 'Wireguard', ipsec: 'IPsec' };

/**
 * Kube-proxy replacement and encryption as the platform says, from every agent's own status
 * (`kube-proxy-replacement.mode`, `encryption.mode`), and Hubble Relay: the agents' status does
 * not report the relay, so its Deployment (kube-system/hubble-relay, the chart's) is read.
 */
export const ciliumFeatures: Check = {
  id: 'cilium-features',
  title: 'kube-proxy replacement, encryption and Hubble Relay as the platform says',
  async run(ctx) {
    const { cilium } = ctx.platform.spec;
    const out: CheckResult[] = [];
    await Promise.all(
      ctx.clusters.map(async ({ spec, client }) => {
        const agents = await ctx.agents(spec.name);
        const base = { check: this.id, cluster: spec.name };
        const compare = (subject: string, expected: string, read: (a: (typeof agents)[number]) => string | undefined, hint: string) => {
          const wrong = agents.filter((a) => read(a) !== expected);
          const seen = [...new Set(agents.map((a) => read(a) ?? 'not reported'))];
          out.push({
            ...base,
            subject,
            status: agents.length && !wrong.length ? 'pass' : 'fail',
            expected: `${expected} on every agent`,
            observed: !agents.length ? 'no agent answers' : wrong.length ? wrong.map((a) => `${a.pod} (${a.node}): ${read(a) ?? 'not reported'}`).join('; ') : `${seen.join(', ')} on ${agents.length} agents`,
            ...(agents.length && !wrong.length ? {} : { hint }),
          });
        };
        compare('kube-proxy replacement', cilium.kubeProxyReplacement ? 'True' : 'False', (a) => a.kubeProxyReplacement, `cilium-config kube-proxy-replacement should be ${cilium.kubeProxyReplacement}: meshwright apply, then the agents restart`);
        compare('encryption', ENCRYPTION_MODE[cilium.encryption.type] ?? cilium.encryption.type, (a) => a.encryption, `the values' encryption.enabled/type should give ${cilium.encryption.type}: meshwright apply`);
        const relay = await getJson(client, '/apis/apps/v1/namespaces/kube-system/deployments/hubble-relay');
        const available = Number(relay?.status?.availableReplicas ?? 0);
        const want = cilium.hubble.relay;
        const ok = want ? available > 0 : !relay;
        out.push({
          ...base,
          subject: 'Hubble Relay',
          status: ok ? 'pass' : 'fail',
          expected: want ? 'deployed, available' : 'disabled (no hubble-relay Deployment)',
          observed: relay ? `deployed, ${available}/${relay.spec?.replicas ?? 1} available` : 'disabled (no hubble-relay Deployment)',
          ...(ok ? {} : { hint: want ? `kubectl --context ${client.context} -n kube-system describe deploy hubble-relay` : 'hubble.relay.enabled is on in the release but off in the platform: meshwright apply' }),
        });
      }),
    );
    return out;
  },
};

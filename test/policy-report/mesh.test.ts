/**
 * The reference lab (reference-lab/README.md): x-wing and rebel-base run in both
 * k8s-cilium-01 and k8s-cilium-02; policies are applied in one cluster only (they are
 * not synced, cilium-mesh.md §4.2). policy-semantics.md §2.8: in Cilium 1.16 an
 * unqualified selector matches endpoints of every meshed cluster; with
 * policy-default-local-cluster it matches the local cluster only; a selector that names
 * io.cilium.k8s.policy.cluster is left as written. §2.3: the cluster entity is the local
 * cluster only.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, assertAllowed, assertDefaultDeny, build, C1, C2, deploymentPodName, external, once, pod, policyName, type RuleExpect } from './helpers.js';
import type { PeerRef } from '../../src/model/policy-engine/types.js';

const APP = 'mesh/app.yaml';
const CLUSTERS = [C1, C2];

function scene(policies: { cluster: string; path: string }[], policyDefaultLocalCluster: boolean) {
  const b = once(() => build([APP, ...policies.map((p) => ({ cluster: p.cluster, path: `mesh/${p.path}` }))], { clusters: CLUSTERS, policyDefaultLocalCluster }));
  return {
    b,
    peer: (ref: string, cluster: string): PeerRef => pod(b(), `default/${ref}`, cluster),
    toRebelBase: (fromCluster: string, toCluster = C1) => ask(b(), pod(b(), 'default/x-wing', fromCluster), pod(b(), 'default/rebel-base', toCluster), 80),
  };
}

function cnp(name: string, file: string, cluster: string, section: RuleExpect['section'] = 'ingress'): RuleExpect {
  return { kind: 'CiliumNetworkPolicy', namespace: 'default', name, section, index: 0, cluster, file: `mesh/${file}` };
}

describe('mesh: the lab places workloads in both clusters', () => {
  test('two rebel-base and two x-wing pods per cluster', () => {
    const b = build([APP], { clusters: CLUSTERS });
    for (const c of CLUSTERS) {
      for (const w of ['rebel-base', 'x-wing']) {
        const pods = b.endpoints.filter((e) => e.cluster === c && e.owner.name === w);
        assert.equal(pods.length, 2, `${c} ${w}`);
        assert.ok(pods.every((e) => e.namespace === 'default' && deploymentPodName(w).test(e.name)), pods.map((e) => e.name).join(', '));
      }
    }
  });
});

for (const local of [false, true]) {
  describe(`mesh: CNP fromEndpoints {name: x-wing} in ${C1}, policyDefaultLocalCluster=${local}`, () => {
    const FILE = 'rebel-base-from-x-wing.yaml';
    const s = scene([{ cluster: C1, path: FILE }], local);
    const R = cnp('rebel-base-from-x-wing', FILE, C1);

    test(`x-wing of ${C1} -> rebel-base of ${C1}:80 allowed by rebel-base-from-x-wing ingress[0]`, () => {
      assertAllowed(s.toRebelBase(C1), R);
    });

    if (!local) {
      test(`x-wing of ${C2} -> rebel-base of ${C1}:80 allowed: the unqualified selector matches every cluster (1.16)`, () => {
        assertAllowed(s.toRebelBase(C2), R);
      });
    } else {
      test(`x-wing of ${C2} -> rebel-base of ${C1}:80 dropped: the selector now means the local cluster`, () => {
        assertDefaultDeny(s.toRebelBase(C2), 'ingress', [policyName('CiliumNetworkPolicy', 'rebel-base-from-x-wing', 'default')]);
      });
    }

    test(`the policy lives in ${C1} only: rebel-base of ${C2} is not restricted`, () => {
      const v = s.toRebelBase(C1, C2);
      assertAllowed(v);
      assert.equal(v.ingress.enforced, false);
    });
  });

  describe(`mesh: CNP pinned to io.cilium.k8s.policy.cluster=${C1}, policyDefaultLocalCluster=${local}`, () => {
    const FILE = 'rebel-base-from-local-x-wing.yaml';
    const s = scene([{ cluster: C1, path: FILE }], local);

    test(`x-wing of ${C1} allowed by rebel-base-from-local-x-wing ingress[0]`, () => {
      assertAllowed(s.toRebelBase(C1), cnp('rebel-base-from-local-x-wing', FILE, C1));
    });

    test(`x-wing of ${C2} dropped by default deny on rebel-base`, () => {
      assertDefaultDeny(s.toRebelBase(C2), 'ingress', [policyName('CiliumNetworkPolicy', 'rebel-base-from-local-x-wing', 'default')]);
    });
  });

  describe(`mesh: CNP with io.cilium.k8s.policy.cluster Exists (every cluster, explicitly), policyDefaultLocalCluster=${local}`, () => {
    const FILE = 'rebel-base-from-any-cluster-x-wing.yaml';
    const s = scene([{ cluster: C1, path: FILE }], local);

    test(`x-wing of both clusters allowed`, () => {
      assertAllowed(s.toRebelBase(C1), cnp('rebel-base-from-any-cluster-x-wing', FILE, C1));
      assertAllowed(s.toRebelBase(C2), cnp('rebel-base-from-any-cluster-x-wing', FILE, C1));
    });
  });

  describe(`mesh: a K8s NetworkPolicy podSelector x-wing in ${C1}, policyDefaultLocalCluster=${local}`, () => {
    const FILE = 'rebel-base-netpol.yaml';
    const s = scene([{ cluster: C1, path: FILE }], local);
    const R: RuleExpect = { kind: 'NetworkPolicy', namespace: 'default', name: 'rebel-base-from-x-wing-np', section: 'ingress', index: 0, cluster: C1, file: `mesh/${FILE}` };

    test(`x-wing of ${C1} allowed`, () => {
      assertAllowed(s.toRebelBase(C1), R);
    });

    test(`x-wing of ${C2} ${local ? 'dropped (local cluster only)' : 'allowed (every cluster in 1.16)'}`, () => {
      if (local) assertDefaultDeny(s.toRebelBase(C2), 'ingress', [policyName('NetworkPolicy', 'rebel-base-from-x-wing-np', 'default')]);
      else assertAllowed(s.toRebelBase(C2), R);
    });
  });

  describe(`mesh: toEntities [cluster] egress from x-wing in ${C2}, policyDefaultLocalCluster=${local}`, () => {
    const FILE = 'x-wing-to-cluster.yaml';
    const s = scene([{ cluster: C2, path: FILE }], local);
    const NAME = policyName('CiliumNetworkPolicy', 'x-wing-to-cluster', 'default');

    test(`x-wing of ${C2} -> rebel-base of ${C2}:80 allowed by x-wing-to-cluster egress[0]`, () => {
      assertAllowed(s.toRebelBase(C2, C2), cnp('x-wing-to-cluster', FILE, C2, 'egress'));
    });

    test(`x-wing of ${C2} -> rebel-base of ${C1}:80 dropped at egress: the cluster entity is the local cluster only`, () => {
      const v = s.toRebelBase(C2, C1);
      assertDefaultDeny(v, 'egress', [NAME]);
      assert.equal(v.ingress.decision, 'allowed', `rebel-base of ${C1} has no policy`);
    });

    test(`x-wing of ${C2} -> its own node (host) allowed; -> an outside address dropped`, () => {
      const host: PeerRef = { kind: 'entity', entity: 'host', cluster: C2 };
      assertAllowed(ask(s.b(), s.peer('x-wing', C2), host, 10250), cnp('x-wing-to-cluster', FILE, C2, 'egress'));
      assertDefaultDeny(ask(s.b(), s.peer('x-wing', C2), external('8.8.8.8'), 443), 'egress', [NAME]);
    });

    test(`x-wing of ${C1} is not restricted (the policy was applied in ${C2} only)`, () => {
      const v = s.toRebelBase(C1, C2);
      assertAllowed(v);
      assert.equal(v.egress.enforced, false);
    });
  });
}

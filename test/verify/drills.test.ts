import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Plan } from '../../src/plan/index.js';
import { validatePlatformFile } from '../../src/spec/index.js';
import { CHECKS, runChecks, verifyContext, type CheckResult } from '../../src/verify/index.js';
import { appliedReferenceLab, meshwright, type AppliedLab } from '../status/lab-fixture.js';

const A = 'k8s-cilium-01';
const B = 'k8s-cilium-02';
/** The reference lab's VIP of B's clustermesh-apiserver (examples/reference-lab: loadBalancerIPs of k8s-cilium-02, the second one). */
const B_MESH = '172.26.0.106:2379';

type Row = Pick<CheckResult, 'check' | 'cluster' | 'subject' | 'status' | 'observed'>;
const key = (r: Row) => `${r.check} | ${r.cluster ?? '-'} | ${r.subject}`;

/**
 * Each `meshwright lab fault` drill on the reference lab after apply must turn EXACTLY the right
 * verify rows red, with the right message, and leave every other row as it was on the untouched
 * lab; `--clear` must bring verify back to green. One lab serves every drill (apply takes most
 * of this file's time): each drill clears itself, waits for `status` to be green again and checks
 * that verify finds the untouched lab's rows again, so no drill depends on another having run
 * (each runs alone with --test-name-pattern) and none leaves anything behind for the next.
 */
describe('fault drills, seen by meshwright verify', () => {
  let lab: AppliedLab;
  let untouched: Map<string, Row>;

  const verify = (): Map<string, Row> => {
    const r = meshwright(lab.dir, ['verify', '--seed', '7', '-o', 'json']);
    assert.ok(r.code === 0 || r.code === 1, `verify exited ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { results: Row[] };
    assert.equal(r.code, report.results.some((x) => x.status === 'fail') ? 1 : 0);
    return new Map(report.results.map((x) => [key(x), x]));
  };
  /** The rows whose status differs from the untouched lab's, as "key → status". */
  const changed = (now: Map<string, Row>) => {
    assert.deepEqual([...now.keys()].sort(), [...untouched.keys()].sort(), 'the same rows are checked');
    return Object.fromEntries([...now].filter(([k, r]) => r.status !== untouched.get(k)!.status).map(([k, r]) => [k, r.status]));
  };
  const fault = (args: string[]) => {
    const r = meshwright(lab.dir, ['lab', 'fault', B, ...args]);
    assert.equal(r.code, 0, r.stderr);
  };
  const clear = () => {
    fault(['--clear']);
    const s = meshwright(lab.dir, ['status', '--wait', '--timeout', '60s']);
    assert.equal(s.code, 0, s.stdout + s.stderr);
  };
  /** After a drill's --clear: every row as on the untouched lab, so the drill left nothing behind. */
  const assertCleared = () => {
    assert.deepEqual(changed(verify()), {}, 'after --clear verify is green again: the same rows as on the untouched lab');
  };
  /** What `plan --what-if …` (or `--ready …`) prints, as verify's global-services check would compare with it. */
  const whatIf = (args: string[]): Plan => {
    const r = meshwright(lab.dir, ['plan', lab.platformFile, ...args, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Plan;
  };
  /** verify's global-services check against a what-if plan instead of the healthy one. */
  const sharesAgainst = async (plan: Plan) => {
    const platform = validatePlatformFile(join(lab.dir, lab.platformFile)).platform!;
    const ctx = await verifyContext({ platform, kubeconfig: lab.kubeconfig, contexts: {}, stateDir: join(lab.dir, '.meshwright', 'state', 'pki'), requests: 100, seed: 7, alpha: 0.01 });
    try {
      const report = await runChecks({ ...ctx, plan }, CHECKS.filter((c) => c.id === 'global-services'));
      return report.results.filter((r) => r.status !== 'skip');
    } finally {
      ctx.close();
    }
  };
  const localServicesOfA = (now: Map<string, Row>) => {
    // A's own ingress still answers the Hello page, and A's nodes, releases, VIPs are as before
    for (const [k, r] of now) if (r.cluster === A && r.check !== 'mesh-connected' && r.check !== 'global-services') assert.equal(r.status, untouched.get(k)!.status, k);
    assert.match(now.get(`ingress | ${A} | GET http://172.26.0.101/ Host: test-ingress.ilba.cat`)!.observed, /HTTP 200, the Hello page/);
  };

  before(() => {
    lab = appliedReferenceLab();
    untouched = verify();
  });
  after(() => lab.close());

  it('the untouched lab after apply verifies green (only what the lab cannot show is skipped)', () => {
    assert.deepEqual([...untouched.values()].filter((r) => r.status !== 'pass').map(key).sort(), [
      `global-services | ${A} | default/rebel-base-headless from ${A}`,
      `global-services | ${B} | default/rebel-base-headless from ${B}`,
      `metrics-server | ${A} | kubelet serving CSRs`,
      `metrics-server | ${B} | kubelet serving CSRs`,
      // the reference platform carries no network policies: nothing to sample without -f
      'policy-verdicts | - | policies',
    ]);
  });

  it(`clustermesh-down on ${B}: its clustermesh-tls row, both mesh rows and both share rows, each naming ${B}; ${A}'s shares as plan --what-if 'cluster ${B} down' predicts`, async () => {
    fault(['clustermesh-down']);
    try {
      const now = verify();
      assert.deepEqual(changed(now), {
        [`clustermesh-tls | ${B} | clustermesh-apiserver ${B_MESH}`]: 'fail',
        [`mesh-connected | ${A} | cluster mesh`]: 'fail',
        [`mesh-connected | ${B} | cluster mesh`]: 'fail',
        [`global-services | ${A} | default/rebel-base from ${A}`]: 'fail',
        [`global-services | ${B} | default/rebel-base from ${B}`]: 'fail',
      });
      assert.equal(now.get(`clustermesh-tls | ${B} | clustermesh-apiserver ${B_MESH}`)!.observed, `nothing answers on ${B_MESH}`);
      // A's agents lose B (through A's KVStoreMesh); B's agents lose their own clustermesh-apiserver, so every remote cluster
      assert.match(now.get(`mesh-connected | ${A} | cluster mesh`)!.observed, new RegExp(`^cilium-\\w+ \\(${A}-cp\\) is not connected to cluster ${B}: .*; cilium-\\w+ \\(${A}-wk01\\) is not connected to cluster ${B}: `));
      assert.match(now.get(`mesh-connected | ${B} | cluster mesh`)!.observed, new RegExp(`is not connected to cluster ${A}: failed to connect to https://clustermesh-apiserver\\.kube-system\\.svc:2379: dial tcp [\\d.]+:2379: connect: connection refused`));
      // against the healthy plan, A's row names B: its backends no longer answer A
      assert.match(now.get(`global-services | ${A} | default/rebel-base from ${A}`)!.observed, new RegExp(`^${A} 100, ${B} 0; .*${B} answered 0 of 100, predicted 50% \\(binomial p = 1\\.6e-30, Holm-adjusted over 2 clusters 3\\.2e-30 < 0\\.01\\)$`));
      assert.match(now.get(`global-services | ${B} | default/rebel-base from ${B}`)!.observed, new RegExp(`^${A} 0, ${B} 100; ${A} answered 0 of 100`));
      localServicesOfA(now);
      // plan --what-if 'cluster B down' drops B's backends and B's clients: A's row is then exactly what A observes
      const down = whatIf(['--what-if', `cluster ${B} down`]);
      assert.deepEqual(down.globalServices.filter((g) => g.global && !g.headless).map((g) => [g.client, g.share]), [[A, { [A]: 1 }]]);
      assert.deepEqual((await sharesAgainst(down)).map((r) => [r.cluster, r.status, r.observed.split(' (')[0]]), [[A, 'pass', `${A} 100, ${B} 0`]]);
    } finally {
      clear();
    }
    assertCleared();
  });

  it(`foreign-ca on ${B}: its clustermesh-tls row names the other CA; the links to ${B} fail both ways; shares as with ${B} down`, () => {
    fault(['foreign-ca']);
    try {
      const now = verify();
      assert.deepEqual(changed(now), {
        [`clustermesh-tls | ${B} | clustermesh-apiserver ${B_MESH}`]: 'fail',
        [`mesh-connected | ${A} | cluster mesh`]: 'fail',
        [`mesh-connected | ${B} | cluster mesh`]: 'fail',
        [`global-services | ${A} | default/rebel-base from ${A}`]: 'fail',
        [`global-services | ${B} | default/rebel-base from ${B}`]: 'fail',
      });
      assert.equal(now.get(`clustermesh-tls | ${B} | clustermesh-apiserver ${B_MESH}`)!.observed, `clustermesh-apiserver.cilium.io issued by another Cilium CA (lab fault drill on ${B}), not the mesh CA (SELF_SIGNED_CERT_IN_CHAIN)`);
      assert.equal(now.get(`clustermesh-tls | ${A} | clustermesh-apiserver 172.26.0.102:2379`)!.status, 'pass', `${A}'s own certificate is still the mesh CA's`);
      assert.match(now.get(`mesh-connected | ${A} | cluster mesh`)!.observed, new RegExp(`is not connected to cluster ${B}: `));
      assert.match(now.get(`mesh-connected | ${B} | cluster mesh`)!.observed, new RegExp(`is not connected to cluster ${A}: `));
      assert.match(now.get(`global-services | ${A} | default/rebel-base from ${A}`)!.observed, new RegExp(`^${A} 100, ${B} 0; .*${B} answered 0 of 100, predicted 50%`));
      localServicesOfA(now);
    } finally {
      clear();
    }
    assertCleared();
  });

  it(`scale default/rebel-base=0 in ${B}: only the two share rows, naming ${B}; against plan --ready ${B}/default/rebel-base=0 they are green`, async () => {
    fault(['scale', 'default/rebel-base=0']);
    try {
      const now = verify();
      assert.deepEqual(changed(now), {
        [`global-services | ${A} | default/rebel-base from ${A}`]: 'fail',
        [`global-services | ${B} | default/rebel-base from ${B}`]: 'fail',
      });
      for (const client of [A, B]) assert.match(now.get(`global-services | ${client} | default/rebel-base from ${client}`)!.observed, new RegExp(`^${A} 100, ${B} 0; .*${B} answered 0 of 100, predicted 50% \\(binomial p = 1\\.6e-30`));
      localServicesOfA(now);
      const scaled = whatIf(['--ready', `${B}/default/rebel-base=0`]);
      assert.deepEqual(scaled.globalServices.filter((g) => g.global && !g.headless).map((g) => [g.client, g.share]), [[A, { [A]: 1 }], [B, { [A]: 1 }]]);
      assert.deepEqual((await sharesAgainst(scaled)).map((r) => [r.cluster, r.status]), [[A, 'pass'], [B, 'pass']]);
    } finally {
      clear();
    }
    assertCleared();
  });
});

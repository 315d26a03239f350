import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, type CliResult } from '../helpers/cli.js';
import { rows } from '../helpers/lab.js';
import { openssl } from '../helpers/openssl.js';
import { appliedReferenceLab, type AppliedLab } from '../status/lab-fixture.js';

/**
 * The fault drills on the reference lab after apply: each must make `meshwright status` name the
 * cluster, the link and why, leave the other cluster's local services answering, and --clear
 * must bring everything back to green.
 */
describe('lab fault drills, seen by meshwright status', () => {
  let lab: AppliedLab;
  const mw = (args: string[]): Promise<CliResult> => cli(args, { cwd: lab.dir });
  const status = async (wait = false) => {
    const r = await mw(['status', '-o', 'json', ...(wait ? ['--wait', '--timeout', '60s'] : [])]);
    return { code: r.code, doc: JSON.parse(r.stdout), stderr: r.stderr };
  };
  const link = (doc: any, from: string, to: string) => doc.links.find((l: any) => l.from === from && l.to === to);
  /** Which clusters answered `lab curl` to the rebel-base global service from k8s-cilium-01 (the notebook's loop). */
  const answeringClusters = async (n: number) => {
    const r = await mw(['lab', 'curl', '--context', 'k8s-cilium-01', '-n', String(n), '--seed', '7', 'http://rebel-base']);
    assert.equal(r.code, 0, r.stderr);
    return new Set(r.stdout.trim().split('\n').map((l) => JSON.parse(l).Cluster as string));
  };
  /** After a drill is cleared the lab needs a moment (pods restart, links are dialled again): wait as a user would. */
  const green = async () => {
    const s = await status(true);
    assert.equal(s.code, 0, JSON.stringify(s.doc.links));
    assert.ok(s.doc.ok);
  };

  before(async () => {
    lab = appliedReferenceLab();
    await green();
    // both clusters answer while the mesh is up: the checks below are not vacuous
    assert.deepEqual([...(await answeringClusters(40))].sort(), ['Cluster-1', 'Cluster-2']);
  });
  after(() => lab.close());

  it('clustermesh-down: both links down, "address unreachable", each naming the stopped endpoint of k8s-cilium-02', async () => {
    const r = await mw(['lab', 'fault', 'k8s-cilium-02', 'clustermesh-down']);
    assert.equal(r.code, 0, r.stderr);
    const s = await status();
    assert.equal(s.code, 1);
    const out = link(s.doc, 'k8s-cilium-01', 'k8s-cilium-02');
    assert.equal(out.state, 'down');
    assert.equal(out.reason, 'address unreachable');
    assert.match(out.detail, /^failed to connect to https:\/\/k8s-cilium-02\.mesh\.cilium\.io:2379: dial tcp 172\.26\.0\.106:2379: connect: connection refused$/);
    assert.match(out.reportedBy, /^clustermesh-apiserver-.*\/kvstoremesh$/);
    const back = link(s.doc, 'k8s-cilium-02', 'k8s-cilium-01');
    assert.equal(back.reason, 'address unreachable');
    assert.match(back.detail, /https:\/\/clustermesh-apiserver\.kube-system\.svc:2379: dial tcp [\d.]+:2379: connect: connection refused/, 'k8s-cilium-02’s agents lost their own clustermesh-apiserver');
    // nothing else is wrong: the pods run, the certificates are the mesh CA's
    for (const c of s.doc.clusters) {
      assert.ok(c.components.every((x: any) => x.ok), JSON.stringify(c.components));
      assert.ok(c.certificates.every((x: any) => x.trusted));
    }
    const listed = await mw(['lab', 'status']);
    assert.match(listed.stdout, /clustermesh-down: the clustermesh-apiserver endpoint of k8s-cilium-02 is stopped/);
    // k8s-cilium-01's own services keep answering, from its own backends only
    assert.deepEqual([...(await answeringClusters(20))], ['Cluster-1']);
    const cleared = await mw(['lab', 'fault', 'k8s-cilium-02', '--clear']);
    assert.match(cleared.stdout, /cleared 1 fault of k8s-cilium-02: clustermesh-down/);
    await green();
    assert.doesNotMatch((await mw(['lab', 'status'])).stdout, /fault drills/);
  });

  it('foreign-ca: the TLS handshake fails both ways, "certificate from another CA", and status names k8s-cilium-02’s Secrets', async () => {
    const secretCert = async (name: string) => JSON.parse((await lab.k(['--context', 'k8s-cilium-02', '-n', 'kube-system', 'get', 'secret', name, '-o', 'json'])).stdout).data as Record<string, string>;
    const before = await secretCert('clustermesh-apiserver-server-cert');
    assert.equal((await mw(['lab', 'fault', 'k8s-cilium-02', 'foreign-ca'])).code, 0);
    // the user's view: kubectl and openssl see a certificate of another CA in the Secret
    const now = await secretCert('clustermesh-apiserver-server-cert');
    const pem = join(lab.dir, 'foreign-ca.crt');
    writeFileSync(pem, Buffer.from(now['ca.crt']!, 'base64'));
    assert.match(openssl(['x509', '-in', pem, '-noout', '-subject']), /another Cilium CA/);
    const s = await status();
    assert.equal(s.code, 1);
    for (const [from, to] of [
      ['k8s-cilium-01', 'k8s-cilium-02'],
      ['k8s-cilium-02', 'k8s-cilium-01'],
    ]) {
      const l = link(s.doc, from, to);
      assert.equal(l.reason, 'certificate from another CA', JSON.stringify(l));
      assert.match(l.detail, new RegExp(`failed to connect to https://${to}\\.mesh\\.cilium\\.io:2379: tls: failed to verify certificate: x509: certificate signed by unknown authority`));
    }
    const c1 = s.doc.clusters.find((c: any) => c.name === 'k8s-cilium-01');
    const c2 = s.doc.clusters.find((c: any) => c.name === 'k8s-cilium-02');
    assert.ok(c1.certificates.every((x: any) => x.trusted), 'k8s-cilium-01 keeps the mesh CA');
    assert.deepEqual(c2.certificates.filter((x: any) => !x.trusted).map((x: any) => x.secret).sort(), ['clustermesh-apiserver-admin-cert', 'clustermesh-apiserver-local-cert', 'clustermesh-apiserver-remote-cert', 'clustermesh-apiserver-server-cert']);
    assert.ok(c2.problems.some((p: string) => /certificates from another CA \(CN=another Cilium CA/.test(p)), c2.problems.join('\n'));
    assert.deepEqual([...(await answeringClusters(20))], ['Cluster-1']);
    assert.equal((await mw(['lab', 'fault', 'k8s-cilium-02', '--clear'])).code, 0);
    assert.deepEqual(await secretCert('clustermesh-apiserver-server-cert'), before, 'the original certificates are back');
    await green();
  });

  it('scale kube-system/clustermesh-apiserver=0: status names the Deployment and the unreachable address; --clear scales it back', async () => {
    assert.equal((await mw(['lab', 'fault', 'k8s-cilium-01', 'scale', 'kube-system/clustermesh-apiserver=0'])).code, 0);
    const d = rows((await lab.k(['--context', 'k8s-cilium-01', '-n', 'kube-system', 'get', 'deployment', 'clustermesh-apiserver'])).stdout)[1]!;
    assert.equal(d[1], '0/0');
    const s = await status();
    assert.equal(s.code, 1);
    const c1 = s.doc.clusters.find((c: any) => c.name === 'k8s-cilium-01');
    assert.ok(c1.problems.includes('Deployment clustermesh-apiserver: scaled to 0'), c1.problems.join('\n'));
    const l = link(s.doc, 'k8s-cilium-02', 'k8s-cilium-01');
    assert.equal(l.reason, 'address unreachable');
    assert.match(l.detail, /k8s-cilium-01\.mesh\.cilium\.io:2379: dial tcp 172\.26\.0\.102:2379: connect: connection refused/);
    const out = link(s.doc, 'k8s-cilium-01', 'k8s-cilium-02');
    assert.equal(out.reason, 'address unreachable', 'the agents of k8s-cilium-01 have no clustermesh-apiserver left');
    assert.match(out.detail, /https:\/\/clustermesh-apiserver\.kube-system\.svc:2379/);
    assert.equal((await mw(['lab', 'fault', 'k8s-cilium-01', '--clear'])).code, 0);
    await green();
  });

  it('refuses what it cannot do, and says how', async () => {
    const unknown = await mw(['lab', 'fault', 'k8s-cilium-01', 'explode']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown fault explode: clustermesh-down, foreign-ca or scale NS\/DEPLOYMENT=N/);
    const noCluster = await mw(['lab', 'fault', 'k8s-cilium-09', 'clustermesh-down']);
    assert.equal(noCluster.code, 1);
    assert.match(noCluster.stderr, /the lab has no cluster k8s-cilium-09/);
    const missing = await mw(['lab', 'fault', 'k8s-cilium-01', 'scale', 'default/nothing=1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /deployment default\/nothing not found/);
  });
});

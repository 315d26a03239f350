import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PemPair } from '../../src/pki/index.js';
import { findBinary, freePort, run, startEtcd, waitFor, type Etcd } from '../helpers/etcd.js';
import { referenceLab } from '../helpers/platforms.js';
import { reconcile, tempDir } from '../helpers/pki.js';

/**
 * The clustermesh-apiserver is etcd with mutual TLS. A peer cluster's agent (or KVStoreMesh)
 * connects with the `remote` certificate of *its* cluster: that works only when both clusters'
 * certificates come from one CA. This starts a real etcd, bound to 127.0.0.1 only, with cluster 1's
 * server certificate, and connects as cluster 2 — then as a cluster with a CA of its own, which is
 * what the chart's default per-cluster "Cilium CA" amounts to.
 */
describe('etcd (the clustermesh-apiserver\'s kvstore) accepts the mesh certificates', { timeout: 120_000 }, () => {
  const tmp = tempDir('etcd');
  const files = (name: string, pair: PemPair) => {
    writeFileSync(join(tmp.dir, `${name}.crt`), pair.cert, { mode: 0o600 });
    writeFileSync(join(tmp.dir, `${name}.key`), pair.key, { mode: 0o600 });
    return { cert: join(tmp.dir, `${name}.crt`), key: join(tmp.dir, `${name}.key`) };
  };
  let etcd: Etcd | undefined;
  let etcdctl: string;
  let endpoint: string;
  let meshCa: string;
  let otherCa: string;
  let remote2: { cert: string; key: string };
  let foreignRemote: { cert: string; key: string };

  // A refused handshake is retried until the command timeout: short ones keep the refusals quick.
  const ctl = (client: { cert: string; key: string }, ca: string, ...args: string[]) =>
    run(etcdctl, [`--endpoints=${endpoint}`, `--cacert=${ca}`, `--cert=${client.cert}`, `--key=${client.key}`, '--dial-timeout=2s', '--command-timeout=3s', ...args]);

  before(async () => {
    const etcdBin = findBinary('etcd');
    etcdctl = findBinary('etcdctl');
    const mesh = await reconcile(referenceLab());
    const other = await reconcile(referenceLab()); // an independent PKI: another CA altogether
    meshCa = files('mesh-ca', mesh.pki.ca).cert;
    otherCa = files('other-ca', other.pki.ca).cert;
    const server = files('k8s-cilium-01-server', mesh.pki.clusters['k8s-cilium-01']!.clustermeshServer!);
    remote2 = files('k8s-cilium-02-remote', mesh.pki.clusters['k8s-cilium-02']!.clustermeshRemote!);
    foreignRemote = files('foreign-remote', other.pki.clusters['k8s-cilium-02']!.clustermeshRemote!);
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    endpoint = `https://127.0.0.1:${clientPort}`;
    const peer = `https://127.0.0.1:${peerPort}`;
    etcd = startEtcd(etcdBin, [
      '--name=mesh-test', `--data-dir=${join(tmp.dir, 'data')}`,
      `--listen-client-urls=${endpoint}`, `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=mesh-test=${peer}`, '--initial-cluster-state=new',
      '--client-cert-auth', `--trusted-ca-file=${meshCa}`, `--cert-file=${server.cert}`, `--key-file=${server.key}`,
      // The same pair as peer certificate: the clustermesh-server certificate is server and client.
      '--peer-client-cert-auth', `--peer-trusted-ca-file=${meshCa}`, `--peer-cert-file=${server.cert}`, `--peer-key-file=${server.key}`,
    ]);
    const alive = () => etcd!.process.exitCode === null;
    await waitFor(`etcd on ${endpoint} to become healthy`, 20, () => ctl(remote2, meshCa, 'endpoint', 'health'), alive).catch((err: Error) => {
      throw new Error(`${err.message}\netcd log:\n${etcd!.log().slice(-3000)}`);
    });
  });

  after(async () => {
    await etcd?.stop();
    tmp.cleanup();
  });

  test('cluster 2\'s remote certificate (same CA) writes and reads a key on cluster 1', async () => {
    const put = await ctl(remote2, meshCa, 'put', '/cilium/meshwright/probe', 'from-k8s-cilium-02');
    assert.equal(put.code, 0, put.output);
    const get = await ctl(remote2, meshCa, 'get', '/cilium/meshwright/probe', '--print-value-only');
    assert.equal(get.code, 0, get.output);
    assert.equal(get.output.trim(), 'from-k8s-cilium-02');
  });

  test('a client certificate from another CA is refused by the server (the per-cluster CA failure)', async () => {
    const seen = etcd!.log().length;
    const put = await ctl(foreignRemote, meshCa, 'put', '/cilium/meshwright/intruder', 'x');
    assert.notEqual(put.code, 0, `etcd accepted a foreign client:\n${put.output}`);
    // etcd says why: the client's certificate does not chain to the mesh CA.
    await waitFor('etcd to log the refused client certificate', 25, async () => /rejected connection[^\n]*unknown authority/.test(etcd!.log().slice(seen)), () => true);
    const get = await ctl(remote2, meshCa, 'get', '/cilium/meshwright/intruder', '--print-value-only');
    assert.equal(get.code, 0, get.output);
    assert.equal(get.output.trim(), '', 'nothing was written');
  });

  test('a client trusting only its own CA refuses the server in turn', async () => {
    const seen = etcd!.log().length;
    const r = await ctl(foreignRemote, otherCa, 'get', '/cilium/meshwright/probe');
    assert.notEqual(r.code, 0, r.output);
    // The client aborts the handshake with an alert (bad_certificate; unknown_ca from Go 1.21), which etcd logs.
    await waitFor('etcd to log the client\'s alert', 25, async () => /rejected connection[^\n]*remote error: tls: (bad certificate|unknown certificate authority)/.test(etcd!.log().slice(seen)), () => true);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { foreignCaSecrets } from '../../src/lab/fault/foreign-ca.js';
import { MeshEndpoint, tlsOf, type TlsMaterial } from '../../src/lab/mesh/endpoint.js';
import { handshake } from '../../src/lab/mesh/handshake.js';

/** Blocks this thread as a long synchronous request handler (or a starved CPU) would. */
const busy = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The lab's clustermesh-apiserver endpoints at 32 clusters: a `lab curl` batch keeps the lab's
 * main thread busy for seconds, and verify's clustermesh-tls check read every endpoint as "no TLS
 * answer within 5s" (issue 16). A real clustermesh-apiserver answers whatever its cluster's
 * kube-apiserver is doing, and a handshake answered in time is not a timeout.
 */
describe('clustermesh-apiserver endpoints while the lab is busy', () => {
  let server: TlsMaterial;
  let remote: TlsMaterial;
  let ep: MeshEndpoint;
  let dir: string;

  before(async () => {
    // the server and remote certificates of one cluster, all from one CA (as the chart makes them)
    const secrets = await foreignCaSecrets('site-001', new Date());
    server = tlsOf({ data: secrets['clustermesh-apiserver-server-cert'] })!;
    remote = tlsOf({ data: secrets['clustermesh-apiserver-remote-cert'] })!;
    ep = await MeshEndpoint.start(server, 'cluster site-001');
    dir = mkdtempSync(join(tmpdir(), 'mw-mesh-endpoint-'));
    writeFileSync(join(dir, 'ca.crt'), remote.ca);
    writeFileSync(join(dir, 'tls.crt'), remote.cert);
    writeFileSync(join(dir, 'tls.key'), remote.key);
  });
  after(async () => {
    await ep.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a peer’s handshake (openssl s_client, another process) while the lab’s main thread is blocked', async () => {
    // `timeout 3`: the handshake must finish within 3 s, while this thread is blocked for 6 s
    const child = spawn('timeout', ['3', 'openssl', 's_client', '-connect', `127.0.0.1:${ep.port}`, '-servername', 'site-001.mesh.cilium.io', '-CAfile', join(dir, 'ca.crt'), '-cert', join(dir, 'tls.crt'), '-key', join(dir, 'tls.key'), '-verify_return_error', '-ign_eof'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    busy(6000);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    // 124: `timeout` killed it, the handshake did not finish (openssl's own exit is 1: the endpoint closes without close_notify)
    assert.notEqual(code, 124, `no answer within 3 s:\n${out}`);
    assert.match(out, /subject=CN\s?=\s?clustermesh-apiserver\.cilium\.io/);
    assert.match(out, /Verify return code: 0 \(ok\)/);
    assert.match(out, /^cluster site-001$/m, 'the endpoint tells the peer which cluster it reached');
  });

  it('a handshake answered while the dialling thread was busy succeeds: the stall does not count against its timeout', async () => {
    const pending = handshake(ep.port, 'site-001.mesh.cilium.io', '192.168.1.11:2379', remote, 500);
    busy(1500);
    assert.deepEqual(await pending, { ok: true, hello: 'cluster site-001' });
  });

  it('a peer that accepts and never answers still times out, in the words of Go’s net package', async () => {
    const held: Socket[] = [];
    const silent = createServer((s) => held.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as { port: number }).port;
      assert.deepEqual(await handshake(port, 'site-001.mesh.cilium.io', '192.168.1.11:2379', remote, 300), { ok: false, error: 'dial tcp 192.168.1.11:2379: i/o timeout' });
    } finally {
      held.forEach((s) => s.destroy());
      silent.close();
    }
  });

  it('a closed endpoint refuses connections', async () => {
    const other = await MeshEndpoint.start(server, 'cluster site-001');
    await other.close();
    const r = await handshake(other.port, 'site-001.mesh.cilium.io', '192.168.1.11:2379', remote, 2000);
    assert.deepEqual(r, { ok: false, error: 'dial tcp 192.168.1.11:2379: connect: connection refused' });
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MissingContext, openEndpoint } from '../../src/ops/kube/endpoint.js';
import { clusterUid, getJson, serverVersion } from '../../src/ops/kube/http.js';

/**
 * The light endpoint a no-op apply reads clusters through (no client-node): the kubeconfig fields
 * kubectl reads (client-go clientcmd/api/v1 types.go: certificate-authority relative to the file,
 * token, tokenFile), against an API server this test starts on 127.0.0.1 with its own certificate.
 */
describe('apply reaches a cluster from its kubeconfig without client-node', () => {
  let dir: string;
  let server: Server;
  let port = 0;
  const seen: Array<{ url: string; auth: string | undefined }> = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-endpoint-'));
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'ca.crt')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    server = createServer({ key: readFileSync(join(dir, 'tls.key')), cert: readFileSync(join(dir, 'ca.crt')) }, (req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/version') return res.end(JSON.stringify({ major: '1', minor: '30', gitVersion: 'v1.30.4' }));
      if (req.url === '/api/v1/namespaces/kube-system') return res.end(JSON.stringify({ kind: 'Namespace', metadata: { name: 'kube-system', uid: '6a1b6c9e-0000-4000-8000-000000000001' } }));
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const kubeconfig = (user: string): string => {
    const file = join(dir, 'config');
    writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c1\n  cluster:\n    server: https://127.0.0.1:${port}\n    certificate-authority: ca.crt\nusers:\n- name: u1\n  user:\n${user}\ncontexts:\n- name: k8s-cilium-01\n  context: {cluster: c1, user: u1}\ncurrent-context: k8s-cilium-01\n`);
    return file;
  };

  it('trusts the CA file named relative to the kubeconfig and sends the bearer token', async () => {
    const e = await openEndpoint(kubeconfig('    token: abc.def'), 'k8s-cilium-01', 'k8s-cilium-01');
    try {
      assert.equal((await serverVersion(e)).gitVersion, 'v1.30.4');
      assert.equal(await clusterUid(e), '6a1b6c9e-0000-4000-8000-000000000001');
      assert.equal(await getJson(e, '/api/v1/namespaces/kube-system/configmaps/cilium-config'), undefined, '404 is "not there"');
      assert.ok(seen.every((s) => s.auth === 'Bearer abc.def'));
    } finally {
      e.close();
    }
  });

  it('reads a tokenFile at each request, as kubectl does', async () => {
    writeFileSync(join(dir, 'token'), 'from-file\n');
    const e = await openEndpoint(kubeconfig(`    tokenFile: ${join(dir, 'token')}`), 'k8s-cilium-01', 'k8s-cilium-01');
    try {
      seen.length = 0;
      await serverVersion(e);
      assert.deepEqual(seen, [{ url: '/version', auth: 'Bearer from-file' }]);
    } finally {
      e.close();
    }
  });

  it('a context the file does not hold is named', async () => {
    await assert.rejects(openEndpoint(kubeconfig('    token: x'), 'k8s-cilium-02', 'k8s-cilium-02'), (err: unknown) => err instanceof MissingContext && /has no context k8s-cilium-02/.test(err.message));
  });

  it('a user with an exec plugin goes to client-node, which implements it', async () => {
    const e = await openEndpoint(kubeconfig('    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/false\n      interactiveMode: Never'), 'k8s-cilium-01', 'k8s-cilium-01');
    try {
      assert.ok('kc' in e, 'the full client-node client');
    } finally {
      e.close();
    }
  });
});

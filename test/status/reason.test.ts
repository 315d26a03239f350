import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLinkStatus } from '../../src/status/index.js';

// The texts Cilium and Go put in RemoteCluster.status, and what a person should be told.
const CASES: Array<[string, string, string]> = [
  // cilium-cli v0.16.15 clustermesh.go: the agents' words while KVStoreMesh lacks the cluster
  ['agents behind a KVStoreMesh that is not connected', 'remote cluster configuration required but not found', 'KVStoreMesh not connected'],
  // Go crypto/x509 UnknownAuthorityError.Error(), through crypto/tls' "tls: failed to verify certificate: %w"
  ['a peer presenting a certificate of another CA', 'failed to connect to https://k8s-cilium-02.mesh.cilium.io:2379: tls: failed to verify certificate: x509: certificate signed by unknown authority', 'certificate from another CA'],
  ['the server refusing our client certificate (alert 42)', 'remote error: tls: bad certificate', 'certificate from another CA'],
  // Go net.OpError for a closed port, an unanswered SYN, an unknown name
  ['a stopped clustermesh-apiserver', 'dial tcp 172.26.0.106:2379: connect: connection refused', 'address unreachable'],
  ['an address that swallows packets', 'dial tcp 172.26.0.106:2379: i/o timeout', 'address unreachable'],
  ['a hostname no hostAlias resolves', 'dial tcp: lookup k8s-cilium-02.mesh.cilium.io: no such host', 'address unreachable'],
  // Go x509 HostnameError
  ['a server certificate without the mesh SAN', 'tls: failed to verify certificate: x509: certificate is valid for a.example, not k8s-cilium-02.mesh.cilium.io', 'certificate not valid'],
  ['an expired certificate', 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time …', 'certificate not valid'],
];

for (const [name, text, want] of CASES) {
  test(`link reason: ${name}`, () => assert.equal(classifyLinkStatus(text), want));
}

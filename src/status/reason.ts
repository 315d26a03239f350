import type { LinkReason } from './document.js';

/**
 * Why a remote cluster is not connected, from the RemoteCluster.status text an agent or a
 * KVStoreMesh replica reports. The categories are the causes cilium-cli's `clustermesh status`
 * points at (v0.16.15 clustermesh/clustermesh.go: "remote cluster configuration required but not
 * found" → KVStoreMesh not connected; a name mismatch), plus the transport errors Go's etcd client
 * words as crypto/tls and net do (x509 unknown authority: the notebook's "CA certificates do not
 * match"; connection refused / i/o timeout / no such host: the address does not answer).
 */
export function classifyLinkStatus(text: string): LinkReason {
  if (/x509: certificate signed by unknown authority|tls: bad certificate|unknown certificate authority/i.test(text)) return 'certificate from another CA';
  if (/x509: certificate (is (not )?valid for|has expired)/i.test(text)) return 'certificate not valid';
  if (/connection refused|i\/o timeout|no such host|no route to host|network is unreachable|context deadline exceeded/i.test(text)) return 'address unreachable';
  if (/remote cluster configuration required but not found/i.test(text)) return 'KVStoreMesh not connected';
  if (/name mismatch|cluster name/i.test(text)) return 'cluster name mismatch';
  if (/synchronization in progress|waiting for the initial connection/i.test(text)) return 'synchronizing';
  return 'unknown';
}

export type { CertUsage, ClusterCerts, IssuedCert, MeshPki, PemPair, StoredPair } from './types.js';
export type { WebCrypto } from './web-crypto.js';
export { certificatePlan, CA_ID, CA_LIFETIME_DAYS, LEAF_LIFETIME_DAYS, LEAF_NAMES } from './plan.js';
export type { CertRequest, LeafName } from './plan.js';
export { clustermeshApiserverIP } from './apiserver-ip.js';
export { reconcilePki } from './reconcile.js';
export { CA_FILE_NAMES, CA_HINT } from './ca.js';
export type { CaErrorCode, CaFiles } from './ca.js';
export type { PkiAction, PkiEvent, PkiState, ReconcileOptions, ReconcileResult } from './reconcile.js';
export { certificateSummary } from './assemble.js';
export type { CertificateRow } from './assemble.js';
export { isIpsecKeys, newIpsecKeys } from './ipsec.js';
// The lab's own CA and serving/client certificates are issued by the same code (src/lab/pki.ts).
export { currentCa } from './ca.js';
export { issueCertificate } from './issue.js';

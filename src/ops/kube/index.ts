// The Kubernetes side of ops, on its own: what `status` (and `verify`) read clusters with, without
// loading apply's renderers and PKI (about two seconds of start-up on a busy machine).
export { clusterClient, getJson, isLabVersion, isNotFound, MissingContext, serverVersion, statusOf } from './client.js';
export type { ClusterClient } from './client.js';
export { execCommand, execText, parseAgentStatus, readAgentStatus, unconnectedPeers } from './cilium-status.js';
export type { ExecOutcome } from './cilium-status.js';
export type { AgentStatus, RemoteCluster } from './cilium-status.js';
export { parseKvstoremeshStatus, readKvstoremeshStatus } from './kvstoremesh-status.js';
export type { KvstoremeshStatus } from './kvstoremesh-status.js';
export { decodeRelease, readRelease } from './helm-release.js';
export type { ReleaseRecord } from './helm-release.js';

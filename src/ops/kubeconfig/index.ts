export { readAdminAccess } from './admin-conf.js';
export type { AdminAccess, NamedEntry } from './admin-conf.js';
export { mergeKubeconfig } from './merge.js';
export type { Collision, EntryAction, MergedCluster, MergeInput, MergeOutcome } from './merge.js';
export { runKubeconfigMerge } from './run.js';
export type { KubeconfigMergeOutcome, KubeconfigMergeRequest } from './run.js';
export { defaultKubeconfig, writeKubeconfig } from './target.js';
export { fetchAdminConf } from './fetch.js';

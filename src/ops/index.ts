export { runRender } from './render.js';
export type { RenderOutcome, RenderRequest } from './render.js';
export { defaultKubeconfig, mergeKubeconfig, readAdminAccess, runKubeconfigMerge } from './kubeconfig/index.js';
export type { KubeconfigMergeOutcome, KubeconfigMergeRequest, MergedCluster } from './kubeconfig/index.js';

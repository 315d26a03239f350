import type { Controller, SimContext } from './kit.js';
import { ciliumCrdController } from './cilium-crds.js';
import { daemonSetController } from './daemonset.js';
import { deploymentController } from './deployment.js';
import { endpointSliceController } from './endpointslice.js';
import { ingressController } from './ingress.js';
import { jobController } from './job.js';
import { kubeletController } from './kubelet.js';
import { lbIpamController } from './lbipam.js';
import { ControllerManager } from './manager.js';
import { l2AnnounceController } from './l2-announce.js';
import { metricsApiController } from './metrics-api.js';
import { nodeNetworkController } from './node-network.js';
import { replicaSetController } from './replicaset.js';
import { schedulerController } from './scheduler.js';
import { statefulSetController } from './statefulset.js';

// The simulated cluster's control loops: kube-controller-manager, kube-scheduler, the kubelets,
// and what Cilium's agent and operator do to Kubernetes objects.
export { ControllerManager } from './manager.js';
export type { SimContext } from './kit.js';
export { SIM, STAGE_WEIGHT } from './kit.js';

export function clusterControllers(ctx: SimContext): Controller[] {
  return [
    deploymentController(ctx),
    replicaSetController(ctx),
    daemonSetController(ctx),
    statefulSetController(ctx),
    jobController(ctx),
    schedulerController(ctx),
    kubeletController(ctx),
    nodeNetworkController(ctx),
    endpointSliceController(ctx),
    lbIpamController(ctx),
    ingressController(ctx),
    ciliumCrdController(ctx),
    metricsApiController(ctx),
    l2AnnounceController(ctx),
  ];
}

export function startControllers(ctx: SimContext, extra: Controller[] = []): ControllerManager {
  const m = new ControllerManager(ctx, [...clusterControllers(ctx), ...extra]);
  m.start();
  return m;
}

export { clusterIpam } from './ipam.js';
export type { ClusterIpam, NodePodCidr } from './ipam.js';
export { identityRange } from './identity.js';
export type { IdentityRange } from './identity.js';
export { allocateLoadBalancerIPs } from './lb-ipam.js';
export type { LbAllocation, LbReason, LbRequest, PoolStatus } from './lb-ipam.js';
export { SHARING_CROSS_NAMESPACE, SHARING_KEY } from './lb-sharing.js';
export { lbIpamRequest, servedByLbIpam } from './lb-request.js';
export { ANNOTATIONS, AFFINITIES, readGlobalServiceAnnotations } from './annotations.js';
export type { Affinity, AnnotationFinding, GlobalServiceAnnotations } from './annotations.js';
// The workload model: objects (manifests or a live snapshot) and a cluster's nodes in, pods out —
// the one place pods are counted, for plan, policy and the lab.
//   placeObjects            which objects each cluster holds (duplicates, misspelt kinds said out loud)
//   workloadPods            every pod of one cluster, live or predicted, with its owner chain
//   podGroups, BackendIndex the same pods counted per Service without listing them (large meshes)
export type { ModelObject } from './objects.js';
export { findingAt, Findings, namespaceOf, whereOf } from './objects.js';
export { placeObjects, placedObjects, objectKey } from './placement.js';
export type { Placement } from './placement.js';
export { workloadPods, podsOf } from './pods.js';
export { CONTROLLER_KINDS } from './owners.js';
export type { WorkloadInput } from './pods.js';
export { podGroups } from './pod-groups.js';
export { BackendIndex } from './backends.js';
export type { Backends } from './backends.js';
export { clusterView, groupCount } from './pod-counts.js';
export type { ClusterView, GroupCount } from './pod-counts.js';
export { kubesprayNodes, nodesFromObjects, CONTROL_PLANE_TAINT } from './nodes.js';
export type { ClusterNode, Taint, TaintEffect } from './nodes.js';
export type { ContainerPort, ModelPod, OwnerRef, PodGroup, PodPhase, Protocol } from './workload-types.js';
export { serviceOf } from './services.js';
export type { ServicePort, ServiceSpec } from './services.js';
export { aggregateService, globalServiceCounts, sharesFor } from './global-services.js';
export type { Chosen, ClientView, ServiceAggregate, ServiceInstance } from './global-services.js';
export { predictClusterMesh } from './clustermesh.js';
export type { ClusterMeshPrediction, MeshConnection, MeshScenario } from './clustermesh.js';
export { networkPlan } from './network.js';
export { impliedLoadBalancers, INGRESS_APP } from './implied-services.js';
export type { ServiceRef } from './implied-services.js';
export { firstAddresses, pinnedIPOf, pinnedLoadBalancerIPs } from './pinned-ips.js';
export type { PinnedIP } from './pinned-ips.js';
export { CLUSTERMESH_PORT, clustermeshNodePort, meshEndpoint } from './mesh-endpoints.js';
export type { MeshEndpoint } from './mesh-endpoints.js';
export type { NetworkPlan, PortRequirement } from './network.js';
// The lab's scheduler and DaemonSet controller read placement through the same rules.
export { daemonPodTolerations, unschedulableMessage } from './node-fit.js';

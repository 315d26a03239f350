/**
 * Kinds an API server of Kubernetes 1.30 with Cilium 1.16's CRDs serves, with the apiVersion
 * each is written with and whether it lives in a namespace (`kubectl api-resources`). Used to
 * tell a misspelt kind from a custom resource, and cluster-scoped objects from namespaced ones.
 */
export interface KindInfo {
  apiVersion: string;
  namespaced: boolean;
}

const core = (namespaced = true): KindInfo => ({ apiVersion: 'v1', namespaced });
const at = (apiVersion: string, namespaced = true): KindInfo => ({ apiVersion, namespaced });

export const KNOWN_KINDS: Readonly<Record<string, KindInfo>> = {
  Pod: core(),
  Service: core(),
  Endpoints: core(),
  ConfigMap: core(),
  Secret: core(),
  ServiceAccount: core(),
  PersistentVolumeClaim: core(),
  ReplicationController: core(),
  LimitRange: core(),
  ResourceQuota: core(),
  Event: core(),
  Namespace: core(false),
  Node: core(false),
  PersistentVolume: core(false),
  Deployment: at('apps/v1'),
  ReplicaSet: at('apps/v1'),
  StatefulSet: at('apps/v1'),
  DaemonSet: at('apps/v1'),
  ControllerRevision: at('apps/v1'),
  Job: at('batch/v1'),
  CronJob: at('batch/v1'),
  Ingress: at('networking.k8s.io/v1'),
  NetworkPolicy: at('networking.k8s.io/v1'),
  IngressClass: at('networking.k8s.io/v1', false),
  EndpointSlice: at('discovery.k8s.io/v1'),
  HorizontalPodAutoscaler: at('autoscaling/v2'),
  PodDisruptionBudget: at('policy/v1'),
  Role: at('rbac.authorization.k8s.io/v1'),
  RoleBinding: at('rbac.authorization.k8s.io/v1'),
  ClusterRole: at('rbac.authorization.k8s.io/v1', false),
  ClusterRoleBinding: at('rbac.authorization.k8s.io/v1', false),
  StorageClass: at('storage.k8s.io/v1', false),
  PriorityClass: at('scheduling.k8s.io/v1', false),
  CustomResourceDefinition: at('apiextensions.k8s.io/v1', false),
  ValidatingWebhookConfiguration: at('admissionregistration.k8s.io/v1', false),
  MutatingWebhookConfiguration: at('admissionregistration.k8s.io/v1', false),
  CiliumNetworkPolicy: at('cilium.io/v2'),
  CiliumClusterwideNetworkPolicy: at('cilium.io/v2', false),
  CiliumEndpoint: at('cilium.io/v2'),
  CiliumEnvoyConfig: at('cilium.io/v2'),
  CiliumClusterwideEnvoyConfig: at('cilium.io/v2', false),
  CiliumNode: at('cilium.io/v2', false),
  CiliumIdentity: at('cilium.io/v2', false),
  CiliumExternalWorkload: at('cilium.io/v2', false),
  CiliumEgressGatewayPolicy: at('cilium.io/v2', false),
  CiliumLoadBalancerIPPool: at('cilium.io/v2alpha1', false),
  CiliumL2AnnouncementPolicy: at('cilium.io/v2alpha1', false),
  CiliumBGPPeeringPolicy: at('cilium.io/v2alpha1', false),
  CiliumCIDRGroup: at('cilium.io/v2alpha1', false),
  Gateway: at('gateway.networking.k8s.io/v1'),
  HTTPRoute: at('gateway.networking.k8s.io/v1'),
  GRPCRoute: at('gateway.networking.k8s.io/v1'),
  GatewayClass: at('gateway.networking.k8s.io/v1', false),
  ServiceExport: at('multicluster.x-k8s.io/v1alpha1'),
  ServiceImport: at('multicluster.x-k8s.io/v1alpha1'),
};

/** The API group of an apiVersion: '' for the core group (`v1`). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Groups whose kinds are all listed above: an unknown kind there is a mistake, not a custom resource. */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set(Object.values(KNOWN_KINDS).map((k) => apiGroup(k.apiVersion)).filter((g) => g !== 'cilium.io' && g !== 'gateway.networking.k8s.io' && g !== 'multicluster.x-k8s.io'));

/** Cluster-scoped kinds ignore metadata.namespace. Unknown kinds (custom resources) are taken as namespaced. */
export function isNamespaced(kind: string): boolean {
  return KNOWN_KINDS[kind]?.namespaced ?? true;
}

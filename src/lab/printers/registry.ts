import { configmaps, events, leases, namespaces, nodes, poddisruptionbudgets, rolebindings, secrets, serviceaccounts, storageclasses } from './cluster.js';
import type { Printer } from './format.js';
import { endpoints, endpointslices, ingressclasses, ingresses, networkpolicies, services } from './network.js';
import { cronjobs, daemonsets, deployments, jobs, pods, replicasets, statefulsets } from './workloads.js';

/** Printers by "<group>/<resource>" (group "core" for the legacy API). */
export const cluster: Record<string, Printer> = {
  'core/pods': pods,
  'core/nodes': nodes,
  'core/services': services,
  'core/namespaces': namespaces,
  'core/configmaps': configmaps,
  'core/secrets': secrets,
  'core/serviceaccounts': serviceaccounts,
  'core/events': events,
  'core/endpoints': endpoints,
  'apps/deployments': deployments,
  'apps/replicasets': replicasets,
  'apps/daemonsets': daemonsets,
  'apps/statefulsets': statefulsets,
  'batch/jobs': jobs,
  'batch/cronjobs': cronjobs,
  'networking.k8s.io/ingresses': ingresses,
  'networking.k8s.io/networkpolicies': networkpolicies,
  'networking.k8s.io/ingressclasses': ingressclasses,
  'discovery.k8s.io/endpointslices': endpointslices,
  'coordination.k8s.io/leases': leases,
  'policy/poddisruptionbudgets': poddisruptionbudgets,
  'rbac.authorization.k8s.io/rolebindings': rolebindings,
  'rbac.authorization.k8s.io/clusterrolebindings': rolebindings,
  'storage.k8s.io/storageclasses': storageclasses,
};

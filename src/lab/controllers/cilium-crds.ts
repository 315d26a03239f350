import type { Obj } from '../store/log-store.js';
import { def, ensure, getObj, listOf, podReady, type Controller, type SimContext } from './kit.js';

/**
 * The CRDs Cilium 1.16's operator registers at start (pkg/k8s/apis/cilium.io/client/register.go):
 * names, versions, scope, short names and printer columns as 1.16 serves them; the schemas are
 * left open (x-kubernetes-preserve-unknown-fields): the 1.16.5 YAML files could not be read where
 * this was written (see src/lab/data/README.md), so the lab validates no Cilium field.
 */
const CRDS: Array<{ kind: string; plural: string; short?: string[]; scope: 'Namespaced' | 'Cluster'; versions: string[]; columns?: Obj[]; status?: boolean; spec?: Obj }> = [
  { kind: 'CiliumNetworkPolicy', plural: 'ciliumnetworkpolicies', short: ['cnp', 'ciliumnp'], scope: 'Namespaced', versions: ['v2'], status: true },
  { kind: 'CiliumClusterwideNetworkPolicy', plural: 'ciliumclusterwidenetworkpolicies', short: ['ccnp'], scope: 'Cluster', versions: ['v2'], status: true },
  { kind: 'CiliumEndpoint', plural: 'ciliumendpoints', short: ['cep', 'ciliumep'], scope: 'Namespaced', versions: ['v2'] },
  { kind: 'CiliumNode', plural: 'ciliumnodes', short: ['cn', 'ciliumn'], scope: 'Cluster', versions: ['v2'], status: true },
  { kind: 'CiliumIdentity', plural: 'ciliumidentities', short: ['ciliumid'], scope: 'Cluster', versions: ['v2'] },
  { kind: 'CiliumExternalWorkload', plural: 'ciliumexternalworkloads', short: ['cew'], scope: 'Cluster', versions: ['v2'], status: true },
  { kind: 'CiliumLocalRedirectPolicy', plural: 'ciliumlocalredirectpolicies', short: ['clrp'], scope: 'Namespaced', versions: ['v2'], status: true },
  { kind: 'CiliumEgressGatewayPolicy', plural: 'ciliumegressgatewaypolicies', short: ['cegp'], scope: 'Cluster', versions: ['v2'] },
  { kind: 'CiliumEnvoyConfig', plural: 'ciliumenvoyconfigs', short: ['cec'], scope: 'Namespaced', versions: ['v2'] },
  { kind: 'CiliumClusterwideEnvoyConfig', plural: 'ciliumclusterwideenvoyconfigs', short: ['ccec'], scope: 'Cluster', versions: ['v2'] },
  { kind: 'CiliumNodeConfig', plural: 'ciliumnodeconfigs', scope: 'Namespaced', versions: ['v2', 'v2alpha1'] },
  { kind: 'CiliumEndpointSlice', plural: 'ciliumendpointslices', short: ['ces'], scope: 'Cluster', versions: ['v2alpha1'] },
  { kind: 'CiliumBGPPeeringPolicy', plural: 'ciliumbgppeeringpolicies', short: ['bgpp'], scope: 'Cluster', versions: ['v2alpha1'] },
  { kind: 'CiliumBGPClusterConfig', plural: 'ciliumbgpclusterconfigs', short: ['cbgpcluster'], scope: 'Cluster', versions: ['v2alpha1'], status: true },
  { kind: 'CiliumBGPPeerConfig', plural: 'ciliumbgppeerconfigs', scope: 'Cluster', versions: ['v2alpha1'], status: true },
  { kind: 'CiliumBGPAdvertisement', plural: 'ciliumbgpadvertisements', short: ['cbgpadvert'], scope: 'Cluster', versions: ['v2alpha1'] },
  { kind: 'CiliumBGPNodeConfig', plural: 'ciliumbgpnodeconfigs', short: ['cbgpnode'], scope: 'Cluster', versions: ['v2alpha1'], status: true },
  { kind: 'CiliumBGPNodeConfigOverride', plural: 'ciliumbgpnodeconfigoverrides', short: ['cbgpnodeoverride'], scope: 'Cluster', versions: ['v2alpha1'] },
  {
    kind: 'CiliumLoadBalancerIPPool',
    plural: 'ciliumloadbalancerippools',
    short: ['ippools', 'ippool', 'lbippool', 'lbippools'],
    scope: 'Cluster',
    versions: ['v2alpha1'],
    status: true,
    // `disabled` defaults to false (lbipam_types.go +kubebuilder:default=false), which the DISABLED column shows
    spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { disabled: { type: 'boolean', default: false } } },
    // +kubebuilder:printcolumn markers of pkg/k8s/apis/cilium.io/v2alpha1/lbipam_types.go
    columns: [
      { jsonPath: '.spec.disabled', name: 'Disabled', type: 'boolean' },
      { jsonPath: '.status.conditions[?(@.type=="cilium.io/PoolConflict")].status', name: 'Conflicting', type: 'string' },
      { jsonPath: '.status.conditions[?(@.type=="cilium.io/IPsAvailable")].message', name: 'IPs Available', type: 'string' },
      { jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' },
    ],
  },
  { kind: 'CiliumL2AnnouncementPolicy', plural: 'ciliuml2announcementpolicies', short: ['l2announcement'], scope: 'Cluster', versions: ['v2alpha1'], status: true },
  { kind: 'CiliumPodIPPool', plural: 'ciliumpodippools', short: ['cpip'], scope: 'Cluster', versions: ['v2alpha1'] },
  { kind: 'CiliumCIDRGroup', plural: 'ciliumcidrgroups', short: ['ccg'], scope: 'Cluster', versions: ['v2alpha1'] },
];

export function ciliumCrd(c: (typeof CRDS)[number]): Obj {
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${c.plural}.cilium.io`, labels: { 'io.cilium.k8s.crd.schema.version': '1.29.1' } },
    spec: {
      group: 'cilium.io',
      names: { kind: c.kind, listKind: `${c.kind}List`, plural: c.plural, singular: c.plural.replace(/ies$/, 'y').replace(/s$/, ''), categories: ['cilium'], ...(c.short ? { shortNames: c.short } : {}) },
      scope: c.scope,
      versions: c.versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: c.spec ?? open, status: open } } },
        ...(c.status ? { subresources: { status: {} } } : {}),
        additionalPrinterColumns: c.columns ?? [{ jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' }],
      })),
    },
  };
}

/** The operator registers the CRDs as soon as one of its pods runs (operator/cmd/root.go, k8s.RegisterCRDs). */
export function ciliumCrdController(ctx: SimContext): Controller {
  const { api } = ctx;
  const crdDef = def(api, 'apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  const running = () => listOf(api, 'core/pods', 'kube-system').some((p) => p.metadata.labels?.['io.cilium/app'] === 'operator' && (p.status?.phase === 'Running' || podReady(p)));
  return {
    name: 'cilium-crds',
    watches: { 'core/pods': (ev) => (ev.value.metadata.labels?.['io.cilium/app'] === 'operator' ? ['crds'] : []) },
    initial: () => ['crds'],
    async reconcile() {
      if (!running()) return;
      for (const c of CRDS) if (!getObj(api, 'apiextensions.k8s.io/customresourcedefinitions', '', `${c.plural}.cilium.io`)) await ensure(api, crdDef, ciliumCrd(c), 'cilium-operator-generic');
    },
  };
}

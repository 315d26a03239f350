export type { ConnectionSet, Entity, HostNetworkPod, HttpRequest, NodePeer, Identity, OwnerKind, PeerRef, PolicyBuild, PolicyEndpoint, PolicyEngine, PolicyInput, PolicyOptions, PolicyRequest, Protocol, RuleRef, SideVerdict, Verdict } from './types.js';
export { buildPolicyEngine } from './build.js';
export { defaultLocalClusterFor } from './options.js';
export { endpointsFromPlacement, namespacesFromPlacement } from './endpoints.js';
export { isIdentityLabel } from './labels.js';

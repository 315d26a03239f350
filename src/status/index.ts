// meshwright status: the mesh as its clusters and Cilium report it, one document per mesh.
export { buildStatus, collectStatus, statusClients } from './collect.js';
export type { StatusRequest } from './collect.js';
export { firstProblem, waitForStatus } from './wait.js';
export { classifyLinkStatus } from './reason.js';
export { observeCluster } from './observe.js';
export type { ClusterObservation } from './observe.js';
export { StatusDocumentSchema, statusJsonSchema } from './document.js';
export type { CertificateStatus, ClusterStatus, ComponentStatus, LinkReason, LinkStatus, MinAvgMaxValue, PeerView, ReleaseStatus, StatusDocument } from './document.js';

import type { Check } from '../types.js';
import { ciliumFeatures } from './cilium-features.js';
import { clustermeshTls } from './clustermesh-tls.js';
import { globalServices } from './global-services.js';
import { helmReleases } from './helm-releases.js';
import { ingress } from './ingress.js';
import { l2Announcement } from './l2-announcement.js';
import { lbIpam } from './lb-ipam.js';
import { meshConnected } from './mesh-connected.js';
import { metricsServer } from './metrics-server.js';
import { nodesReady } from './nodes-ready.js';
import { policyVerdicts } from './policy-verdicts.js';

/** In the order the notebook looked: nodes, releases, add-ons, Cilium, addresses, ingress, mesh, traffic, policy verdicts. */
export const CHECKS: readonly Check[] = [nodesReady, helmReleases, metricsServer, ciliumFeatures, lbIpam, l2Announcement, ingress, clustermeshTls, meshConnected, globalServices, policyVerdicts];

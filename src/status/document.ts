import { z } from 'zod';

/**
 * The `meshwright status` document: one per mesh, collected first and rendered after (cilium-cli
 * status/status.go keeps one Status struct that Format() prints and JSON marshals; runtime
 * anchors #13). `-o json` prints exactly this; its JSON Schema is published by
 * `meshwright schema status` (schemas/status.schema.json). verify may import these types.
 */

const MinAvgMax = z.object({ min: z.number(), avg: z.number(), max: z.number() }).describe('per agent (or replica): the smallest, mean and largest value');

const Component = z.object({
  name: z.enum(['cilium', 'cilium-envoy', 'cilium-operator', 'clustermesh-apiserver', 'kvstoremesh']),
  kind: z.enum(['DaemonSet', 'Deployment', 'Container']),
  /** Absent: the platform does not deploy it (e.g. KVStoreMesh off). */
  present: z.boolean(),
  desired: z.number().int(),
  ready: z.number().int(),
  ok: z.boolean(),
  message: z.string(),
});

const Release = z.object({
  name: z.string(),
  namespace: z.string(),
  revision: z.number().int(),
  status: z.string(),
  chartVersion: z.string(),
  /** The chart version the platform asks for, when meshwright installs this chart. */
  expectedChartVersion: z.string().optional(),
  ok: z.boolean(),
});

const Certificate = z.object({
  secret: z.string().describe('kube-system Secret the certificate was read from (its key material is never read)'),
  key: z.enum(['ca.crt', 'tls.crt']),
  subject: z.string(),
  issuer: z.string(),
  notAfter: z.string().describe('RFC 3339'),
  daysLeft: z.number().int(),
  /** tls.crt: issued by this Secret's ca.crt; ca.crt: equal to the platform's mesh CA (the state folder's ca.crt) when known. */
  trusted: z.boolean(),
  sha256: z.string().describe('fingerprint of the certificate (public)'),
});

const PeerView = z.object({
  cluster: z.string().describe('the remote cluster'),
  /** Agents that list the peer / are connected to it / in all. */
  agents: z.object({ configured: z.number().int(), connected: z.number().int(), total: z.number().int() }),
  kvstoremesh: z.object({ configured: z.number().int(), connected: z.number().int(), total: z.number().int() }).optional(),
});

const Link = z.object({
  from: z.string(),
  to: z.string(),
  state: z.enum(['connected', 'down', 'unknown']),
  /** Why it is down, in a few words (cilium-cli clustermesh status' hints, from RemoteCluster.status). */
  reason: z.enum(['certificate from another CA', 'certificate not valid', 'address unreachable', 'peer not configured', 'KVStoreMesh not connected', 'cluster name mismatch', 'synchronizing', 'cluster unreachable', 'unknown']).optional(),
  /** The status text Cilium reported, verbatim (the first agent or replica that is not connected). */
  detail: z.string().optional(),
  /** Which Cilium component said so: pod and container. */
  reportedBy: z.string().optional(),
});

const ClusterStatus = z.object({
  name: z.string(),
  context: z.string(),
  server: z.string(),
  reachable: z.boolean(),
  /** Why the API server could not be reached (reachable false). */
  error: z.string().optional(),
  simulated: z.boolean(),
  version: z.string(),
  nodes: z.object({ ready: z.number().int(), total: z.number().int(), notReady: z.array(z.string()) }),
  components: z.array(Component),
  releases: z.array(Release),
  mesh: z.object({
    /** Remote clusters in the agents' configuration (Secret cilium-clustermesh, minus the local name). */
    configured: z.array(z.string()),
    kvstoremesh: z.boolean(),
    agents: z.object({ total: z.number().int(), connectedToAll: z.number().int(), connected: MinAvgMax }),
    kvstoremeshReplicas: z.object({ total: z.number().int(), connectedToAll: z.number().int(), connected: MinAvgMax }).optional(),
    peers: z.array(PeerView),
    globalServices: MinAvgMax,
  }),
  certificates: z.array(Certificate),
  /** Problems found in this cluster, one line each. */
  problems: z.array(z.string()),
});

export const StatusDocumentSchema = z
  .object({
    apiVersion: z.literal('meshwright/v1alpha1'),
    kind: z.literal('MeshStatus'),
    platform: z.string(),
    /** Every line below came from simulated clusters (the lab). */
    simulated: z.boolean(),
    observedAt: z.string(),
    ok: z.boolean(),
    /** Clusters whose API server did not answer (exit code 3). */
    unreachable: z.array(z.string()),
    clusters: z.array(ClusterStatus),
    links: z.array(Link),
    /** The mesh CA of the platform (state folder ca.crt), when this folder has one. */
    meshCa: z.object({ subject: z.string(), notAfter: z.string(), daysLeft: z.number().int(), sha256: z.string() }).optional(),
  })
  .describe('meshwright status: the mesh as its clusters and Cilium report it (meshwright/v1alpha1 MeshStatus).');

export type StatusDocument = z.output<typeof StatusDocumentSchema>;
export type ClusterStatus = z.output<typeof ClusterStatus>;
export type ComponentStatus = z.output<typeof Component>;
export type ReleaseStatus = z.output<typeof Release>;
export type CertificateStatus = z.output<typeof Certificate>;
export type LinkStatus = z.output<typeof Link>;
export type LinkReason = NonNullable<LinkStatus['reason']>;
export type PeerView = z.output<typeof PeerView>;
export type MinAvgMaxValue = z.output<typeof MinAvgMax>;

/** The JSON Schema of the document (draft-07, as platform.schema.json). */
export function statusJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(StatusDocumentSchema, { target: 'draft-7', io: 'output' }) as Record<string, unknown>;
  return { ...schema, title: 'meshwright MeshStatus (meshwright/v1alpha1)' };
}

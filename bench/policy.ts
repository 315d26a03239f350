import { parseManifestText } from '../src/manifests/index.js';
import { buildPolicyEngine, type PeerRef, type PolicyInput } from '../src/model/policy-engine/index.js';
import { referenceVerdict } from '../test/helpers/reference-verdict.js';
import { buildMatrix, matrixNodes } from '../src/policy-report/index.js';
import { generatePolicyWorkload } from './generate-policy.js';
import { fmt, ms, peakRssMiB } from './measure.js';

/**
 * bench/policy: 10,000 pods in about 500 identities (250 Deployments × 20 pods × 2 clusters),
 * 1,000 policies, the full identity matrix on one port, explain per call, and the plain per-pod
 * evaluator on a fixed sample of 20,000 pod pairs — per-pair cost of both, and their ratio.
 * Target: matrix under 2 s; the engine at least 20× the per-pod evaluator per pair. Then the same
 * workload on 200 platform nodes shown as identities: per pair no slower than without them.
 */
const CLUSTERS = ['k8s-cilium-01', 'k8s-cilium-02'];

let t = process.hrtime.bigint();
const { objects } = parseManifestText('workload.yaml', generatePolicyWorkload(250, 20, 1000));
const parseMs = ms(t);
const input: PolicyInput = { objects, clusters: CLUSTERS, options: { policyDefaultLocalCluster: false } };

t = process.hrtime.bigint();
const build = buildPolicyEngine(input);
const buildMs = ms(t);
const { engine, endpoints } = build;

t = process.hrtime.bigint();
const matrix = buildMatrix(engine, { port: 8080, protocol: 'TCP', http: { method: 'GET', path: '/api/items', headers: {} }, multiCluster: true });
const matrixMs = ms(t);
const identityPairs = matrix.cells.length;

// A fixed sample of pod pairs (a deterministic LCG, so every run asks the same questions).
let seed = 42;
const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const SAMPLE = 20_000;
const pairs: [PeerRef, PeerRef][] = Array.from({ length: SAMPLE }, () => [
  { kind: 'endpoint', endpoint: endpoints[Math.floor(next() * endpoints.length)]! },
  { kind: 'endpoint', endpoint: endpoints[Math.floor(next() * endpoints.length)]! },
]);

t = process.hrtime.bigint();
const byEngine = pairs.map(([from, to]) => engine.explain({ from, to, port: 8080, protocol: 'TCP' }).verdict);
const explainMs = ms(t);

t = process.hrtime.bigint();
const byReference = pairs.map(([from, to]) => referenceVerdict(input, { from, to, port: 8080, protocol: 'TCP' }));
const referenceMs = ms(t);
const allowedEngine = byEngine.filter((v) => v === 'allowed').length;
const allowedRef = byReference.filter((v) => v === 'allowed').length;
const disagreements = byEngine.filter((v, i) => v !== byReference[i]).length;

const matrixPerPair = (matrixMs * 1000) / identityPairs;
const explainPerPair = (explainMs * 1000) / SAMPLE;
const refPerPair = (referenceMs * 1000) / SAMPLE;
console.log('bench/policy — 2 clusters, 1,000 policies (K8s NetworkPolicy, CNP, CCNP; L3/L4/L7, deny, entities, CIDRs)\n');
console.log(`pods ${endpoints.length}, identities ${engine.identities.length}, policies ${objects.filter((o) => /NetworkPolicy$/.test(o.object.kind)).length}`);
console.log(`parse manifests              ${fmt(parseMs)} ms`);
console.log(`build engine                 ${fmt(buildMs)} ms`);
console.log(`full identity matrix, 8080   ${fmt(matrixMs)} ms for ${identityPairs} identity pairs (${fmt(matrixPerPair, 2)} µs/pair)   target < 2000 ms: ${matrixMs < 2000 ? 'met' : 'NOT met'}`);
console.log(`explain, sampled pod pairs   ${fmt(explainPerPair, 2)} µs per call (${SAMPLE} calls, ${allowedEngine} allowed)`);
console.log(`per-pod evaluator, same pairs ${fmt(refPerPair, 1)} µs per pair (${allowedRef} allowed)`);
console.log(`ratio per pair: matrix ${fmt(refPerPair / matrixPerPair, 0)}×, explain ${fmt(refPerPair / explainPerPair, 0)}× the per-pod evaluator   target ≥ 20×: ${refPerPair / matrixPerPair >= 20 ? 'met' : 'NOT met'}`);
console.log(`engine and per-pod evaluator agree on every sampled pair: ${disagreements === 0 ? 'yes' : `NO (${disagreements} disagreements)`}`);
console.log(`peak RSS                     ${fmt(peakRssMiB())} MiB`);

// The same workload in a platform of 200 nodes (100 per cluster, one control plane each), the
// nodes shown as identities of their own (policy matrix --nodes): per pair, no slower than without.
const NODES_PER_CLUSTER = 100;
const platformNodes = (cluster: string) =>
  Array.from({ length: NODES_PER_CLUSTER }, (_, i) => ({ cluster, name: `${cluster}-n${String(i).padStart(3, '0')}`, addresses: [`172.26.${CLUSTERS.indexOf(cluster)}.${i + 10}`], controlPlane: i === 0 }));
const nodeAddresses = new Map(CLUSTERS.map((c) => [c, platformNodes(c)]));
const scheduling = new Map(CLUSTERS.map((c) => [c, platformNodes(c).map((n) => ({ name: n.name, labels: { 'kubernetes.io/hostname': n.name }, taints: n.controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }] : [] }))]));
t = process.hrtime.bigint();
const withNodes = buildPolicyEngine({ ...input, nodes: scheduling, nodeAddresses });
const buildNodesMs = ms(t);
const nodeRows = matrixNodes(withNodes.nodes, withNodes.hostNetworkPods, true);
t = process.hrtime.bigint();
const nodeMatrix = buildMatrix(withNodes.engine, { port: 8080, protocol: 'TCP', http: { method: 'GET', path: '/api/items', headers: {} }, multiCluster: true, nodes: nodeRows });
const nodeMatrixMs = ms(t);
const nodePerPair = (nodeMatrixMs * 1000) / nodeMatrix.cells.length;
// The first matrix above also paid for warming up; compare with a warm run of it.
t = process.hrtime.bigint();
buildMatrix(engine, { port: 8080, protocol: 'TCP', http: { method: 'GET', path: '/api/items', headers: {} }, multiCluster: true });
const warmPerPair = (ms(t) * 1000) / identityPairs;
console.log(`\nwith 200 platform nodes as identities (${nodeRows.length} node rows, ${withNodes.engine.identities.length} pod identities)`);
console.log(`build engine                 ${fmt(buildNodesMs)} ms`);
console.log(`full matrix incl. nodes      ${fmt(nodeMatrixMs)} ms for ${nodeMatrix.cells.length} pairs (${fmt(nodePerPair, 2)} µs/pair)`);
console.log(`matrix without nodes, warm   ${fmt(warmPerPair, 2)} µs/pair`);
console.log(`per pair with / without node identities: ${fmt(nodePerPair, 2)} / ${fmt(warmPerPair, 2)} µs = ${fmt(nodePerPair / warmPerPair, 2)}×   target ≤ 1×: ${nodePerPair <= warmPerPair ? 'met' : 'NOT met'}`);

import type { Diagnostic } from '../../diag/index.js';
import { bindPolicies } from './bind.js';
import { allowedConnections } from './connections.js';
import { EngineContext } from './context.js';
import { placedObjects, placeObjects } from '../placement.js';
import { endpointsFromPlacement, namespacesFromPlacement } from './endpoints.js';
import { externalBlocks } from './external-blocks.js';
import { nodePeers } from './node-peers.js';
import { IdentityTable } from './identities.js';
import { NAMESPACE_KEY } from './labels.js';
import { parsePolicies } from './parse.js';
import { reporterFor } from './report.js';
import { policyLabel, type Direction, type ParsedPolicy } from './rule.js';
import { SelectorRegistry } from './selector-cache.js';
import { PolicyIndex } from './side.js';
import type { PolicyBuild, PolicyEndpoint, PolicyEngine, PolicyInput } from './types.js';
import { explainRequest } from './verdict.js';

/**
 * Policies compiled once, endpoints grouped into identities; questions are then answered per
 * identity from the selector cache and each identity's compiled rule tables. Pure: no I/O, no
 * clock; bad input becomes positioned diagnostics, never an exception.
 */
export function buildPolicyEngine(input: PolicyInput): PolicyBuild {
  // The same objects per cluster as plan counts: duplicates and misspelt kinds resolved once.
  const placement = placeObjects(input.clusters, input.objects);
  const clusters = placement.clusters;
  const pods = endpointsFromPlacement(placement, input.nodes);
  const endpoints = pods.endpoints;
  const diagnostics: Diagnostic[] = [...placement.diagnostics, ...pods.diagnostics];
  const parsed = parsePolicies(placedObjects(placement), diagnostics);
  checkNamedPorts(parsed, endpoints, clusters, diagnostics);
  const registry = new SelectorRegistry();
  const bound = bindPolicies(parsed, clusters, input.options, registry);
  const table = new IdentityTable(namespacesFromPlacement(placement), () => registry.size);
  for (const e of endpoints) table.register(e);
  const ctx = new EngineContext(table, registry, new PolicyIndex(bound, NAMESPACE_KEY), bound, hostPolicies(parsed));
  const blocks = new Map<string, [string, string][]>();
  const engine: PolicyEngine = {
    identities: table.list.map((i) => i.identity),
    explain: (req) => explainRequest(ctx, req),
    allowedConnections: (from, to) => allowedConnections(ctx, from, to),
    externalBlocks: (direction) => {
      const key = direction ?? 'all';
      if (!blocks.has(key)) blocks.set(key, externalBlocks(parsed, direction));
      return blocks.get(key)!.map(([a, b]) => [a, b]);
    },
  };
  return { engine, endpoints, nodes: nodePeers(placement, input.nodeAddresses), hostNetworkPods: pods.hostNetwork, objects: placedObjects(placement), diagnostics };
}

function hostPolicies(parsed: readonly ParsedPolicy[]): Record<Direction, string[]> {
  const out: Record<Direction, string[]> = { ingress: [], egress: [] };
  for (const p of parsed) for (const d of ['ingress', 'egress'] as const) if (p.host && p.hasSection[d] && !out[d].includes(policyLabel(p))) out[d].push(policyLabel(p));
  return out;
}

/** A named port no pod of the policy's clusters defines allows nothing: worth a warning. */
function checkNamedPorts(parsed: readonly ParsedPolicy[], endpoints: readonly PolicyEndpoint[], clusters: readonly string[], out: Diagnostic[]): void {
  const names = new Map<string, Set<string>>();
  for (const e of endpoints) for (const p of e.ports) if (p.name) (names.get(e.cluster) ?? names.set(e.cluster, new Set()).get(e.cluster)!).add(p.name);
  for (const p of parsed) {
    const where = p.object.cluster ? [p.object.cluster] : clusters;
    for (const n of p.namedPorts) {
      if (where.some((c) => names.get(c)?.has(n.name))) continue;
      reporterFor(p.object, out).warning('POLICY_NAMED_PORT_UNKNOWN', `no pod${where.length === 1 && where[0] !== 'default' ? ` in cluster ${where[0]}` : ''} has a container port named "${n.name}": this port allows nothing`, n.path, 'named ports are resolved on the destination pod\'s containers[].ports[].name');
    }
  }
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseManifestText, type LoadedObject } from '../../../src/manifests/index.js';
import { buildPolicyEngine, type PeerRef, type PolicyInput, type PolicyRequest, type Protocol, type RuleRef } from '../../../src/model/policy-engine/index.js';
import { referenceDecision } from '../../helpers/reference-verdict.js';

/**
 * The engine (identities, selector cache, compiled tables) against the plain per-pod reference
 * evaluator, on random pods and random K8s/Cilium policies over two namespaces and two clusters:
 * same verdict, same stage, same deciding rule, on every request tried; and allowedConnections
 * agrees with explain port by port.
 */
const CLUSTERS = ['c1', 'c2'];
const NAMESPACES = ['ns-a', 'ns-b'];
const KEYS = ['app', 'tier'];
const VALUES = ['x', 'y'];

const placement = fc.constantFrom<string | undefined>('c1', 'c2', undefined);
const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 });
const requirement = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('In', 'NotIn'), values: fc.subarray(VALUES, { minLength: 1 }) }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector = fc.record({ matchLabels: labels, matchExpressions: fc.array(requirement, { maxLength: 1 }) }, { requiredKeys: [] });
/** A Cilium peer selector: sometimes naming a namespace, a namespace label, the cluster or a reserved identity. */
const ciliumSelector = fc.oneof(
  { weight: 4, arbitrary: selector },
  { weight: 1, arbitrary: fc.record({ matchLabels: fc.record({ 'k8s:io.kubernetes.pod.namespace': fc.constantFrom(...NAMESPACES), app: fc.constantFrom(...VALUES) }, { requiredKeys: ['k8s:io.kubernetes.pod.namespace'] }) }) },
  { weight: 1, arbitrary: fc.record({ matchLabels: fc.record({ 'io.cilium.k8s.namespace.labels.env': fc.constantFrom('prod', 'dev') }) }) },
  { weight: 1, arbitrary: fc.record({ matchLabels: fc.record({ 'io.cilium.k8s.policy.cluster': fc.constantFrom(...CLUSTERS), tier: fc.constantFrom(...VALUES) }, { requiredKeys: ['io.cilium.k8s.policy.cluster'] }) }) },
  { weight: 1, arbitrary: fc.constant({ matchLabels: { 'reserved:host': '' } }) },
);

const pod = fc.record({ ns: fc.constantFrom(...NAMESPACES), cluster: placement, labels, named: fc.constantFrom('none', 'http80', 'http8080', 'dns') });

const k8sPort = fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(80, 8080, 'http', 'dns'), endPort: fc.constant(8080) }, { requiredKeys: [] }).filter((p) => p.endPort === undefined || p.port === 80);
const k8sPeer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: fc.oneof(fc.constant({}), fc.record({ matchLabels: fc.record({ env: fc.constantFrom('prod', 'dev') }) })) }),
  fc.record({ namespaceSelector: fc.constant({ matchLabels: { env: 'prod' } }), podSelector: selector }),
  fc.record({ ipBlock: fc.constantFrom({ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, { cidr: '8.8.8.0/24' }) }),
);
const k8sRule = (dir: 'from' | 'to') => fc.record({ [dir]: fc.array(k8sPeer, { maxLength: 2 }), ports: fc.array(k8sPort, { maxLength: 2 }) }, { requiredKeys: [] });
const networkPolicy = fc.record({
  podSelector: selector,
  policyTypes: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.option(fc.array(k8sRule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(k8sRule('to'), { maxLength: 2 }), { nil: undefined }),
});

const http = fc.record({ method: fc.constantFrom('GET', 'POST', 'G.*'), path: fc.constantFrom('/a', '/b/.*'), headers: fc.constantFrom(['X-Token: t'], ['X-Token']) }, { requiredKeys: [] });
const ciliumPort = fc.record({ port: fc.constantFrom('80', '8080', '0', 'http', 'dns'), protocol: fc.constantFrom('TCP', 'UDP', 'ANY') }, { requiredKeys: ['port'] });
const toPorts = (deny: boolean) => fc.record({ ports: fc.array(ciliumPort, { minLength: 1, maxLength: 2 }), ...(deny ? {} : { rules: fc.record({ http: fc.array(http, { minLength: 1, maxLength: 2 }) }) }) }, { requiredKeys: ['ports'] });
const ciliumRule = (dir: 'from' | 'to', deny: boolean) =>
  fc.record(
    {
      [`${dir}Endpoints`]: fc.array(ciliumSelector, { maxLength: 2 }),
      [`${dir}Entities`]: fc.subarray(['world', 'cluster', 'all', 'host', 'remote-node']),
      [`${dir}CIDRSet`]: fc.constantFrom([{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }], [{ cidr: '8.8.8.8/32' }]),
      toPorts: fc.array(toPorts(deny), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
const ciliumSpec = fc.record(
  {
    endpointSelector: selector,
    ingress: fc.array(ciliumRule('from', false), { maxLength: 2 }),
    ingressDeny: fc.array(ciliumRule('from', true), { maxLength: 1 }),
    egress: fc.array(ciliumRule('to', false), { maxLength: 2 }),
    egressDeny: fc.array(ciliumRule('to', true), { maxLength: 1 }),
    enableDefaultDeny: fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: ['endpointSelector'] },
);
const policy = fc.oneof(
  fc.record({ kind: fc.constant('NetworkPolicy'), ns: fc.constantFrom(...NAMESPACES), cluster: placement, spec: networkPolicy }),
  fc.record({ kind: fc.constantFrom('CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'), ns: fc.constantFrom(...NAMESPACES), cluster: placement, spec: ciliumSpec }),
);

const PORTS = { none: [], http80: [{ name: 'http', containerPort: 80 }], http8080: [{ name: 'http', containerPort: 8080 }], dns: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] };

type Pod = typeof pod extends fc.Arbitrary<infer T> ? T : never;
type Policy = typeof policy extends fc.Arbitrary<infer T> ? T : never;

function inputOf(pods: Pod[], policies: Policy[], local: boolean): PolicyInput {
  const byCluster = new Map<string | undefined, unknown[]>();
  const add = (cluster: string | undefined, o: unknown) => byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), o]);
  add(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns-a', labels: { env: 'prod' } } });
  add(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns-b', labels: { env: 'dev' } } });
  pods.forEach((p, i) => add(p.cluster, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: p.ns, labels: p.labels }, spec: { containers: [{ name: 'c', ports: PORTS[p.named as keyof typeof PORTS] }] } }));
  policies.forEach((p, i) => {
    const cilium = p.kind !== 'NetworkPolicy';
    const clusterwide = p.kind === 'CiliumClusterwideNetworkPolicy';
    add(p.cluster, { apiVersion: cilium ? 'cilium.io/v2' : 'networking.k8s.io/v1', kind: p.kind, metadata: { name: `pol${i}`, ...(clusterwide ? {} : { namespace: p.ns }) }, spec: JSON.parse(JSON.stringify(p.spec)) });
  });
  const objects: LoadedObject[] = [];
  for (const [cluster, docs] of byCluster) objects.push(...parseManifestText(`${cluster ?? 'all'}.yaml`, docs.map((d) => JSON.stringify(d)).join('\n---\n'), cluster).objects);
  return { objects, clusters: CLUSTERS, options: { policyDefaultLocalCluster: local } };
}

const label = (r: RuleRef | undefined) => r && `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} ${r.section}[${r.index}]`;
const request = fc.record({ port: fc.constantFrom(53, 80, 443, 8080), protocol: fc.constantFrom<Protocol>('TCP', 'UDP'), http: fc.option(fc.record({ method: fc.constantFrom('GET', 'POST'), path: fc.constantFrom('/a', '/b/c', '/c'), headers: fc.constantFrom<Record<string, string>>({}, { 'x-token': 't' }) }), { nil: undefined }) });

test('engine and per-pod reference evaluator agree on every request (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(pod, { minLength: 1, maxLength: 7 }), fc.array(policy, { maxLength: 5 }), fc.boolean(), fc.array(request, { minLength: 1, maxLength: 3 }), (pods, policies, local, requests) => {
      const input = inputOf(pods, policies, local);
      const { engine, endpoints, diagnostics } = buildPolicyEngine(input);
      assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
      const peers: PeerRef[] = [
        ...endpoints.map((endpoint) => ({ kind: 'endpoint' as const, endpoint })),
        { kind: 'external', ip: '10.2.3.4' },
        { kind: 'external', ip: '10.1.0.9' },
        { kind: 'external', ip: '8.8.8.8' },
        { kind: 'entity', entity: 'host', cluster: 'c1' },
        { kind: 'entity', entity: 'remote-node', cluster: 'c2' },
        { kind: 'entity', entity: 'health', cluster: 'c1' },
      ];
      for (const from of peers) {
        for (const to of peers) {
          if (from.kind !== 'endpoint' && to.kind !== 'endpoint') continue;
          for (const r of requests) {
            const req: PolicyRequest = { from, to, port: r.port, protocol: r.protocol, ...(r.http ? { http: r.http } : {}) };
            const v = engine.explain(req);
            const ref = referenceDecision(input, req);
            const where = JSON.stringify({ from: from.kind === 'endpoint' ? `${from.endpoint.cluster}/${from.endpoint.name}` : from, to: to.kind === 'endpoint' ? `${to.endpoint.cluster}/${to.endpoint.name}` : to, port: r.port, protocol: r.protocol, http: r.http });
            assert.equal(v.verdict, ref.verdict, where);
            assert.equal(v.stage, ref.stage, where);
            assert.equal(label(v.egress.rule), ref.egressRule, `egress rule ${where}`);
            assert.equal(label(v.ingress.rule), ref.ingressRule, `ingress rule ${where}`);
            // allowedConnections says the same as explain at L4.
            const plain = r.http ? engine.explain({ from, to, port: r.port, protocol: r.protocol }) : v;
            const c = engine.allowedConnections(from, to);
            const open = c.all || c.ports[r.protocol].some(([a, b]) => r.port >= a && r.port <= b);
            assert.equal(open, plain.verdict === 'allowed', `allowedConnections ${where}`);
          }
        }
      }
    }),
    { numRuns: 200, seed: 20250305 },
  );
});

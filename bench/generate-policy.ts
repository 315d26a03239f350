/**
 * A synthetic workload for bench/policy: `deployments` Deployments of `replicas` pods over 10
 * namespaces (one identity per Deployment and cluster), and `policies` policies mixing
 * Kubernetes NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy at L3, L4 and
 * L7, with deny rules, entities and CIDRs. One manifest, applied to every cluster.
 */
const TIERS = ['web', 'api', 'db', 'cache'];

export function generatePolicyWorkload(deployments: number, replicas: number, policies: number): string {
  const docs: string[] = [];
  for (let n = 0; n < 10; n++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-${n}\n  labels: {team: team-${n}, env: ${n % 2 ? 'prod' : 'staging'}}\n`);
  for (let i = 0; i < deployments; i++) {
    const ns = `team-${i % 10}`;
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ${ns}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: app-${i}}\n  template:\n    metadata:\n      labels: {app: app-${i}, tier: ${TIERS[i % 4]}, team: ${ns}}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/${ns}/app-${i}:1.0.0\n          ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]\n`);
  }
  for (let p = 0; p < policies; p++) docs.push(policy(p, deployments));
  return docs.join('---\n');
}

function policy(p: number, deployments: number): string {
  const ns = `team-${p % 10}`;
  const app = `app-${(p * 7) % deployments}`;
  const from = TIERS[(p + 1) % 4];
  switch (p % 5) {
    case 0:
      return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${p}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels: {app: ${app}}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {tier: ${from}}\n        - namespaceSelector:\n            matchLabels: {env: prod}\n          podSelector:\n            matchLabels: {tier: web}\n      ports:\n        - {port: http, protocol: TCP}\n`;
    case 1:
      return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-egress-${p}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels: {tier: ${TIERS[p % 4]}}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector: {}\n      ports:\n        - {port: 8080, endPort: 8090, protocol: TCP}\n    - to:\n        - ipBlock: {cidr: 10.${p % 200}.0.0/16, except: [10.${p % 200}.1.0/24]}\n`;
    case 2:
      return `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: cnp-l7-${p}\n  namespace: ${ns}\nspec:\n  endpointSelector:\n    matchLabels: {app: ${app}}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {tier: ${from}}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - {method: GET, path: "/api/.*"}\n              - {method: POST, path: "/api/v1/orders", headers: ["X-Token"]}\n`;
    case 3:
      return `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: cnp-${p}\n  namespace: ${ns}\nspec:\n  endpointSelector:\n    matchExpressions:\n      - {key: tier, operator: In, values: [${TIERS[p % 4]}, ${from}]}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {"k8s:io.kubernetes.pod.namespace": team-${(p + 3) % 10}}\n      toPorts:\n        - ports: [{port: "9090", protocol: TCP}]\n    - fromEntities: [cluster]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n  ingressDeny:\n    - fromEndpoints:\n        - matchLabels: {tier: cache}\n      toPorts:\n        - ports: [{port: "9090", protocol: TCP}]\n`;
    default:
      return `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: ccnp-${p}\nspec:\n  endpointSelector:\n    matchLabels: {tier: ${TIERS[p % 4]}, team: ${ns}}\n  egress:\n    - toEndpoints:\n        - matchLabels: {tier: ${from}}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n    - toCIDRSet:\n        - {cidr: 192.168.${p % 250}.0/24, except: [192.168.${p % 250}.128/25]}\n  egressDeny:\n    - toEntities: [world]\n      toPorts:\n        - ports: [{port: "25", protocol: TCP}]\n`;
  }
}

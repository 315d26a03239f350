/**
 * Global services as Cilium 1.16 documents them, worked out by hand:
 * - annotations (pkg/annotation/k8s.go v1.16.0; GetAnnotationIncludeExternal, GetAnnotationShared,
 *   GetAnnotationServiceAffinity in pkg/annotation): the key `service.cilium.io/…` is read before
 *   its older alias, a flag is on when its value is "true" in any case (`strings.ToLower(value) ==
 *   "true"`), shared defaults to true on a global service, the affinity is lower-cased;
 * - load-balancing (Documentation/network/clustermesh/services.rst): a global Service's client
 *   reaches its own backends and those every other cluster exports (global and shared), each
 *   backend with equal weight, so a cluster's share is its ready backends over all reachable ones;
 *   shared "false" keeps a cluster's backends to itself while it still reaches the others;
 * - affinity (Documentation/network/clustermesh/affinity.rst): local uses the local backends and
 *   the remote ones "if and only if all of local backends are not available"; remote the mirror;
 * - the "Global services" count of `cilium clustermesh status` (pkg/clustermesh/services.go: only
 *   remote clusters' shared services fill an agent's cache, keyed by namespace/name).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aggregateService, globalServiceCounts, readGlobalServiceAnnotations, sharesFor, type ServiceInstance } from '../../src/model/index.js';

const copy = (cluster: string, readyBackends: number, extra: Partial<ServiceInstance> = {}): ServiceInstance => ({
  cluster,
  namespace: 'shop',
  name: 'checkout',
  global: true,
  shared: true,
  affinity: 'none',
  headless: false,
  readyBackends,
  ...extra,
});

/** Per client cluster: the share of its requests each cluster answers. */
function shares(instances: ServiceInstance[]): Record<string, Record<string, number>> {
  const agg = aggregateService(instances);
  return Object.fromEntries(agg.clients.map((v) => [v.client, sharesFor(agg, v)]));
}

/** Shares are fractions of backends: equal to the hand-written ones to 1e-12, with the same clusters. */
function assertShares(actual: Record<string, number> | undefined, expected: Record<string, number>, message?: string): void {
  assert.ok(actual, message);
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), message);
  for (const [cluster, share] of Object.entries(expected)) assert.ok(Math.abs(actual[cluster]! - share) < 1e-12, `${message ?? ''} ${cluster}: ${actual[cluster]} is not ${share}`);
}

const view = (instances: ServiceInstance[], client: string) => aggregateService(instances).clients.find((v) => v.client === client)!;

describe('annotations as the agent reads them', () => {
  test('none: a local Service, not shared, affinity none, endpoint-slice sync left to its default', () => {
    assert.deepEqual(readGlobalServiceAnnotations(), { global: false, shared: false, affinity: 'none', syncEndpointSlices: undefined, findings: [] });
    assert.deepEqual(readGlobalServiceAnnotations({ 'app.kubernetes.io/name': 'checkout' }), { global: false, shared: false, affinity: 'none', syncEndpointSlices: undefined, findings: [] });
  });

  test('"true" in any case makes it global and, by default, shared', () => {
    for (const v of ['true', 'True', 'TRUE']) {
      const a = readGlobalServiceAnnotations({ 'service.cilium.io/global': v });
      assert.deepEqual([a.global, a.shared, a.findings], [true, true, []], v);
    }
  });

  test('"false" is not global, without a warning; "yes" is not global either, and says so', () => {
    assert.deepEqual(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'false' }), { global: false, shared: false, affinity: 'none', syncEndpointSlices: undefined, findings: [] });
    assert.deepEqual(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'FALSE' }).findings, []);
    const yes = readGlobalServiceAnnotations({ 'service.cilium.io/global': 'yes' });
    assert.equal(yes.global, false);
    assert.deepEqual(yes.findings, [{ key: 'service.cilium.io/global', value: 'yes', message: 'service.cilium.io/global: "yes" is neither "true" nor "false"; Cilium reads it as false', hint: 'write "true" or "false" (quoted)' }]);
  });

  test('the older aliases io.cilium/global-service, io.cilium/shared-service, io.cilium/service-affinity', () => {
    const a = readGlobalServiceAnnotations({ 'io.cilium/global-service': 'true', 'io.cilium/shared-service': 'false', 'io.cilium/service-affinity': 'remote' });
    assert.deepEqual([a.global, a.shared, a.affinity], [true, false, 'remote']);
  });

  test('the current key wins over its alias', () => {
    assert.equal(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'false', 'io.cilium/global-service': 'true' }).global, false);
    assert.equal(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'io.cilium/global-service': 'false' }).global, true);
    const warned = readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'Local', 'io.cilium/service-affinity': 'nearest' });
    assert.deepEqual([warned.affinity, warned.findings], ['local', []]);
  });

  test('shared "false" keeps a global Service from exporting; shared "True" is shared', () => {
    const a = readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'false' });
    assert.deepEqual([a.global, a.shared], [true, false]);
    assert.equal(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'True' }).shared, true);
  });

  test('affinity in any case; one Cilium does not know is "none", with the values it knows', () => {
    assert.equal(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'LOCAL' }).affinity, 'local');
    assert.equal(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'none' }).affinity, 'none');
    const typo = readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'io.cilium/service-affinity': 'locale' });
    assert.equal(typo.affinity, 'none');
    assert.deepEqual(typo.findings, [{ key: 'io.cilium/service-affinity', value: 'locale', message: 'io.cilium/service-affinity: "locale" is not an affinity Cilium knows; Cilium 1.16 silently treats it as "none"', hint: 'use one of: local, remote, none' }]);
  });

  test('global-sync-endpoint-slices: true, false, or left to the default when absent', () => {
    assert.equal(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/global-sync-endpoint-slices': 'True' }).syncEndpointSlices, true);
    assert.equal(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/global-sync-endpoint-slices': 'false' }).syncEndpointSlices, false);
    assert.equal(readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true' }).syncEndpointSlices, undefined);
    const bad = readGlobalServiceAnnotations({ 'service.cilium.io/global': 'true', 'service.cilium.io/global-sync-endpoint-slices': 'on' });
    assert.deepEqual([bad.syncEndpointSlices, bad.findings.map((f) => f.key)], [false, ['service.cilium.io/global-sync-endpoint-slices']]);
  });
});

describe('shares of an uneven mesh: each backend weighs the same', () => {
  test('2, 4 and 6 ready backends: every client sends 2/12, 4/12 and 6/12 of its requests', () => {
    const s = shares([copy('eu-west', 2), copy('eu-central', 4), copy('us-east', 6)]);
    for (const client of ['eu-west', 'eu-central', 'us-east']) {
      assertShares(s[client], { 'eu-west': 2 / 12, 'eu-central': 4 / 12, 'us-east': 6 / 12 }, client);
    }
  });

  test('the aggregate: exported backends by cluster, and each client\'s local and remote counts', () => {
    const agg = aggregateService([copy('eu-west', 1), copy('eu-central', 3)]);
    assert.deepEqual([agg.namespace, agg.name, [...agg.exported], agg.exportedTotal], ['shop', 'checkout', [['eu-west', 1], ['eu-central', 3]], 4]);
    assert.deepEqual(agg.clients.map((v) => [v.client, v.localReady, v.remoteReady, v.chosen, v.localShare, v.remoteShare]), [
      ['eu-west', 1, 3, 'both', 0.25, 0.75],
      ['eu-central', 3, 1, 'both', 0.75, 0.25],
    ]);
    assert.deepEqual(agg.clients.map((v) => v.note), [undefined, undefined]);
  });

  test('a cluster with no ready backend gets no share and is not listed', () => {
    const s = shares([copy('eu-west', 3), copy('eu-central', 0), copy('us-east', 1)]);
    assert.deepEqual(s['eu-central'], { 'eu-west': 0.75, 'us-east': 0.25 });
    assert.deepEqual(s['eu-west'], { 'eu-west': 0.75, 'us-east': 0.25 });
  });

  test('shared "false" in eu-west: its clients still reach eu-central; eu-central\'s stay home', () => {
    const instances = [copy('eu-west', 2, { shared: false }), copy('eu-central', 6)];
    assert.deepEqual(shares(instances), { 'eu-west': { 'eu-west': 0.25, 'eu-central': 0.75 }, 'eu-central': { 'eu-central': 1 } });
    assert.deepEqual([...aggregateService(instances).exported], [['eu-central', 6]]);
  });

  test('a copy that is not global reaches only its own backends, and exports none', () => {
    const instances = [copy('eu-west', 2, { global: false }), copy('eu-central', 6)];
    assert.deepEqual(shares(instances), { 'eu-west': { 'eu-west': 1 }, 'eu-central': { 'eu-central': 1 } });
    // As `plan --output json` lists it under serviceAggregates: no note when there is nothing to say.
    assert.deepEqual(view(instances, 'eu-west'), { client: 'eu-west', global: false, affinity: 'none', headless: false, localReady: 2, remoteReady: 0, chosen: 'local', localShare: 1, remoteShare: 0 });
  });

  test('a global copy without backends of its own (a consumer): every request goes to the exporters', () => {
    assert.deepEqual(shares([copy('edge', 0), copy('eu-west', 1), copy('eu-central', 3)]).edge, { 'eu-west': 0.25, 'eu-central': 0.75 });
  });
});

describe('affinity', () => {
  const three = (affinity: ServiceInstance['affinity'], local: number) => [copy('eu-west', local, { affinity }), copy('eu-central', 2, { affinity }), copy('us-east', 6, { affinity })];

  test('local with local backends: all requests stay; remote ones are not used', () => {
    assert.deepEqual(shares(three('local', 1))['eu-west'], { 'eu-west': 1 });
    const v = view(three('local', 1), 'eu-west');
    assert.deepEqual([v.chosen, v.localShare, v.remoteShare, v.note], ['local', 1, 0, undefined]);
  });

  test('local with none ready: falls over to the others by their backends, and says so', () => {
    assert.deepEqual(shares(three('local', 0))['eu-west'], { 'eu-central': 0.25, 'us-east': 0.75 });
    assert.equal(view(three('local', 0), 'eu-west').note, 'affinity local, but no local backend is ready: falls over to remote clusters');
  });

  test('remote: only the other clusters, by their backends, while they have some', () => {
    assert.deepEqual(shares(three('remote', 4))['eu-west'], { 'eu-central': 0.25, 'us-east': 0.75 });
    assert.equal(view(three('remote', 4), 'eu-west').note, undefined);
  });

  test('remote with no remote backend ready: falls back to local, and says so', () => {
    const instances = [copy('eu-west', 2, { affinity: 'remote' }), copy('eu-central', 0, { affinity: 'remote' })];
    assert.deepEqual(shares(instances)['eu-west'], { 'eu-west': 1 });
    const v = view(instances, 'eu-west');
    assert.deepEqual([v.chosen, v.note], ['local', 'affinity remote, but no remote backend is ready: falls back to local']);
  });

  test('none with only remote backends: remote, without a note', () => {
    const v = view([copy('eu-west', 0), copy('eu-central', 2)], 'eu-west');
    assert.deepEqual([v.chosen, v.localShare, v.remoteShare, v.note], ['remote', 0, 1, undefined]);
  });

  test('nothing ready anywhere: no share, and requests fail', () => {
    for (const affinity of ['none', 'local', 'remote'] as const) {
      const instances = [copy('eu-west', 0, { affinity }), copy('eu-central', 0, { affinity })];
      const v = view(instances, 'eu-west');
      assert.deepEqual([v.chosen, v.localShare, v.remoteShare, v.note], ['none', 0, 0, 'no ready backend anywhere it can reach: requests fail'], affinity);
      assert.deepEqual(shares(instances)['eu-west'], {});
    }
  });

  test('a local Service with no backend: nothing to reach', () => {
    const v = view([copy('eu-west', 0, { global: false })], 'eu-west');
    assert.deepEqual([v.chosen, v.note], ['none', 'no ready backend anywhere it can reach: requests fail']);
  });
});

describe('headless and endpoint-slice synchronization', () => {
  test('headless global: DNS gives the local pods only, nothing exported, and the note says why', () => {
    const instances = [copy('eu-west', 2, { headless: true }), copy('eu-central', 3, { headless: true })];
    const agg = aggregateService(instances);
    assert.deepEqual([...agg.exported], []);
    assert.deepEqual(shares(instances), { 'eu-west': { 'eu-west': 1 }, 'eu-central': { 'eu-central': 1 } });
    assert.equal(agg.clients[0]!.note, 'headless: not load-balanced by Cilium; DNS returns local pods only, as endpoint-slice synchronization (clustermesh.enableEndpointSliceSynchronization) is off');
  });

  test('a headless copy beside load-balanced ones: its cluster exports nothing, the others still share', () => {
    const instances = [copy('eu-west', 2, { headless: true }), copy('eu-central', 3), copy('us-east', 1)];
    assert.deepEqual([...aggregateService(instances).exported], [['eu-central', 3], ['us-east', 1]]);
    assert.deepEqual(shares(instances)['eu-central'], { 'eu-central': 0.75, 'us-east': 0.25 });
  });

  test('headless but not global: no note', () => {
    assert.equal(view([copy('eu-west', 2, { headless: true, global: false })], 'eu-west').note, undefined);
  });

  test('global-sync-endpoint-slices "true" on a global Service: no effect while the operator\'s sync is off', () => {
    const instances = [copy('eu-west', 2, { syncEndpointSlices: true }), copy('eu-central', 2)];
    assert.equal(view(instances, 'eu-west').note, 'service.cilium.io/global-sync-endpoint-slices has no effect: clustermesh.enableEndpointSliceSynchronization is off');
    assert.equal(view(instances, 'eu-central').note, undefined);
    assert.equal(view([copy('eu-west', 2, { syncEndpointSlices: true, global: false })], 'eu-west').note, undefined);
  });
});

describe('"Global services" in cilium clustermesh status', () => {
  test('a cluster counts the names other clusters export, not those only it exports', () => {
    const exporters = new Map([
      ['shop/checkout', new Set(['eu-west', 'eu-central', 'us-east'])],
      ['shop/ledger', new Set(['eu-west'])],
      ['shop/search', new Set(['eu-central', 'us-east'])],
      ['shop/cart', new Set(['us-east'])],
    ]);
    assert.deepEqual([...globalServiceCounts(['eu-west', 'eu-central', 'us-east'], exporters)], [['eu-west', 3], ['eu-central', 4], ['us-east', 3]]);
  });

  test('no global service: 0 everywhere', () => {
    assert.deepEqual([...globalServiceCounts(['eu-west', 'eu-central'], new Map())], [['eu-west', 0], ['eu-central', 0]]);
  });
});

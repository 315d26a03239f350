import assert from 'node:assert/strict';
import { MeshwrightError } from '../../src/diag/index.js';
import { X509Certificate } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { certificateSummary, type PkiEvent, type ReconcileResult } from '../../src/pki/index.js';
import { referenceLab } from '../helpers/platforms.js';
import { countingCrypto, daysAfter, keyBodies, reconcile, T0, withLoadBalancerIPs, withoutCluster } from '../helpers/pki.js';

const lab = referenceLab();
const actions = (events: PkiEvent[]) => Object.fromEntries(events.map((e) => [e.id, e.reason ? `${e.action}: ${e.reason}` : e.action]));
const leafIds = (r: ReconcileResult) => Object.keys(r.state).filter((id) => id !== 'ca');

describe('reconcilePki on the reference lab', () => {
  let first: ReconcileResult;
  before(async () => {
    first = await reconcile(lab);
  });

  test('an empty state: everything created, PEM certificates and PKCS#8 keys', () => {
    assert.equal(first.events.length, 11);
    assert.ok(first.events.every((e) => e.action === 'created'), JSON.stringify(first.events));
    for (const [id, pair] of Object.entries(first.state)) {
      assert.match(pair.certPem, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/, id);
      assert.match(pair.keyPem, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/, id);
    }
  });

  test('validity: notBefore 5 minutes before now, notAfter now + lifetime', () => {
    const ca = new X509Certificate(first.state.ca!.certPem);
    assert.equal(new Date(ca.validFrom).toISOString(), new Date(T0.getTime() - 5 * 60_000).toISOString());
    assert.equal(new Date(ca.validTo).toISOString(), daysAfter(3650).toISOString());
    const server = first.pki.clusters['k8s-cilium-01']!.clustermeshServer!;
    assert.equal(server.notAfter, daysAfter(1095).toISOString());
    assert.deepEqual(server.ipAddresses, ['127.0.0.1', '::1', '172.26.0.102']);
  });

  test('the MeshPki render reads: every certificate where ClusterCerts puts it', () => {
    const c2 = first.pki.clusters['k8s-cilium-02']!;
    assert.equal(c2.clustermeshRemote?.commonName, 'remote');
    assert.equal(c2.clustermeshLocal?.commonName, 'local-k8s-cilium-02');
    assert.equal(c2.hubbleServer?.commonName, '*.k8s-cilium-02.hubble-grpc.cilium.io');
    assert.equal(c2.hubbleRelayClient, undefined);
    assert.equal(c2.clustermeshAdmin?.key, first.state['k8s-cilium-02/clustermesh-admin']!.keyPem);
    assert.deepEqual(Object.keys(first.pki.clusters), ['k8s-cilium-01', 'k8s-cilium-02']);
  });

  test('the same state again: every byte reused, no key generated, all events "reused"', async () => {
    const { crypto, calls } = countingCrypto();
    const second = await reconcile(lab, first.state, { crypto });
    assert.deepEqual(second.state, first.state);
    assert.deepEqual(second.pki, first.pki);
    assert.ok(second.events.every((e) => e.action === 'reused' && !e.reason), JSON.stringify(second.events));
    assert.deepEqual(calls, { generateKey: 0, getRandomValues: 0 });
  });

  test('keys and serial numbers come from the injected crypto', async () => {
    const { crypto, calls } = countingCrypto();
    await reconcile(lab, {}, { crypto });
    assert.deepEqual(calls, { generateKey: 11, getRandomValues: 11 });
  });

  test('rotateCa: a new CA and every leaf reissued under it', async () => {
    const rotated = await reconcile(lab, first.state, { rotateCa: true });
    assert.notEqual(rotated.state.ca!.certPem, first.state.ca!.certPem);
    assert.deepEqual(actions(rotated.events).ca, 'reissued: rotation requested');
    for (const id of leafIds(rotated)) {
      assert.equal(actions(rotated.events)[id], 'reissued: CA rotated', id);
      assert.ok(new X509Certificate(rotated.state[id]!.certPem).checkIssued(new X509Certificate(rotated.state.ca!.certPem)), id);
    }
  });

  test('a changed VIP: only that cluster\'s server certificate is reissued', async () => {
    const moved = await reconcile(withLoadBalancerIPs(lab, 'k8s-cilium-02', ['172.26.0.105', '172.26.0.107']), first.state);
    const changed = moved.events.filter((e) => e.action !== 'reused');
    assert.deepEqual(changed, [{ id: 'k8s-cilium-02/clustermesh-server', action: 'reissued', reason: 'SANs changed' }]);
    assert.deepEqual(moved.pki.clusters['k8s-cilium-02']!.clustermeshServer?.ipAddresses, ['127.0.0.1', '::1', '172.26.0.107']);
    for (const id of Object.keys(first.state).filter((x) => x !== 'k8s-cilium-02/clustermesh-server')) assert.deepEqual(moved.state[id], first.state[id], id);
  });

  test('a dropped cluster: its certificates leave the state, with "removed" events', async () => {
    const solo = await reconcile(withoutCluster(lab, 'k8s-cilium-02'), first.state);
    assert.ok(Object.keys(solo.state).every((id) => !id.startsWith('k8s-cilium-02/')));
    assert.deepEqual(Object.keys(solo.pki.clusters), ['k8s-cilium-01']);
    const removed = solo.events.filter((e) => e.action === 'removed').map((e) => e.id);
    assert.deepEqual(removed, Object.keys(first.state).filter((id) => id.startsWith('k8s-cilium-02/')).sort());
    assert.ok(solo.events.filter((e) => e.action === 'removed').every((e) => e.reason === 'no longer in the platform'), JSON.stringify(solo.events));
    assert.ok(solo.events.filter((e) => e.action !== 'removed').every((e) => e.action === 'reused'));
  });

  test('a leaf signed by another CA, or holding the wrong key, is reissued (not an error)', async () => {
    const other = await reconcile(lab);
    const mixed = { ...first.state, 'k8s-cilium-01/clustermesh-remote': other.state['k8s-cilium-01/clustermesh-remote']!, 'k8s-cilium-01/clustermesh-admin': { ...first.state['k8s-cilium-01/clustermesh-admin']!, keyPem: first.state['k8s-cilium-01/clustermesh-local']!.keyPem } };
    const fixed = await reconcile(lab, mixed);
    assert.equal(actions(fixed.events)['k8s-cilium-01/clustermesh-remote'], 'reissued: signed by another CA');
    assert.equal(actions(fixed.events)['k8s-cilium-01/clustermesh-admin'], 'reissued: key does not match the certificate');
    assert.equal(fixed.events.filter((e) => e.action !== 'reused').length, 2);
  });

  test('a CA swapped for another whole CA stops with PKI_CA_FOREIGN instead of re-issuing the mesh; --rotate-ca is the way', async () => {
    const other = await reconcile(lab);
    const swapped = { ...first.state, ca: other.state.ca! };
    await assert.rejects(() => reconcile(lab, swapped), (e: unknown) => e instanceof MeshwrightError && e.diagnostics[0]!.code === 'PKI_CA_FOREIGN' && /--rotate-ca/.test(e.diagnostics[0]!.hint ?? ''));
    const rotated = await reconcile(lab, swapped, { rotateCa: true });
    assert.ok(rotated.events.filter((e) => e.id !== 'ca').every((e) => e.action === 'reissued'));
  });

  test('events and the summary carry no key material, whatever happened', async () => {
    const runs = [
      first,
      await reconcile(lab, first.state),
      await reconcile(lab, first.state, { rotateCa: true }),
      await reconcile(withoutCluster(lab, 'k8s-cilium-01'), first.state),
      await reconcile(lab, first.state, { now: daysAfter(1100) }),
    ];
    const keys = runs.flatMap((r) => keyBodies(r.state));
    for (const r of runs) {
      const printed = JSON.stringify([r.events, certificateSummary(r.pki, T0)]);
      assert.ok(!printed.includes('-----BEGIN') && !keys.some((k) => printed.includes(k)), printed);
    }
  });

});

describe('reconcilePki: a broken CA in the state is an error, never silently replaced', () => {
  test('foreign key → PKI_CA_FOREIGN; garbage → PKI_CA_CORRUPT; --rotate-ca gets past both', async () => {
    const a = await reconcile(lab);
    const b = await reconcile(lab);
    const foreign = { ...a.state, ca: { certPem: a.state.ca!.certPem, keyPem: b.state.ca!.keyPem } };
    await assert.rejects(reconcile(lab, foreign), (e: Error & { diagnostics?: { code: string }[] }) => e.diagnostics?.[0]?.code === 'PKI_CA_FOREIGN');
    const garbage = { ...a.state, ca: { certPem: 'not a certificate', keyPem: a.state.ca!.keyPem } };
    await assert.rejects(reconcile(lab, garbage), (e: Error & { diagnostics?: { code: string }[] }) => e.diagnostics?.[0]?.code === 'PKI_CA_CORRUPT');
    const leafAsCa = { ...a.state, ca: a.state['k8s-cilium-01/clustermesh-server']! };
    await assert.rejects(reconcile(lab, leafAsCa), (e: Error & { diagnostics?: { code: string }[] }) => e.diagnostics?.[0]?.code === 'PKI_CA_FOREIGN');
    const rotated = await reconcile(lab, garbage, { rotateCa: true });
    assert.equal(rotated.events[0]!.action, 'reissued');
  });
});

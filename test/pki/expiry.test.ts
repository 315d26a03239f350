import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { certificateSummary, type PkiEvent, type ReconcileResult } from '../../src/pki/index.js';
import { referenceLab } from '../helpers/platforms.js';
import { daysAfter, reconcile, T0 } from '../helpers/pki.js';

const lab = referenceLab();
const actions = (events: PkiEvent[]) => Object.fromEntries(events.map((e) => [e.id, e.reason ? `${e.action}: ${e.reason}` : e.action]));
const leafIds = (r: ReconcileResult) => Object.keys(r.state).filter((id) => id !== 'ca');

/** Leaves renew when 30 days or a third of their 1095 days remain; the CA is never renewed silently. */
describe('expiry', () => {
  let first: ReconcileResult;
  before(async () => {
    first = await reconcile(lab);
  });

  test('twelve days before expiry: leaves reissued ("expires in 12 days"), the CA kept', async () => {
    const late = await reconcile(lab, first.state, { now: daysAfter(1095 - 12) });
    assert.equal(actions(late.events).ca, 'reused');
    for (const id of leafIds(late)) assert.equal(actions(late.events)[id], 'reissued: expires in 12 days', id);
    assert.equal(late.state.ca, first.state.ca);
  });

  test('three years later: leaves reissued as expired, new ones valid from the new now', async () => {
    const now = new Date('2028-03-01T12:00:00Z');
    const later = await reconcile(lab, first.state, { now });
    for (const id of leafIds(later)) assert.match(actions(later.events)[id]!, /^reissued: expired 1 day ago$/, id);
    assert.equal(actions(later.events).ca, 'reused');
    const row = certificateSummary(later.pki, now).find((r) => r.id === 'k8s-cilium-01/clustermesh-server')!;
    assert.equal(row.daysLeft, 1095);
  });

  test('a CA with less than a leaf\'s lifetime left is kept, with a warning to rotate it', async () => {
    const old = await reconcile(lab, first.state, { now: daysAfter(3650 - 200) });
    assert.equal(actions(old.events).ca, 'reused: expires in 200 days: plan a --rotate-ca');
    assert.equal(old.state.ca, first.state.ca);
  });

  test('kept while more than a third of the lifetime and 30 days remain', async () => {
    const mid = await reconcile(lab, first.state, { now: daysAfter(700) });
    assert.ok(mid.events.every((e) => e.action === 'reused'), JSON.stringify(mid.events));
    const due = await reconcile(lab, first.state, { now: daysAfter(731) });
    assert.match(actions(due.events)['k8s-cilium-01/clustermesh-admin']!, /^reissued: expires in 364 days$/);
  });

  test('a clock with milliseconds: X.509 keeps seconds, and a fresh leaf still has 1095 days left', async () => {
    const now = new Date(T0.getTime() + 999);
    const r = await reconcile(lab, {}, { now });
    const row = certificateSummary(r.pki, now).find((x) => x.id === 'k8s-cilium-01/hubble-server')!;
    assert.deepEqual([row.notAfter, row.daysLeft], [daysAfter(1095).toISOString(), 1095]);
  });

  test('certificateSummary: CA first, expiry and days left, public facts only', () => {
    const rows = certificateSummary(first.pki, daysAfter(95));
    // A CA certificate names no host and has no extended key usage; it is backdated 5 minutes for clock skew.
    assert.deepEqual(rows[0], { id: 'ca', commonName: 'meshwright mesh CA cilium-lab', dnsNames: [], ipAddresses: [], usages: [], notBefore: new Date(T0.getTime() - 5 * 60_000).toISOString(), notAfter: daysAfter(3650).toISOString(), daysLeft: 3555 });
    const server = rows.find((r) => r.id === 'k8s-cilium-01/clustermesh-server')!;
    assert.deepEqual([server.usages, server.ipAddresses.includes('172.26.0.102')], [['server', 'client'], true]);
    assert.equal(rows.length, 11);
    assert.ok(rows.slice(1).every((r) => r.daysLeft === 1000), JSON.stringify(rows));
  });
});

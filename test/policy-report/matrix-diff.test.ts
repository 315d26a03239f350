/**
 * The baseline comparison in netpol-analyzer diff's text format
 * (pkg/netpol/diff/diff_formatter_text.go; sample: test_outputs/diff/
 * diff_between_onlineboutique_workloads_changed_netpols_and_onlineboutique_workloads.txt, whose
 * lines read "diff-type: changed, source: …, destination: …, old: TCP 7070, new: TCP 8000",
 * changed lines first, then added, then removed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffPairs, diffText, pairsFromCells, pairsFromConnlist } from '../../src/policy-report/index.js';

const OLD = [
  'default/checkoutservice[Deployment] => default/cartservice[Deployment] : TCP 7070',
  'default/checkoutservice[Deployment] => default/currencyservice[Deployment] : TCP 7000',
  'default/frontend[Deployment] => default/adservice[Deployment] : TCP 9555',
  'default/redis-cart[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
].join('\n');
const NEW = [
  'default/checkoutservice[Deployment] => default/cartservice[Deployment] : TCP 8000',
  'default/cartservice[Deployment] => default/emailservice[Deployment] : TCP 9555',
  'default/checkoutservice[Deployment] => default/adservice[Deployment] : TCP 9555',
].join('\n');

test('changed, then added, then removed, each sorted by source and destination; a missing side is "No Connections"', () => {
  const text = diffText(diffPairs(pairsFromConnlist(OLD).pairs, pairsFromConnlist(NEW).pairs));
  assert.equal(
    text,
    [
      'Connectivity diff:',
      'diff-type: changed, source: default/checkoutservice[Deployment], destination: default/cartservice[Deployment], old: TCP 7070, new: TCP 8000',
      'diff-type: added, source: default/cartservice[Deployment], destination: default/emailservice[Deployment], old: No Connections, new: TCP 9555',
      'diff-type: added, source: default/checkoutservice[Deployment], destination: default/adservice[Deployment], old: No Connections, new: TCP 9555',
      'diff-type: removed, source: default/checkoutservice[Deployment], destination: default/currencyservice[Deployment], old: TCP 7000, new: No Connections',
      'diff-type: removed, source: default/frontend[Deployment], destination: default/adservice[Deployment], old: TCP 9555, new: No Connections',
      'diff-type: removed, source: default/redis-cart[Deployment], destination: 0.0.0.0-255.255.255.255[External], old: All Connections, new: No Connections',
      '',
    ].join('\n'),
  );
});

test('nothing changed: "No connections diff"; a line that is not a connlist line is reported by number', () => {
  assert.equal(diffText(diffPairs(pairsFromConnlist(OLD).pairs, pairsFromConnlist(`${OLD}\n\n`).pairs)), 'No connections diff\n');
  assert.deepEqual(pairsFromConnlist('a => b : TCP 1\nnot a line\n').bad, [2]);
});

test('matrix cells: "none" and an L3/L4 drop are no connection; a 403 from the proxy and unknown are kept', () => {
  const pairs = pairsFromCells([
    { from: 'a', to: 'b', connections: 'none' },
    { from: 'a', to: 'c', connections: 'TCP 80' },
    { from: 'b', to: 'a', verdict: 'denied', stage: 'l3-l4' },
    { from: 'b', to: 'c', verdict: 'denied', stage: 'l7' },
    { from: 'c', to: 'a', verdict: 'unknown' },
    { from: 'c', to: 'b', verdict: 'allowed' },
  ]);
  assert.deepEqual([...pairs.values()].map((p) => `${p.from}>${p.to}:${p.conn}`), ['a>c:TCP 80', 'b>c:denied (L7 403)', 'c>a:unknown', 'c>b:allowed']);
});

test('a baseline saved with CRLF line ends or padded lines reads the same', () => {
  const crlf = `${OLD.split('\n').map((l) => `  ${l}\r`).join('\n')}\r\n`;
  assert.deepEqual(pairsFromConnlist(crlf), pairsFromConnlist(OLD));
  assert.equal(diffText(diffPairs(pairsFromConnlist(crlf).pairs, pairsFromConnlist(OLD).pairs)), 'No connections diff\n');
});

/**
 * The connection text of `policy matrix` and `-o connlist`, as netpol-analyzer prints it: its port
 * sets are np-guard/models' interval.CanonicalSet ("an ordered slice of non-overlapping,
 * non-touching intervals", pkg/interval/intervalset.go: AddInterval joins an interval that
 * touches or overlaps), written "a-b" or "a", joined by ",", after the protocol.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ConnectionSet } from '../../src/model/policy-engine/index.js';
import { formatConnections, isEmpty } from '../../src/policy-report/index.js';
import { cli } from '../helpers/cli.js';

const set = (ports: Partial<ConnectionSet['ports']>, all = false): ConnectionSet => ({ all, ports: { TCP: [], UDP: [], SCTP: [], ...ports }, l7: false });

describe('connection sets as netpol-analyzer writes them', () => {
  test('ports given in any order come out sorted; touching ones join, one inside another disappears', () => {
    assert.equal(formatConnections(set({ TCP: [[9005, 9005], [9000, 9010], [8081, 8081], [8080, 8080]] })), 'TCP 8080-8081,9000-9010');
    assert.equal(formatConnections(set({ TCP: [[9090, 9090], [8080, 8080]] })), 'TCP 8080,9090');
    // Two ranges starting together: the longer wins whichever comes first.
    assert.equal(formatConnections(set({ TCP: [[100, 200], [100, 150]] })), 'TCP 100-200');
    assert.equal(formatConnections(set({ TCP: [[100, 150], [100, 200], [202, 210]] })), 'TCP 100-200,202-210');
  });
  // netpol-analyzer's eval tests expect e.g. "SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535".
  test('protocols in netpol-analyzer order, an empty one left out; all ports is "All Connections"', () => {
    assert.equal(formatConnections(set({ UDP: [[53, 53]], TCP: [[10053, 10054]], SCTP: [[9, 9]] })), 'SCTP 9,TCP 10053-10054,UDP 53');
    assert.equal(formatConnections(set({}, true)), 'All Connections');
    assert.equal(isEmpty(set({})), true);
    assert.equal(isEmpty(set({ SCTP: [[9, 9]] })), false);
    assert.equal(isEmpty(set({}, true)), false);
  });
  test('two policies each opening one port: the list names both (netpol-analyzer docs, exposure_test_real_namespace_with_matching_pod)', async () => {
    const dir = 'test/fixtures/policy-cli/two-ports';
    const r = await cli(['policy', 'matrix', '-f', `${dir}/manifests.yaml`, '-o', 'connlist']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(`${dir}/expected.connlist`, 'utf8'));
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FlowPrinter, type Flow, type FlowRecord, type OutputFormat } from '../../src/observe/index.js';
import { assertGolden, TEST_ROOT } from '../helpers/golden.js';

/**
 * The oracle: cilium/cilium hubble/pkg/printer/printer_test.go TestPrinter_WriteProtoFlow, its
 * flow `f` and the lines it expects (the cases hubble v1.16.6's printer has: no policy names,
 * no trace IDs).
 */
const f: Flow = {
  time: '1970-01-01T00:20:34.567800Z',
  Type: 'L3_L4',
  node_name: 'k8s1',
  verdict: 'DROPPED',
  IP: { source: '1.1.1.1', destination: '2.2.2.2' },
  source: { identity: 4 },
  destination: { identity: 12345 },
  l4: { TCP: { source_port: 31793, destination_port: 8080 } },
  event_type: { type: 1, sub_type: 133 },
  Summary: 'TCP Flags: SYN',
  is_reply: false,
};

function print(flows: Flow[], output: OutputFormat, opts: { nodeName?: boolean; color?: boolean } = {}): string {
  let out = '';
  const p = new FlowPrinter({ output, ...opts }, (t) => (out += t));
  for (const flow of flows) p.flow({ flow, node_name: flow.node_name ?? '', time: flow.time ?? '' });
  p.close();
  return out;
}

describe('printer: hubble printer_test.go expectations', () => {
  it('tabular', () => assert.equal(print([f], 'table').trim(), 'TIMESTAMP             SOURCE          DESTINATION    TYPE            VERDICT   SUMMARY\nJan  1 00:20:34.567   1.1.1.1:31793   2.2.2.2:8080   Policy denied   DROPPED   TCP Flags: SYN'));
  it('tabular-with-node', () =>
    assert.equal(print([f], 'table', { nodeName: true }).trim(), 'TIMESTAMP             NODE   SOURCE          DESTINATION    TYPE            VERDICT   SUMMARY\nJan  1 00:20:34.567   k8s1   1.1.1.1:31793   2.2.2.2:8080   Policy denied   DROPPED   TCP Flags: SYN'));
  it('compact', () => assert.equal(print([f], 'compact'), 'Jan  1 00:20:34.567: 1.1.1.1:31793 (health) -> 2.2.2.2:8080 (ID:12345) Policy denied DROPPED (TCP Flags: SYN)\n'));
  it('compact-with-node', () => assert.equal(print([f], 'compact', { nodeName: true }), 'Jan  1 00:20:34.567 [k8s1]: 1.1.1.1:31793 (health) -> 2.2.2.2:8080 (ID:12345) Policy denied DROPPED (TCP Flags: SYN)\n'));
  it('compact-reply: the arrow and the ends flip', () =>
    assert.equal(print([{ ...f, is_reply: true }], 'compact', { nodeName: true }), 'Jan  1 00:20:34.567 [k8s1]: 2.2.2.2:8080 (ID:12345) <- 1.1.1.1:31793 (health) Policy denied DROPPED (TCP Flags: SYN)\n'));
  it('compact-direction-unknown', () => {
    const { is_reply: _, ...unknown } = f;
    assert.equal(print([unknown], 'compact', { nodeName: true }), 'Jan  1 00:20:34.567 [k8s1]: 1.1.1.1:31793 (health) <> 2.2.2.2:8080 (ID:12345) Policy denied DROPPED (TCP Flags: SYN)\n');
  });
  it('compact-policy-verdict-denied', () => {
    const { is_reply: _, ...rest } = f;
    const denied: Flow = { ...rest, event_type: { type: 5 }, traffic_direction: 'EGRESS', egress_denied_by: [{ name: 'my-policy', namespace: 'my-policy-namespace' }] };
    assert.equal(print([denied], 'compact', { nodeName: true }), 'Jan  1 00:20:34.567 [k8s1]: 1.1.1.1:31793 (health) <> 2.2.2.2:8080 (ID:12345) policy-verdict:none EGRESS DENIED (TCP Flags: SYN)\n');
  });
  it('jsonpb: one GetFlowsResponse per line, proto names, in declaration order', () => {
    let out = '';
    const p = new FlowPrinter({ output: 'json' }, (t) => (out += t));
    // the record as the client builds it from the wire (declaration order), see observer.test.ts
    p.flow({ flow: f, node_name: 'k8s1', time: '1970-01-01T00:20:34.567800Z' } as FlowRecord);
    const line = JSON.parse(out) as { flow: Flow };
    assert.deepEqual(line.flow, JSON.parse('{"time":"1970-01-01T00:20:34.567800Z","verdict":"DROPPED","IP":{"source":"1.1.1.1","destination":"2.2.2.2"},"l4":{"TCP":{"source_port":31793,"destination_port":8080}},"source":{"identity":4},"destination":{"identity":12345},"Type":"L3_L4","node_name":"k8s1","event_type":{"type":1,"sub_type":133},"is_reply":false,"Summary":"TCP Flags: SYN"}'));
    assert.ok(out.endsWith('}\n'));
  });
  it('colours as fatih/color writes them, compact only', () => {
    const line = print([f], 'compact', { color: true });
    assert.match(line, /\x1b\[36m1\.1\.1\.1:\x1b\[33m31793\x1b\[0m\x1b\[0m \x1b\[35m\(health\)\x1b\[0m -> /);
    assert.match(line, /\x1b\[31mDROPPED\x1b\[0m/);
    assert.doesNotMatch(print([f], 'table', { color: true }), /\x1b/);
  });
});

describe('printer: the lab flows (golden files)', () => {
  const records = readFileSync(join(TEST_ROOT, 'fixtures', 'observe', 'lab-flows.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as FlowRecord);
  const run = (output: OutputFormat, nodeName = false) => {
    let out = '';
    const p = new FlowPrinter({ output, nodeName }, (t) => (out += t));
    for (const r of records) p.flow(r);
    p.close();
    return out;
  };
  it('compact', () => assertGolden('observe/lab-flows-compact.txt', run('compact')));
  it('compact with node names', () => assertGolden('observe/lab-flows-compact-nodes.txt', run('compact', true)));
  it('table', () => assertGolden('observe/lab-flows-table.txt', run('table')));
  it('json: each line is the record as read', () => assert.deepEqual(run('json').trim().split('\n').map((l) => JSON.parse(l)), records));
  it('json escapes HTML characters as Go does (\\u0026 for &)', () => {
    const out = print([{ ...f, l7: { type: 'REQUEST', http: { url: 'http://a/?x=1&y=2' } } }], 'json');
    assert.doesNotMatch(out, /&/);
    assert.match(out, /x=1\\u0026y=2/);
  });
});

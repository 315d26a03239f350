import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlagError, flowsRequest, type ObserveFlags } from '../../src/observe/index.js';

/**
 * `hubble observe` flags → GetFlowsRequest. Expectations from cilium/cilium
 * hubble/cmd/observe/flows_filter_test.go (TestNamespace, TestFilterLeftRight, TestFilterType,
 * TestTrafficDirection; the cases of flags meshwright has) and flows.go getFlowsRequest (defaults).
 */
const NOW = new Date('2024-08-01T12:00:00Z');
const filters = (flags: ObserveFlags) => flowsRequest(flags, NOW).whitelist;

describe('request: filters as hubble builds them (flows_filter_test.go)', () => {
  const cases: Array<[string, ObserveFlags, unknown[]]> = [
    ['any request from or to namespace with port', { namespace: ['cilium'], port: ['443'] }, [{ source_pod: ['cilium/'], source_port: ['443'] }, { destination_pod: ['cilium/'], destination_port: ['443'] }]],
    ['any request from namespace with port', { fromNamespace: ['cilium'], fromPort: ['443'] }, [{ source_pod: ['cilium/'], source_port: ['443'] }]],
    ['any request to namespace', { toNamespace: ['cilium'] }, [{ destination_pod: ['cilium/'] }]],
    ['any request to namespace with port', { toNamespace: ['cilium'], port: ['443'] }, [{ destination_pod: ['cilium/'], source_port: ['443'] }, { destination_pod: ['cilium/'], destination_port: ['443'] }]],
    ['any request from or to namespace and pod', { namespace: ['cilium'], pod: ['foo-9c76d6c95-tf788'] }, [{ source_pod: ['cilium/foo-9c76d6c95-tf788'] }, { destination_pod: ['cilium/foo-9c76d6c95-tf788'] }]],
    ['any request to namespace and pod with namespace', { toNamespace: ['cilium'], toPod: ['cilium/foo-9c76d6c95-tf788'] }, [{ destination_pod: ['cilium/foo-9c76d6c95-tf788'] }]],
    ['any request from namespace to pod with namespace', { fromNamespace: ['kube-system'], toPod: ['cilium/foo-9c76d6c95-tf788'] }, [{ source_pod: ['kube-system/'], destination_pod: ['cilium/foo-9c76d6c95-tf788'] }]],
    [
      'left and right (TestFilterLeftRight, its whitelist)',
      { ip: ['1.2.3.4', '5.6.7.8'], verdict: ['DROPPED'], httpMethod: ['get'], httpPath: ['/page/\\d+'], nodeName: ['k8s*'] },
      [
        { source_ip: ['1.2.3.4', '5.6.7.8'], verdict: ['DROPPED'], http_method: ['get'], http_path: ['/page/\\d+'], node_name: ['k8s*'] },
        { destination_ip: ['1.2.3.4', '5.6.7.8'], verdict: ['DROPPED'], http_method: ['get'], http_path: ['/page/\\d+'], node_name: ['k8s*'] },
      ],
    ],
    ['traffic direction, any case', { trafficDirection: ['INGRESS', 'EgrEss'] }, [{ traffic_direction: ['INGRESS', 'EGRESS'] }]],
    [
      'types (TestFilterType, the flow types)',
      { type: ['254', '255:127', 'trace:to-endpoint', 'trace:from-endpoint', '4:2'] },
      [{ event_type: [{ type: 254 }, { type: 255, match_sub_type: true, sub_type: 127 }, { type: 4, match_sub_type: true, sub_type: 0 }, { type: 4, match_sub_type: true, sub_type: 5 }, { type: 4, match_sub_type: true, sub_type: 2 }] }],
    ],
    ['--cluster is a node-name pattern of the cluster (flows_filter.go)', { cluster: ['k8s-cilium-02'] }, [{ node_name: ['k8s-cilium-02/'] }]],
  ];
  for (const [name, flags, want] of cases) it(name, () => assert.deepEqual(filters(flags) ?? [], want));

  it('conflicting pod and namespace', () => assert.throws(() => filters({ toNamespace: ['kube-system'], toPod: ['cilium/foo-9c76d6c95-tf788'] }), /namespace conflict: "kube-system" does not contain "cilium\/foo-9c76d6c95-tf788"/));
  it('conflicting svc and namespace', () => assert.throws(() => filters({ fromNamespace: ['kube-system'], fromService: ['cilium/foo'] }), /namespace conflict: "kube-system" does not contain "cilium\/foo"/));
  it('conflicting svc and pod', () => assert.throws(() => filters({ fromService: ['cilium/foo'], fromPod: ['kube-system/hubble'] }), /namespace of service "cilium\/foo" conflict with pod "kube-system"/));
  for (const t of ['some-invalid-type', 'trace:some-invalid-sub-type'])
    it(`type ${t} is refused`, () => assert.throws(() => filters({ type: [t] }), (e: unknown) => e instanceof FlagError && e.kind === 'value'));
  it('an invalid traffic direction is refused', () => assert.throws(() => filters({ trafficDirection: ['to the moon'] }), /to the moon: invalid traffic direction, expected ingress or egress/));
  it('flags that cannot be combined (newFlowFilter conflicts)', () => {
    assert.throws(() => filters({ label: ['a'], fromLabel: ['b'] }), /filters --label and --from-label cannot be combined/);
    assert.throws(() => filters({ fromPod: ['x'], namespace: ['y'] }), /cannot be combined/);
  });
});

describe('request: number, first, follow, since and until (flows.go getFlowsRequest)', () => {
  it('20 flows when neither --last, --follow nor a time range is given (defaults.FlowPrintCount)', () => assert.deepEqual(flowsRequest({}, NOW), { number: '20' }));
  it('--follow alone asks for no history', () => assert.deepEqual(flowsRequest({ follow: true }, NOW), { number: '0', follow: true }));
  it('--all asks for every flow (the largest uint64)', () => assert.equal(flowsRequest({ all: true }, NOW).number, '18446744073709551615'));
  it('--first N sets first', () => assert.deepEqual(flowsRequest({ first: 5 }, NOW), { number: '5', first: true }));
  it('--since 5m is five minutes before now, and leaves number 0', () => assert.deepEqual(flowsRequest({ since: '5m' }, NOW), { number: '0', since: '2024-08-01T11:55:00.000Z' }));
  it('--until is ignored when following', () => assert.deepEqual(flowsRequest({ until: '2024-08-01T10:00:00Z', follow: true }, NOW), { number: '0', follow: true }));
  it('times in hubble\'s layouts', () => {
    assert.equal(flowsRequest({ since: '2024-08-01' }, NOW).since, '2024-08-01T00:00:00Z');
    assert.equal(flowsRequest({ since: '2024-08-01T10Z' }, NOW).since, '2024-08-01T10:00:00.000Z');
    assert.equal(flowsRequest({ since: '2024-08-01T10:30+02:00' }, NOW).since, '2024-08-01T08:30:00.000Z');
    assert.equal(flowsRequest({ since: '2024-08-01T10:00:00.123456789Z' }, NOW).since, '2024-08-01T10:00:00.123456789Z');
    assert.equal(flowsRequest({ since: '1h30m' }, NOW).since, '2024-08-01T10:30:00.000Z');
  });
  it('--first with --last, --all or --follow is refused', () => {
    for (const f of [{ first: 1, last: 1 }, { first: 1, all: true }, { first: 1, follow: true }, { last: 1, all: true }]) assert.throws(() => flowsRequest(f, NOW), (e: unknown) => e instanceof FlagError && e.kind === 'usage');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRequestFilter, FilterError, type Flow, type FlowFilter } from '../../src/observe/index.js';

/**
 * Cases transcribed from cilium's own filter tests (cilium/cilium pkg/hubble/filters/*_test.go,
 * main as mirrored; the filters are those of v1.16.6): the FlowFilters, the flows (protojson
 * names) and the expected verdicts as written there.
 */
function check(filters: FlowFilter[], flows: Flow[], want: boolean[]): void {
  const matches = buildRequestFilter(filters);
  assert.deepEqual(
    flows.map((flow) => matches({ flow, node_name: '', time: '' })),
    want,
  );
}

const src = (namespace: string, pod_name: string): Flow => ({ source: { namespace, pod_name } });
const pair = (s: [string, string], d: [string, string]): Flow => ({ source: { namespace: s[0], pod_name: s[1] }, destination: { namespace: d[0], pod_name: d[1] } });
const srcLabels = (labels: string[] | undefined): Flow => ({ source: labels ? { labels } : {} });
const http = (h: NonNullable<NonNullable<Flow['l7']>['http']>): Flow => ({ event_type: { type: 129 }, l7: { http: h } });
const L7 = [{ type: 129 }];

describe('filters: pods (k8s_test.go TestPodFilter)', () => {
  it('source pod: a bare name is in default', () =>
    check([{ source_pod: ['xwing', 'default/tiefighter'] }], [src('default', 'xwing'), src('default', 'tiefighter'), src('kube-system', 'xwing'), { destination: { namespace: 'default', pod_name: 'xwing' } }], [true, true, false, false]));
  it('source and destination pod in one filter: both must match', () =>
    check(
      [{ source_pod: ['xwing', 'tiefighter'], destination_pod: ['deathstar'] }],
      [pair(['default', 'xwing'], ['default', 'deathstar']), pair(['default', 'tiefighter'], ['default', 'deathstar']), pair(['default', 'deathstar'], ['default', 'xwing']), pair(['default', 'tiefighter'], ['default', 'xwing'])],
      [true, true, false, false],
    ));
  it('source or destination pod: two filters are alternatives', () =>
    check(
      [{ source_pod: ['xwing'] }, { destination_pod: ['deathstar'] }],
      [pair(['default', 'xwing'], ['default', 'deathstar']), pair(['default', 'tiefighter'], ['default', 'deathstar']), pair(['default', 'deathstar'], ['default', 'xwing']), pair(['default', 'tiefighter'], ['default', 'xwing'])],
      [true, true, false, false],
    ));
  it('namespace filter: `ns/` is every pod of the namespace', () =>
    check(
      [{ source_pod: ['kube-system/'] }, { destination_pod: ['kube-system/'] }],
      [pair(['kube-system', 'coredns'], ['kube-system', 'kube-proxy']), pair(['default', 'tiefighter'], ['kube-system', 'coredns']), pair(['kube-system', 'coredns'], ['default', 'xwing']), pair(['default', 'tiefighter'], ['default', 'xwing'])],
      [true, true, true, false],
    ));
  it('prefix filter', () =>
    check([{ source_pod: ['xwing', 'kube-system/coredns-'] }], [src('default', 'xwing'), src('default', 'xwing-t-65b'), src('kube-system', 'coredns-12345'), src('kube-system', '-coredns-12345'), src('default', 'tiefighter')], [true, true, true, false, false]));
  it('an empty name is refused', () => assert.throws(() => buildRequestFilter([{ source_pod: [''] }]), FilterError));
});

describe('filters: labels (labels_test.go TestLabelSelectorFilter)', () => {
  it('label filter without value', () =>
    check([{ source_label: ['label1', 'label2'] }], [srcLabels(['label1']), srcLabels(['label1=val1']), srcLabels(['label2', 'label3', 'label4=val4']), srcLabels(['label3'])], [true, true, true, false]));
  it('label filter with value', () =>
    check(
      [{ source_label: ['label1=val1', 'label2=val2'] }],
      [srcLabels(['label1']), srcLabels(['label1=val1']), srcLabels(['label1=val2', 'label2=val1', 'label3']), srcLabels(['label2=val2', 'label3']), srcLabels(['label3=val1']), srcLabels(['']), srcLabels(undefined), srcLabels(['label1=val1=toomuch'])],
      [false, true, false, true, false, false, false, false],
    ));
  it('complex label filter (in, notin)', () =>
    check(
      [{ source_label: ['label1 in (val1, val2), label3 notin ()'] }],
      [srcLabels(['label1']), srcLabels(['label1=val1']), srcLabels(['label1=val2', 'label2=val1', 'label3=val3']), srcLabels(['label2=val2', 'label3']), srcLabels(['label1=val1', 'label3=val3'])],
      [false, true, true, false, true],
    ));
  it('source and destination label filter', () =>
    check(
      [{ source_label: ['src1, src2=val2'], destination_label: ['dst1, dst2=val2'] }],
      [
        { source: { labels: ['src1', 'src2=val2'] }, destination: { labels: ['dst1', 'dst2=val2'] } },
        { source: { labels: ['label1=val1'] }, destination: { labels: ['dst1', 'dst2=val2'] } },
        { source: { labels: ['dst1', 'dst2=val2'] }, destination: { labels: ['src1', 'src2=val2'] } },
        { source: { labels: ['src1'] }, destination: { labels: ['dst1'] } },
      ],
      [true, false, false, false],
    ));
  it('matchall filter', () => check([{ source_label: [''] }], [srcLabels(['src1', 'src2=val2']), srcLabels(['']), srcLabels(undefined)], [true, true, true]));
  it('cilium fixed prefix filters', () =>
    check([{ source_label: ['k8s:app=bar', 'foo', 'reserved:host'] }], [srcLabels(['k8s:app=bar']), srcLabels(['k8s:foo=baz']), srcLabels(['k8s.app=bar']), srcLabels(['container:foo=bar', 'reserved:host'])], [true, true, false, true]));
  it('cilium fixed prefix not filter', () =>
    check([{ source_label: ['!k8s:app'] }], [srcLabels(['k8s:app=bar']), srcLabels(['k8s:app=baz']), srcLabels(['k8s.app=bar']), srcLabels(['container:foo=bar', 'reserved:host'])], [false, false, true, true]));
});

describe('filters: HTTP (http_test.go TestHTTPFilters)', () => {
  it('status code full', () => check([{ http_status_code: ['200', '302'], event_type: L7 }], [http({ code: 200 }), http({ code: 302 }), http({ code: 404 }), http({ code: 500 })], [true, true, false, false]));
  it('status code prefix', () =>
    check(
      [{ http_status_code: ['40+', '5+'], event_type: L7 }],
      // Go's 004 and 050 are octal literals: 4 and 40
      [302, 400, 404, 410, 4, 500, 501, 510, 40].map((code) => http({ code })),
      [false, true, true, false, false, true, true, true, false],
    ));
  for (const bad of ['', '+', '909', 'HTTP 200 OK', '3++', '3+0'])
    it(`invalid status code ${JSON.stringify(bad)} is refused`, () => assert.throws(() => buildRequestFilter([{ http_status_code: [bad], event_type: L7 }]), FilterError));
  it('an event type filter that excludes l7 is refused', () => assert.throws(() => buildRequestFilter([{ http_status_code: ['200'], event_type: [{ type: 1 }] }]), /requires the event type filter to only match 'l7' events/));
  it('basic http method filter (case-insensitive)', () => {
    check([{ http_method: ['GET'], event_type: L7 }], [http({ method: 'gEt' })], [true]);
    check([{ http_method: ['POST'], event_type: L7 }], [http({ method: 'gEt' })], [false]);
  });
  it('path full: regular expressions over the path, unanchored', () =>
    check(
      [{ http_path: ['/docs/[a-z]+', '/post/\\d+'], event_type: L7 }],
      ['/docs/', '/docs/tutorial/', '/post/', '/post/0', '/post/slug', '/post/123?key=value', '/slug'].map((url) => http({ url })),
      [false, true, false, true, false, true, false],
    ));
  it('url/path mix: both in one filter', () =>
    check(
      [{ http_url: ['^http://cilium.io', '^http://example.com/post'], http_path: ['^/docs/[a-z]+', '^/post/\\d+'], event_type: L7 }],
      ['http://example.com/post/12', 'http://example.com/post/125?key=value', 'http://cilium.io/post/125?key=value', 'http://cilium.io/docs/example', 'http://cilium.io/', 'http://example.com/docs/post', 'http://example.org/post/12'].map((url) => http({ url })),
      [true, true, true, true, false, false, false],
    ));
  it('an invalid path expression is refused', () => assert.throws(() => buildRequestFilter([{ http_path: ['('] }]), FilterError));
});

describe('filters: node names (nodename_test.go TestNodeFilter)', () => {
  const nodes = (names: string[]): Flow[] => names.map((node_name) => (node_name ? { node_name } : {}));
  const cases: Array<[string[], Record<string, boolean>]> = [
    [['/'], { 'default/k8s1': true, k8s1: true, '': false }],
    [['cluster-name/'], { 'cluster-name/k8s1': true, 'cluster-name/k8s2': true, 'default/k8s1': false, k8s1: false }],
    [['k8s1'], { 'default/k8s1': true, 'default/k8s2': false, k8s1: true }],
    [['k8s1', 'runtime1'], { 'default/k8s1': true, 'default/k8s2': false, 'default/runtime1': true, k8s1: true }],
    [['k8s*'], { 'default/k8s1': true, 'default/runtime1': false, k8s1: true }],
    [['cluster-*/k8s1'], { 'cluster-1/k8s1': true, 'cluster-1/k8s2': false, 'default/k8s1': false, k8s1: false }],
    [['cluster-name/*.com'], { 'cluster-name/foo.com': true, 'cluster-name/foo.bar.com': true, 'cluster-name/foo.com.org': false, 'default/foo.com': false, k8s1: false }],
  ];
  for (const [patterns, want] of cases)
    it(`node_name ${JSON.stringify(patterns)}`, () => {
      const names = Object.keys(want);
      check([{ node_name: patterns }], nodes(names), Object.values(want));
    });
  for (const [pattern, message] of [
    ['', 'empty pattern'],
    ['cluster|name/', 'invalid rune in pattern'],
    ['cluster-name/node|name', 'invalid rune in pattern'],
    ['cluster-name/node-name/more', 'too many slashes in pattern'],
  ])
    it(`node_name ${JSON.stringify(pattern)} is refused: ${message}`, () => assert.throws(() => buildRequestFilter([{ node_name: [pattern!] }]), new RegExp(message!)));
});

describe('filters: verdict, event type, whitelist and blacklist', () => {
  const dropped: Flow = { verdict: 'DROPPED', drop_reason_desc: 'POLICY_DENIED', event_type: { type: 1, sub_type: 133 } };
  const forwarded: Flow = { verdict: 'FORWARDED', event_type: { type: 4, sub_type: 0 } };
  const verdict: Flow = { verdict: 'FORWARDED', event_type: { type: 5 } };
  it('verdict (verdict.go): one of the listed verdicts', () => check([{ verdict: ['DROPPED'] }], [dropped, forwarded], [true, false]));
  it('event type (event_type.go): the type, and the sub-type only when match_sub_type is set', () => {
    check([{ event_type: [{ type: 5 }] }], [dropped, forwarded, verdict], [false, false, true]);
    check([{ event_type: [{ type: 4, match_sub_type: true, sub_type: 5 }] }], [forwarded], [false]);
    check([{ event_type: [{ type: 4 }] }], [forwarded], [true]);
  });
  it('drop_reason_desc (drop_reason_desc.go): only DROPPED flows', () => check([{ drop_reason_desc: ['POLICY_DENIED'] }], [dropped, { ...forwarded, drop_reason_desc: 'POLICY_DENIED' }], [true, false]));
  it('blacklist excludes what the whitelist lets through (filters.go Apply)', () => {
    const m = buildRequestFilter([{ event_type: [{ type: 1 }] }, { event_type: [{ type: 4 }] }], [{ verdict: ['FORWARDED'] }]);
    assert.deepEqual([dropped, forwarded, verdict].map((flow) => m({ flow, node_name: '', time: '' })), [true, false, false]);
  });
  it('source_ip with a CIDR (ip.go)', () => check([{ source_ip: ['10.1.0.0/16', '192.0.2.7'] }], [{ IP: { source: '10.1.2.3' } }, { IP: { source: '10.2.0.1' } }, { IP: { source: '192.0.2.7' } }, {}], [true, false, true, false]));
  it('an invalid address is refused', () => assert.throws(() => buildRequestFilter([{ destination_ip: ['10.0.0.300'] }]), /invalid IP address in filter/));
});

/**
 * Positioned findings (PolicyBuild.diagnostics): each points at the offending place in the
 * user's file (file, 1-based line and column) with its code family. Positions are read
 * from the fixture text, so they say where a person would look.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ask, assertDefaultDeny, assertDiagnosticAt, build, findText, pod, policyName } from './helpers.js';

const APP = 'diagnostics/app.yaml';
const D = (file: string) => build([APP, `diagnostics/${file}`]);

/** The column of `key` on its line and of its value after "key: " (an engine may point at either). */
function keyAndValue(file: string, text: string): { line: number; columns: number[] } {
  const at = findText(`diagnostics/${file}`, text);
  const colon = text.indexOf(': ');
  const value = at.column + colon + 2;
  const quoted = text[colon + 2] === '"' ? [value + 1] : [];
  return { line: at.line, columns: [at.column, value, ...quoted] };
}

describe('policy diagnostics', () => {
  test('an unknown field (`ingres:`) -> POLICY_UNKNOWN_FIELD at the key', () => {
    const at = findText('diagnostics/unknown-field.yaml', 'ingres:');
    assertDiagnosticAt(D('unknown-field.yaml').diagnostics, 'POLICY_UNKNOWN_FIELD', 'diagnostics/unknown-field.yaml', at.line, [at.column]);
  });

  test('an invalid matchExpressions operator (Inn) -> POLICY_SELECTOR_INVALID at the operator', () => {
    const at = keyAndValue('bad-operator.yaml', 'operator: Inn');
    assertDiagnosticAt(D('bad-operator.yaml').diagnostics, 'POLICY_SELECTOR_INVALID', 'diagnostics/bad-operator.yaml', at.line, at.columns);
  });

  test('an invalid CIDR in a NetworkPolicy ipBlock (10.0.0.0/33) -> POLICY_CIDR_INVALID at the cidr', () => {
    const at = keyAndValue('bad-cidr.yaml', 'cidr: 10.0.0.0/33');
    assertDiagnosticAt(D('bad-cidr.yaml').diagnostics, 'POLICY_CIDR_INVALID', 'diagnostics/bad-cidr.yaml', at.line, at.columns);
  });

  test('an invalid CIDR in a CiliumNetworkPolicy toCIDR (300.1.2.0/24) -> POLICY_CIDR_INVALID at the entry', () => {
    const at = findText('diagnostics/bad-cidr-cnp.yaml', '300.1.2.0/24');
    assertDiagnosticAt(D('bad-cidr-cnp.yaml').diagnostics, 'POLICY_CIDR_INVALID', 'diagnostics/bad-cidr-cnp.yaml', at.line, [at.column]);
  });

  test('an invalid regex in an http path ("/api/(v1") -> POLICY_REGEX_INVALID at the path', () => {
    const at = keyAndValue('bad-regex.yaml', 'path: "/api/(v1"');
    assertDiagnosticAt(D('bad-regex.yaml').diagnostics, 'POLICY_REGEX_INVALID', 'diagnostics/bad-regex.yaml', at.line, at.columns);
  });

  test('a regex RE2 rejects but JavaScript accepts (lookahead "/api/(?!admin).*") -> POLICY_REGEX_INVALID', () => {
    // §2.5: Cilium compiles http regexes with Envoy's GoogleRE2, which has no lookaround.
    const at = keyAndValue('bad-regex-re2.yaml', 'path: "/api/(?!admin).*"');
    assertDiagnosticAt(D('bad-regex-re2.yaml').diagnostics, 'POLICY_REGEX_INVALID', 'diagnostics/bad-regex-re2.yaml', at.line, at.columns);
  });

  test('a named port no selected pod defines (grpc) -> POLICY_NAMED_PORT_UNKNOWN at the port; it allows nothing', () => {
    const b = D('named-port-unknown.yaml');
    const at = keyAndValue('named-port-unknown.yaml', 'port: grpc');
    assertDiagnosticAt(b.diagnostics, 'POLICY_NAMED_PORT_UNKNOWN', 'diagnostics/named-port-unknown.yaml', at.line, at.columns);
    // §1.8: a named port with no match on the destination allows nothing; api stays isolated.
    assertDefaultDeny(ask(b, pod(b, 'default/client'), pod(b, 'default/api'), 8080), 'ingress', [policyName('NetworkPolicy', 'api-grpc', 'default')]);
  });

  test('a toFQDNs rule -> POLICY_NOT_MODELLED warning at the rule', () => {
    const b = D('fqdn.yaml');
    const at = findText('diagnostics/fqdn.yaml', 'toFQDNs:');
    const d = assertDiagnosticAt(b.diagnostics, 'POLICY_NOT_MODELLED', 'diagnostics/fqdn.yaml', at.line, [at.column]);
    assert.equal(d.severity, 'warning');
  });

  test('each finding stays in its file: the valid app has none', () => {
    const all = [...D('unknown-field.yaml').diagnostics, ...D('bad-regex.yaml').diagnostics, ...D('fqdn.yaml').diagnostics];
    assert.deepEqual(all.filter((d) => d.file === 'test/fixtures/policy/diagnostics/app.yaml'), []);
    assert.deepEqual(build([APP]).diagnostics, []);
  });
});

/**
 * Small helpers for the black-box policy suites: load fixtures, build the engine, name
 * peers, ask, and check what a user would notice. Only src/model/policy/types.ts and
 * index.ts are used from the engine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../../src/diag/index.js';
import { loadManifests, locate, parseManifestText, type ManifestInput } from '../../src/manifests/index.js';
import { buildPolicyEngine } from '../../src/model/policy-engine/index.js';
import type { HttpRequest, PeerRef, PolicyBuild, PolicyEndpoint, Protocol, RuleRef, SideVerdict, Verdict } from '../../src/model/policy-engine/types.js';
import { REPO_ROOT } from '../helpers/golden.js';

export const FIX = 'test/fixtures/policy';

/** The CLI's name for the single cluster when there is no platform. */
export const ONE = 'default';
export const C1 = 'k8s-cilium-01';
export const C2 = 'k8s-cilium-02';

/** Builds once, on first use, so a failing build fails the tests that use it rather than the file. */
export function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

export interface BuildOptions {
  clusters?: string[];
  policyDefaultLocalCluster?: boolean;
}

/** Loads fixture files (paths under test/fixtures/policy, optionally placed in a cluster) and builds the engine. */
export function build(files: (string | { cluster: string; path: string })[], options: BuildOptions = {}): PolicyBuild {
  const inputs: ManifestInput[] = files.map((f) => (typeof f === 'string' ? { path: `${FIX}/${f}` } : { cluster: f.cluster, path: `${FIX}/${f.path}` }));
  const loaded = loadManifests(inputs, REPO_ROOT);
  assert.deepEqual(loaded.diagnostics, [], 'fixtures must load cleanly');
  return buildPolicyEngine({ objects: loaded.objects, clusters: options.clusters ?? [ONE], options: { policyDefaultLocalCluster: options.policyDefaultLocalCluster ?? false } });
}

/** A pod by "namespace/name"; a workload name finds its first pod (as the model names them, e.g. `web-7c5d8b9f4-x2lkq`). */
export function endpoint(b: PolicyBuild, ref: string, cluster = ONE): PolicyEndpoint {
  const [namespace, name] = ref.split('/') as [string, string];
  const here = b.endpoints.filter((e) => e.cluster === cluster && e.namespace === namespace);
  const exact = here.find((e) => e.name === name);
  if (exact) return exact;
  const pods = here.filter((e) => e.owner.name === name);
  assert.ok(pods[0], `no endpoint ${cluster}/${ref}; have ${b.endpoints.map((e) => `${e.cluster}/${e.namespace}/${e.name}`).join(', ')}`);
  return pods[0];
}

/**
 * A Deployment's pod name as the controllers make it: <deployment>-<pod-template-hash>-<5>, both
 * parts from Kubernetes' rand alphabet (k8s.io/apimachinery/pkg/util/rand: no vowels, no 0, 1, 3).
 */
export function deploymentPodName(deployment: string): RegExp {
  return new RegExp(`^${deployment}-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$`);
}

export function pod(b: PolicyBuild, ref: string, cluster = ONE): PeerRef {
  return { kind: 'endpoint', endpoint: endpoint(b, ref, cluster) };
}

export function external(ip: string): PeerRef {
  return { kind: 'external', ip };
}

export function http(method: string, path: string, headers: Record<string, string> = {}, host?: string): HttpRequest {
  return { method, path, headers, ...(host ? { host } : {}) };
}

export function ask(b: PolicyBuild, from: PeerRef, to: PeerRef, port: number, extra: { protocol?: Protocol; http?: HttpRequest } = {}): Verdict {
  return b.engine.explain({ from, to, port, protocol: extra.protocol ?? 'TCP', ...(extra.http ? { http: extra.http } : {}) });
}

/** What a rule reference should say. `file` (under test/fixtures/policy) also checks the line. */
export interface RuleExpect {
  kind: RuleRef['kind'];
  namespace?: string;
  name: string;
  section: RuleRef['section'];
  index: number;
  cluster?: string;
  file?: string;
}

export function assertRule(actual: RuleRef | undefined, want: RuleExpect, what = 'rule'): void {
  assert.ok(actual, `${what}: expected ${want.kind} ${want.namespace ?? ''}/${want.name} ${want.section}[${want.index}], got no rule`);
  assert.deepEqual(
    { kind: actual.kind, namespace: actual.namespace, name: actual.name, section: actual.section, index: actual.index },
    { kind: want.kind, namespace: want.namespace, name: want.name, section: want.section, index: want.index },
    `${what}: wrong deciding rule`,
  );
  if (want.cluster) assert.equal(actual.cluster, want.cluster, `${what}: wrong cluster`);
  if (want.file) {
    const path = `${FIX}/${want.file}`;
    assert.equal(actual.file, path, `${what}: wrong file`);
    assert.equal(actual.line, rulePosition(path, want).line, `${what}: wrong line for ${want.section}[${want.index}] in ${path}`);
    assert.ok(actual.column >= 1, `${what}: column must be 1-based`);
  }
}

/** Where `spec.<section>[index]` of the named policy starts in the file (the repo's own positioning). */
function rulePosition(path: string, want: RuleExpect): { line: number; column: number } {
  const { objects } = parseManifestText(path, readFileSync(resolve(REPO_ROOT, path), 'utf8'));
  const obj = objects.find((o) => o.object.kind === want.kind && o.object.metadata.name === want.name);
  assert.ok(obj, `fixture ${path} has no ${want.kind} ${want.name}`);
  const d = locate({ severity: 'error', code: 'X', message: '' }, obj.source, ['spec', want.section, want.index]);
  assert.ok(d.start);
  return d.start;
}

/** "Kind ns/name", as SideVerdict.selectedBy lists policies. */
export function policyName(kind: RuleRef['kind'], name: string, namespace?: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** The verdict says allowed, and the side `by.section` names was allowed by that rule. */
export function assertAllowed(v: Verdict, by?: RuleExpect): void {
  assert.equal(v.verdict, 'allowed', `expected allowed; ingress: ${v.ingress.reason}; egress: ${v.egress.reason}`);
  assert.equal(v.httpStatus, undefined);
  assert.equal(v.ingress.decision, 'allowed');
  assert.equal(v.egress.decision, 'allowed');
  if (by) {
    const side = sideOf(v, by.section);
    assert.equal(side.enforced, true, `${side.direction} should be enforced`);
    assertRule(side.rule, by, `${side.direction} rule`);
    assert.ok(side.reason.includes(by.name), `${side.direction} reason should name ${by.name}: "${side.reason}"`);
  }
}

/** Neither side has a policy selecting its endpoint: allowed, nothing enforced. */
export function assertUnrestricted(v: Verdict): void {
  assertAllowed(v);
  for (const side of [v.egress, v.ingress]) {
    assert.equal(side.enforced, false, `${side.direction} should not be enforced: ${side.reason}`);
    assert.equal(side.rule, undefined);
    assert.deepEqual(side.selectedBy, []);
  }
}

/** Dropped at L3/L4 on `direction` because the endpoint is in default deny and no rule allows. */
export function assertDefaultDeny(v: Verdict, direction: 'ingress' | 'egress', selectedBy: string[]): void {
  assertDropped(v);
  const side = v[direction];
  assert.equal(side.decision, 'denied', `${direction} should deny: ${side.reason}`);
  assert.equal(side.enforced, true);
  assert.equal(side.rule, undefined, `default deny has no deciding rule, got ${side.rule?.name} ${side.rule?.section}[${side.rule?.index}]`);
  for (const p of selectedBy) assert.ok(side.selectedBy.includes(p), `${direction} selectedBy should include "${p}": ${JSON.stringify(side.selectedBy)}`);
  assert.match(side.reason, /default deny/i);
  const names = selectedBy.map((p) => p.split(/[ /]/).pop()!);
  if (names.length > 0) assert.ok(names.some((n) => side.reason.includes(n)), `reason should name a selecting policy (${names.join(', ')}): "${side.reason}"`);
}

/** Dropped at L3/L4 by an explicit deny rule. */
export function assertDeniedBy(v: Verdict, rule: RuleExpect): void {
  assertDropped(v);
  const side = sideOf(v, rule.section);
  assert.equal(side.decision, 'denied', `${side.direction} should deny: ${side.reason}`);
  assertRule(side.rule, rule, `${side.direction} deny rule`);
  assert.ok(side.reason.includes(rule.name), `${side.direction} reason should name ${rule.name}: "${side.reason}"`);
}

/** Allowed at L3/L4 by `rule`, then answered 403 "Access denied" by the proxy. */
export function assertL7Denied(v: Verdict, rule: RuleExpect): void {
  assert.equal(v.verdict, 'denied', `expected a 403; ingress: ${v.ingress.reason}`);
  assert.equal(v.stage, 'l7');
  assert.equal(v.httpStatus, 403);
  const side = sideOf(v, rule.section);
  assertRule(side.rule, rule, `${side.direction} rule`);
  assert.ok(side.l7, `${side.direction}.l7 should be set`);
  assert.equal(side.l7.allowed, false);
}

/** Allowed at L3/L4 and at L7 by `rule`. */
export function assertL7Allowed(v: Verdict, rule: RuleExpect): void {
  assertAllowed(v, rule);
  const side = sideOf(v, rule.section);
  assert.ok(side.l7, `${side.direction}.l7 should be set (an L7 rule decided)`);
  assert.equal(side.l7.allowed, true, side.l7.reason);
}

function assertDropped(v: Verdict): void {
  assert.equal(v.verdict, 'denied', `expected a drop; ingress: ${v.ingress.reason}; egress: ${v.egress.reason}`);
  assert.equal(v.stage, 'l3-l4');
  assert.equal(v.httpStatus, undefined);
}

function sideOf(v: Verdict, section: RuleRef['section']): SideVerdict {
  return section.startsWith('ingress') ? v.ingress : v.egress;
}

/** The single diagnostic of `family` in `file`, checked at `line` and one of `columns`. */
export function assertDiagnosticAt(diagnostics: Diagnostic[], family: string, file: string, line: number, columns: number[]): Diagnostic {
  const path = `${FIX}/${file}`;
  const found = diagnostics.filter((d) => d.code.startsWith(family) && d.file === path);
  assert.ok(found.length > 0, `no ${family} diagnostic in ${path}; have ${JSON.stringify(diagnostics.map((d) => ({ code: d.code, file: d.file, start: d.start, message: d.message })))}`);
  const d = found.find((x) => x.start?.line === line) ?? found[0]!;
  assert.ok(d.start, `${family} should be positioned`);
  assert.equal(d.start.line, line, `${family}: wrong line (${d.message})`);
  assert.ok(columns.includes(d.start.column), `${family}: column ${d.start.column}, expected one of ${columns.join(', ')} (${d.message})`);
  assert.ok(d.message.length > 0);
  return d;
}

/** 1-based line and column of the first `needle` in the fixture at or after the line containing `after`. */
export function findText(file: string, needle: string, after?: string): { line: number; column: number } {
  const lines = readFileSync(resolve(REPO_ROOT, FIX, file), 'utf8').split('\n');
  let start = 0;
  if (after) {
    start = lines.findIndex((l) => l.includes(after));
    assert.ok(start >= 0, `${after} not in ${file}`);
  }
  for (let i = start; i < lines.length; i++) {
    const c = lines[i]!.indexOf(needle);
    if (c >= 0) return { line: i + 1, column: c + 1 };
  }
  assert.fail(`${needle} not in ${file}`);
}

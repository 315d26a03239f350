import type { CheckResult } from '../types.js';
import type { VerifyReport } from '../runner.js';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(r: CheckResult, time: string): string {
  const name = `${r.cluster ? `${r.cluster}: ` : ''}${r.subject}`;
  const text = `expected: ${r.expected}\nobserved: ${r.observed}${r.hint ? `\nhint: ${r.hint}` : ''}`;
  const open = `    <testcase name="${xml(name)}" classname="meshwright.verify.${xml(r.check)}" time="${time}"`;
  if (r.status === 'pass') return `${open}/>`;
  if (r.status === 'skip') return `${open}>\n      <skipped>${xml(text)}</skipped>\n    </testcase>`;
  const tag = r.status === 'fail' ? 'failure' : 'error';
  return `${open}>\n      <${tag} message="${xml(`expected ${r.expected}, observed ${r.observed}`)}" type="${r.status === 'fail' ? 'CheckFailed' : 'Unreachable'}">${xml(text)}</${tag}>\n    </testcase>`;
}

/**
 * The report as JUnit XML for CI systems: one testsuite per check, one testcase per result;
 * a failed result is a <failure>, one that could not look an <error>, a skip <skipped>. Shaped by
 * the Apache Ant JUnit schema (windyroad/JUnit-Schema JUnit.xsd): testsuites' suites carry
 * `package` and `id`, every suite `properties`, `system-out` and `system-err`, a timestamp without
 * time zone.
 */
export function verifyJunit(report: VerifyReport, at: { timestamp: Date; hostname: string }): string {
  const stamp = at.timestamp.toISOString().slice(0, 19);
  const suites = report.checks.map((c, id) => {
    const results = report.results.filter((r) => r.check === c.id);
    const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
    const each = seconds(results.length ? c.durationMs / results.length : 0);
    return [
      `  <testsuite name="${xml(c.id)}" package="meshwright.verify" id="${id}" timestamp="${stamp}" hostname="${xml(at.hostname || 'localhost')}" tests="${results.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('skip')}" time="${seconds(c.durationMs)}">`,
      '    <properties>',
      `      <property name="title" value="${xml(c.title)}"/>`,
      `      <property name="platform" value="${xml(report.platform)}"/>`,
      `      <property name="target" value="${report.target}${report.simulated ? ' (simulated)' : ''}"/>`,
      `      <property name="seed" value="${report.seed}"/>`,
      '    </properties>',
      ...results.map((r) => testcase(r, each)),
      '    <system-out></system-out>',
      '    <system-err></system-err>',
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`;
}

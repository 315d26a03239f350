import type { Diagnostic } from '../diag/index.js';
import { paint } from '../diag/index.js';
import type { RuleRef, SideVerdict } from '../model/policy-engine/index.js';
import { label, type Explanation, type Matrix } from '../policy-report/index.js';
import { table } from './table.js';

export function ruleText(r: RuleRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} ${r.section}[${r.index}] (${r.file}:${r.line}:${r.column})`;
}

function side(s: SideVerdict): string {
  const where = s.rule ? ` — ${ruleText(s.rule)}` : '';
  return `${s.decision}: ${s.reason}${where && !s.reason.includes(s.rule!.name) ? where : s.rule ? ` (${s.rule.file}:${s.rule.line}:${s.rule.column})` : ''}`;
}

/** One block per distinct outcome: egress of the source, ingress of the destination, L7, verdict. */
export function explanationTable(x: Explanation, color: boolean): string {
  const p = paint(color);
  const mark = (v: string) => (v === 'allowed' ? p.green(v) : v === 'unknown' ? p.yellow(v) : p.red(v));
  const request = `${x.port}/${x.protocol}${x.http ? ` ${x.http.method} ${x.http.path}${Object.entries(x.http.headers).map(([k, v]) => ` [${k}: ${v}]`).join('')}` : ''}`;
  const out = [`${p.bold('FROM')}      ${x.from.text} (${x.from.what})`, `${p.bold('TO')}        ${x.to.text} (${x.to.what})`, `${p.bold('REQUEST')}   ${request}`];
  for (const c of x.cases) {
    const v = c.verdict;
    out.push('', `${label(c.from, x.multiCluster)} → ${label(c.to, x.multiCluster)} port ${c.port}${c.pairs > 1 ? `  (${c.pairs} pod pairs alike)` : ''}`);
    out.push(`  egress    ${c.from.kind === 'external' ? 'outside the clusters: no egress policy applies' : side(v.egress)}`);
    out.push(`  ingress   ${c.to.kind === 'external' ? 'outside the clusters: no ingress policy applies' : side(v.ingress)}`);
    for (const l7 of [v.egress.l7, v.ingress.l7]) {
      if (l7) out.push(`  l7        ${l7.allowed ? 'allowed' : 'denied'}: ${l7.reason}${l7.rule ? ` (${l7.rule.file}:${l7.rule.line}:${l7.rule.column})` : ''}`);
    }
    for (const fix of new Set([...(v.egress.dependsOn ?? []), ...(v.ingress.dependsOn ?? [])])) out.push(p.yellow(`  depends   ${fix}`));
    const how = v.verdict === 'allowed' ? '' : v.verdict === 'unknown' ? ': a rule meshwright does not model could decide it (see above)' : v.stage === 'l7' ? ` at L7: HTTP ${v.httpStatus ?? 403} "Access denied" from Cilium's proxy` : ' at L3/L4: the packet is dropped (the client times out)';
    out.push(`  verdict   ${mark(v.verdict)}${how}`);
  }
  for (const u of x.unreachable) out.push(p.yellow(`  not a backend here: ${u}`));
  out.push('', `${p.bold('VERDICT')}   ${mark(x.verdict)}${x.cases.length > 1 && new Set(x.cases.map((c) => c.verdict.verdict)).size > 1 ? ' (not for every pod: see each case above)' : ''}`);
  return out.join('\n');
}

/** Warnings as the JSON documents carry them: where, what, and the fix. */
export function warningsData(warnings: readonly Diagnostic[]): unknown[] {
  return warnings.map((d) => ({ code: d.code, message: d.message, ...(d.file ? { file: d.file } : {}), ...(d.start ? { line: d.start.line, column: d.start.column } : {}), ...(d.hint ? { hint: d.hint } : {}) }));
}

export function explanationData(x: Explanation, warnings: readonly Diagnostic[] = []): unknown {
  return {
    apiVersion: 'meshwright/v1alpha1',
    kind: 'PolicyExplanation',
    verdict: x.verdict,
    from: { text: x.from.text, resolvedAs: x.from.what },
    to: { text: x.to.text, resolvedAs: x.to.what },
    port: x.port,
    protocol: x.protocol,
    ...(x.http ? { http: x.http } : {}),
    cases: x.cases.map((c) => ({ from: label(c.from, x.multiCluster), to: label(c.to, x.multiCluster), port: c.port, pairs: c.pairs, ...c.verdict })),
    unreachable: x.unreachable,
    warnings: warningsData(warnings),
  };
}

const cell = (c: Matrix['cells'][number]) => {
  const text = c.connections ?? (c.verdict === 'allowed' ? 'allowed' : c.verdict === 'unknown' ? 'unknown' : c.stage === 'l7' ? 'denied (L7 403)' : 'denied');
  return c.unmodelled && c.verdict !== 'unknown' ? `${text} (unknown: not modelled)` : text;
};

/** A grid when it fits a terminal, otherwise one row per pair; then why any cell is unknown. */
export function matrixTable(m: Matrix): string {
  return [grid(m), ...unknownNotes(m)].join('\n');
}

function grid(m: Matrix): string {
  if (m.identities.length <= 8) {
    const names = m.identities.map((i) => i.name);
    return table(['FROM \\ TO', ...names], names.map((from) => [from, ...names.map((to) => cell(m.cells.find((c) => c.from === from && c.to === to)!))]), false);
  }
  return table(['from', 'to', m.port === undefined ? 'allowed connections' : `port ${m.port}/${m.protocol}`], m.cells.map((c) => [c.from, c.to, cell(c)]));
}

function unknownNotes(m: Matrix): string[] {
  const notes = m.cells.filter((c) => c.unmodelled).map((c) => `unknown   ${c.from} → ${c.to}: ${c.unmodelled}`);
  return notes.length ? ['', ...notes] : [];
}

export function matrixMarkdown(m: Matrix): string {
  const names = m.identities.map((i) => i.name);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| from \\ to | ${names.map(esc).join(' | ')} |`;
  const rule = `|---|${names.map(() => '---').join('|')}|`;
  const rows = names.map((from) => `| ${esc(from)} | ${names.map((to) => esc(cell(m.cells.find((c) => c.from === from && c.to === to)!))).join(' | ')} |`);
  const title = m.port === undefined ? 'Allowed connections' : `Verdicts on port ${m.port}/${m.protocol}${m.http ? `, ${m.http.method} ${m.http.path}` : ''}`;
  return [`**${title}**`, '', head, rule, ...rows].join('\n');
}

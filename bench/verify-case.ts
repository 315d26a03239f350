/**
 * One bench/verify case in a process of its own:
 *   ref   the reference lab (2 clusters of 2 nodes)
 *   N     N generated clusters of 2 nodes (bench/generate.ts)
 * Applies it to a lab in a fresh folder with the built runApply, then times `meshwright status`
 * and `meshwright verify` as a user runs them (fresh CLI processes; verify with -o json so the
 * outcome can be read), three times each, keeping every exit code and every row that did not pass.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { benchFolder, dist, labApplyRequest } from './lab-case-setup.js';
import { ms } from './measure.js';

const { runApply } = (await import(dist('ops/index.js'))) as typeof import('../src/ops/index.js');
const { labDown } = (await import(dist('lab/index.js'))) as typeof import('../src/lab/index.js');

const which = process.argv[2] ?? 'ref';
const RUNS = 3;
const setup = benchFolder(which, 'mw-bench-verify-');
const { dir, platform } = setup;

const cli = (args: string[]) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [dist('cli/main.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
  return { ms: ms(t), code: r.status, stdout: r.stdout, stderr: r.stderr };
};

try {
  let t = process.hrtime.bigint();
  await runApply(labApplyRequest(setup, 600_000));
  const applyMs = ms(t);
  const status: Array<{ ms: number; exit: number | null }> = [];
  for (let i = 0; i < RUNS; i++) {
    const r = cli(['status']);
    status.push({ ms: r.ms, exit: r.code });
  }
  const verify: Array<{ ms: number; exit: number | null; summary: Record<string, number>; notPassed: string[] }> = [];
  let requests = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = cli(['verify', '--seed', String(i + 1), '-o', 'json']);
    if (r.code !== 0 && r.code !== 1 && r.code !== 3) throw new Error(`verify exited ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { summary: Record<string, number>; results: Array<{ check: string; cluster?: string; subject: string; status: string; observed: string }> };
    const notPassed = report.results.filter((x) => x.status === 'fail' || x.status === 'error').map((x) => `${x.status} ${x.check} ${x.cluster ?? '-'} ${x.subject}: ${x.observed.length > 160 ? `${x.observed.slice(0, 160)}…` : x.observed}`);
    verify.push({ ms: r.ms, exit: r.code, summary: report.summary, notPassed });
    requests = report.results.filter((x) => x.check === 'global-services' && x.status !== 'skip').length * 100;
  }
  console.log(JSON.stringify({ clusters: platform.spec.clusters.length, nodes: platform.spec.clusters.reduce((n, c) => n + c.nodes.length, 0), applyMs, status, verify, requests }));
} finally {
  await labDown(dir);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * One bench/verify case in a process of its own:
 *   ref   the reference lab (2 clusters of 2 nodes)
 *   N     N generated clusters of 2 nodes (bench/generate.ts)
 * Applies it to a lab in a fresh folder with the built runApply, then times `meshwright verify`
 * as a user runs it (a fresh CLI process, -o json so the outcome can be read), three times.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { benchFolder, dist, labApplyRequest } from './lab-case-setup.js';
import { ms } from './measure.js';

const { runApply } = (await import(dist('ops/index.js'))) as typeof import('../src/ops/index.js');
const { labDown } = (await import(dist('lab/index.js'))) as typeof import('../src/lab/index.js');

const which = process.argv[2] ?? 'ref';
const setup = benchFolder(which, 'mw-bench-verify-');
const { dir, platform } = setup;

try {
  let t = process.hrtime.bigint();
  await runApply(labApplyRequest(setup, 600_000));
  const applyMs = ms(t);
  const runs: number[] = [];
  let summary: Record<string, number> = {};
  let requests = 0;
  let exit: number | null = null;
  for (let i = 0; i < 3; i++) {
    t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [dist('cli/main.js'), 'verify', '--seed', '1', '-o', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024 });
    runs.push(ms(t));
    exit = r.status;
    if (r.status !== 0 && r.status !== 1) throw new Error(`verify exited ${r.status}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { summary: Record<string, number>; results: Array<{ check: string; status: string }> };
    summary = report.summary;
    requests = report.results.filter((x) => x.check === 'global-services' && x.status !== 'skip').length * 100;
  }
  runs.sort((a, b) => a - b);
  console.log(JSON.stringify({ clusters: platform.spec.clusters.length, nodes: platform.spec.clusters.reduce((n, c) => n + c.nodes.length, 0), applyMs, verifyMs: runs, exit, summary, requests }));
} finally {
  await labDown(dir);
  rmSync(dir, { recursive: true, force: true });
}

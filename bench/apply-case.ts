/**
 * One bench/apply case in a process of its own (peak RSS is this process's):
 *   ref   the reference lab (examples/reference-lab/platform.yaml, 2 clusters of 2 nodes)
 *   N     N generated clusters of 2 nodes (bench/generate.ts)
 * Runs the built apply (dist/, so the lab process it starts runs the built lab too) in a fresh
 * folder: from nothing (lab started) to the end state, then again (the no-op), then stops the lab.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { benchFolder, dist, labApplyRequest } from './lab-case-setup.js';
import { ms, peakRssMiB } from './measure.js';

const { runApply } = (await import(dist('ops/index.js'))) as typeof import('../src/ops/index.js');
const { labDown, runningLab } = (await import(dist('lab/index.js'))) as typeof import('../src/lab/index.js');

const which = process.argv[2] ?? 'ref';
const setup = benchFolder(which, 'mw-bench-apply-');
const { dir, platform } = setup;

const request = labApplyRequest(setup, 300_000);

try {
  let t = process.hrtime.bigint();
  const first = await runApply(request);
  const fullMs = ms(t);
  if (!first.changed) throw new Error('the first apply changed nothing');
  t = process.hrtime.bigint();
  const second = await runApply(request);
  const noopMs = ms(t);
  if (second.changed) throw new Error('the second apply changed something');
  // the no-op as a user runs it: a fresh `meshwright apply` process; the median of 5 (the first pays for a cold file cache)
  const cliRuns: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = process.hrtime.bigint();
    const cli = spawnSync(process.execPath, [dist('cli/main.js'), 'apply'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    cliRuns.push(ms(t));
    if (cli.status !== 0 || !/nothing changed/.test(cli.stdout)) throw new Error(`CLI no-op failed: ${cli.stderr}`);
  }
  const noopCliMs = cliRuns.sort((a, b) => a - b)[2]!;
  const lab = runningLab(dir);
  const hwm = lab ? Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${lab.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024 : 0;
  console.log(JSON.stringify({ clusters: platform.spec.clusters.length, nodes: platform.spec.clusters.reduce((n, c) => n + c.nodes.length, 0), fullMs, noopMs, noopCliMs, applyPeakMiB: peakRssMiB(), labPeakMiB: hwm }));
} finally {
  await labDown(dir);
  rmSync(dir, { recursive: true, force: true });
}

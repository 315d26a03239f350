/**
 * One bench/status case in a process of its own:
 *   ref   the reference lab (examples/reference-lab/platform.yaml, 2 clusters of 2 nodes)
 *   N     N generated clusters of 2 nodes (bench/generate.ts)
 * Applies the platform on the lab with the built apply (as bench/apply-case.ts does), then times
 * `meshwright status` as a user runs it (a fresh CLI process, 3 runs) and the collection alone
 * in this process (collectStatus, 3 runs), then stops the lab.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchFolder, dist, labApplyRequest } from './lab-case-setup.js';
import { ms } from './measure.js';

const { runApply } = (await import(dist('ops/index.js'))) as typeof import('../src/ops/index.js');
const { labDown } = (await import(dist('lab/index.js'))) as typeof import('../src/lab/index.js');
const { collectStatus, statusClients } = (await import(dist('status/index.js'))) as typeof import('../src/status/index.js');

const which = process.argv[2] ?? 'ref';
const RUNS = 3;
const setup = benchFolder(which, 'mw-bench-status-');
const { dir, file, platform } = setup;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  await runApply(labApplyRequest(setup, 600_000));
  const cli: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [dist('cli/main.js'), 'status'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
    cli.push(ms(t));
    if (r.status !== 0) throw new Error(`status exited ${r.status}: ${r.stderr}${r.stdout.split('\n').slice(-3).join('\n')}`);
  }
  const collect: number[] = [];
  let agents = 0;
  for (let i = 0; i < RUNS; i++) {
    const clients = statusClients(platform, file, join(dir, '.meshwright', 'lab', 'kubeconfig'), {}, false);
    const t = process.hrtime.bigint();
    const doc = await collectStatus({ platform, clients, now: () => new Date() });
    collect.push(ms(t));
    for (const c of clients) c.close();
    if (!doc.ok) throw new Error('status is not green after apply');
    agents = doc.clusters.reduce((n, c) => n + c.mesh.agents.total, 0);
  }
  console.log(JSON.stringify({ clusters: platform.spec.clusters.length, agents, links: platform.spec.clusters.length * (platform.spec.clusters.length - 1), cliMs: median(cli), cliMinMs: Math.min(...cli), collectMs: median(collect) }));
} finally {
  await labDown(dir);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * One bench/apply case in a process of its own (peak RSS is this process's):
 *   ref   the reference lab (examples/reference-lab/platform.yaml, 2 clusters of 2 nodes)
 *   N     N generated clusters of 2 nodes (bench/generate.ts)
 * Runs the built apply (dist/, so the lab process it starts runs the built lab too) in a fresh
 * folder: from nothing (lab started) to the end state, then again (the no-op), then stops the lab.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generatePlatform } from './generate.js';
import { ms, peakRssMiB } from './measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dist = (p: string) => join(ROOT, 'dist', p);
const { runApply } = (await import(dist('ops/index.js'))) as typeof import('../src/ops/index.js');
const { validatePlatformFile } = (await import(dist('spec/index.js'))) as typeof import('../src/spec/index.js');
const { labDown, runningLab } = (await import(dist('lab/index.js'))) as typeof import('../src/lab/index.js');

const which = process.argv[2] ?? 'ref';
const dir = mkdtempSync(join(tmpdir(), 'mw-bench-apply-'));
const file = join(dir, 'platform.yaml');
writeFileSync(file, which === 'ref' ? readFileSync(join(ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8') : generatePlatform(Number(which), 2));
const platform = validatePlatformFile(file).platform;
if (!platform) throw new Error(`${file} is not valid`);

const quiet = { emit: () => undefined, close: () => undefined };
const request = {
  cwd: dir,
  platform,
  platformFile: file,
  outDir: join(dir, '.meshwright', 'out'),
  stateDir: join(dir, '.meshwright', 'state', 'pki'),
  target: 'lab' as const,
  dryRun: false,
  timeoutMs: 300_000,
  contexts: {},
  charts: {},
  replace: false,
  renderOptions: { caKeyToChart: false, kubeletInsecureTls: false },
  env: process.env,
  now: () => new Date(),
  progress: quiet,
};

try {
  let t = process.hrtime.bigint();
  const first = await runApply(request);
  const fullMs = ms(t);
  if (!first.changed) throw new Error('the first apply changed nothing');
  t = process.hrtime.bigint();
  const second = await runApply(request);
  const noopMs = ms(t);
  if (second.changed) throw new Error('the second apply changed something');
  // the no-op as a user runs it: a fresh `meshwright apply` process
  t = process.hrtime.bigint();
  const cli = spawnSync(process.execPath, [dist('cli/main.js'), 'apply'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const noopCliMs = ms(t);
  if (cli.status !== 0 || !/nothing changed/.test(cli.stdout)) throw new Error(`CLI no-op failed: ${cli.stderr}`);
  const lab = runningLab(dir);
  const hwm = lab ? Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${lab.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024 : 0;
  console.log(JSON.stringify({ clusters: platform.spec.clusters.length, nodes: platform.spec.clusters.reduce((n, c) => n + c.nodes.length, 0), fullMs, noopMs, noopCliMs, applyPeakMiB: peakRssMiB(), labPeakMiB: hwm }));
} finally {
  await labDown(dir);
  rmSync(dir, { recursive: true, force: true });
}

import { Command, Option } from 'commander';
import { MeshwrightError } from '../diag/index.js';
import { ensureLabPki, labPaths, parseFault, requestFault, runningLab, type FaultReply } from '../lab/index.js';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';

/**
 * `meshwright lab fault CLUSTER clustermesh-down | foreign-ca | scale NS/DEPLOYMENT=N` and
 * `lab fault CLUSTER --clear`: fault drills, done by the lab process (src/lab/fault), which owns
 * the mesh's endpoints; `status` and `verify` must then name the fault.
 */
export function registerLabFault(lab: Command, io: CliIO): void {
  lab
    .command('fault')
    .description('break one lab cluster on purpose (clustermesh-down, foreign-ca, scale NS/DEPLOYMENT=N), or --clear its faults (simulated)')
    .argument('<cluster>', 'the lab cluster')
    .argument('[fault...]', 'clustermesh-down | foreign-ca | scale NS/DEPLOYMENT=N')
    .option('--clear', 'undo every fault of the cluster')
    .addOption(new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(async (cluster: string, words: string[], opts: { clear?: boolean; output: 'text' | 'json' }) => {
      if (opts.clear && words.length) throw usage(`--clear takes no fault (got ${words.join(' ')})`, `meshwright lab fault ${cluster} --clear`);
      const spec = opts.clear ? undefined : parseFault(words);
      if (spec && 'error' in spec) throw usage(spec.error, `e.g. meshwright lab fault ${cluster} clustermesh-down`);
      const state = runningLab(io.cwd);
      if (!state) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: 'no lab is running in this folder', hint: 'start one with: meshwright apply (or meshwright lab up)' }, EXIT.unreachable);
      const target = state.clusters.find((c) => c.name === cluster);
      if (!target) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: `the lab has no cluster ${cluster}`, hint: `clusters: ${state.clusters.map((c) => c.name).join(', ')}` }, EXIT.invalid);
      const pki = await ensureLabPki(labPaths(io.cwd).pki, new Date());
      let r: Awaited<ReturnType<typeof requestFault>>;
      try {
        r = await requestFault(target.port, pki, spec ? { cluster, fault: spec } : { cluster, clear: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') throw new MeshwrightError({ severity: 'error', code: 'LAB', message: `lab cluster ${cluster} does not answer`, hint: 'meshwright lab status' }, EXIT.unreachable);
        throw err;
      }
      if ('error' in r) throw new MeshwrightError({ severity: 'error', code: 'LAB_FAULT', message: r.error, ...(r.hint ? { hint: r.hint } : {}) }, r.status === 400 ? EXIT.invalid : EXIT.software);
      if (opts.output === 'json') io.stdout(`${JSON.stringify({ apiVersion: 'meshwright/v1alpha1', kind: 'LabFaults', simulated: true, ...r }, null, 2)}\n`);
      else io.stdout(text(cluster, r));
    });
}

function text(cluster: string, r: FaultReply): string {
  const lines = r.injected
    ? [`fault injected (simulated): ${r.faults.find((f) => f.since === r.injected!.since && f.cluster === cluster && f.kind === r.injected!.kind)?.description ?? r.injected.kind}`]
    : [r.cleared?.length ? `cleared ${r.cleared.length} fault${r.cleared.length === 1 ? '' : 's'} of ${cluster}: ${r.cleared.map((f) => f.kind).join(', ')}` : `${cluster} had no fault`];
  lines.push(r.faults.length ? `faults now: ${r.faults.map((f) => `${f.cluster} ${f.kind}`).join(', ')}` : 'no faults now');
  if (r.injected) lines.push(`see it with: meshwright status   (undo: meshwright lab fault ${cluster} --clear)`);
  return `${lines.join('\n')}\n`;
}

function usage(message: string, hint: string): MeshwrightError {
  return new MeshwrightError({ severity: 'error', code: 'USAGE', message, hint }, EXIT.usage);
}

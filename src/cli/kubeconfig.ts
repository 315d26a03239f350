import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { paint } from '../diag/index.js';
import { defaultKubeconfig, runKubeconfigMerge, type KubeconfigMergeOutcome } from '../ops/index.js';
import { collect, usage } from './args.js';
import { EXIT, ExitError } from './exit.js';
import { FORMATS, write, type Format } from './format.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { table } from './table.js';
import { validateReport } from './validate.js';
import type { Platform } from '../spec/index.js';

interface MergeOptions {
  server: string[];
  platform?: string;
  kubeconfig?: string;
  replace?: boolean;
  useContext?: string;
  dryRun?: boolean;
  output: Format;
}

/** `meshwright kubeconfig merge`: the notebook's scp and four seds, by field and without silent loss. */
export function registerKubeconfig(program: Command, io: CliIO): void {
  const kubeconfig = program.command('kubeconfig').description('bring the clusters\' admin kubeconfigs into one kubeconfig, one context per mesh cluster');
  kubeconfig
    .command('merge')
    .description('rename each admin kubeconfig (Kubespray\'s admin.conf or a control plane\'s ~/.kube/config) to its cluster\'s name, by field, and merge it into your kubeconfig')
    .argument('<CLUSTER=FILE...>', 'the mesh cluster name and the admin kubeconfig it comes from')
    .option('--server <CLUSTER=URL>', 'the API server URL for a cluster (repeatable); default: the platform\'s, else the file\'s', collect, [])
    .option('--platform <file>', 'take each cluster\'s API server URL from this platform file, as render chose it')
    .option('--kubeconfig <file>', 'the kubeconfig to merge into (default: as kubectl: the first existing KUBECONFIG entry, else ~/.kube/config)')
    .option('--replace', 'overwrite entries of the given clusters that hold other content (never any other entry)')
    .option('--use-context <CLUSTER>', 'also set current-context')
    .option('--dry-run', 'say what would change and write nothing')
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .action((pairs: string[], opts: MergeOptions, cmd: Command) => {
      const sources = pairs.map((p) => splitPair(p, 'CLUSTER=FILE')).map(([cluster, path]) => ({ cluster, path }));
      const names = sources.map((s) => s.cluster);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) usage(`cluster ${twice} is given twice`, 'each mesh cluster comes from one admin kubeconfig');
      const servers = Object.fromEntries(opts.server.map((p) => splitPair(p, 'CLUSTER=URL')));
      for (const name of Object.keys(servers)) if (!names.includes(name)) usage(`--server ${name}=…: no kubeconfig is given for cluster ${name}`);
      if (opts.useContext !== undefined && !names.includes(opts.useContext)) usage(`--use-context ${opts.useContext}: not one of the clusters merged here (${names.join(', ')})`);
      let platform: Platform | undefined;
      if (opts.platform) {
        const report = validateReport(io.cwd, opts.platform);
        if (!report.platform) {
          write(io, 'table', report, colorFor(cmd.optsWithGlobals<Globals>(), io, 'stderr'));
          throw new ExitError(EXIT.invalid);
        }
        platform = report.platform;
        const known = report.platform.spec.clusters.map((c) => c.name);
        const unknown = names.find((n) => !known.includes(n));
        if (unknown) usage(`cluster ${unknown} is not in ${opts.platform}`, `its clusters: ${known.join(', ')}`);
      }
      const target = opts.kubeconfig ? resolve(io.cwd, opts.kubeconfig) : defaultKubeconfig(io.env, io.cwd);
      const outcome = runKubeconfigMerge({
        cwd: io.cwd,
        sources,
        target,
        servers,
        ...(platform ? { platform } : {}),
        ...(opts.replace ? { replace: true } : {}),
        ...(opts.useContext !== undefined ? { useContext: opts.useContext } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
      });
      write(io, opts.output, mergeResult(outcome, Boolean(opts.dryRun)), colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout'));
    });
}

function splitPair(pair: string, shape: string): [string, string] {
  const at = pair.indexOf('=');
  if (at <= 0 || at === pair.length - 1) usage(`${pair}: expected ${shape}`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

function mergeResult(o: KubeconfigMergeOutcome, dryRun: boolean) {
  return {
    toTable: (color: boolean) => {
      const p = paint(color);
      const rows = o.merged.map((m) => [m.name, m.name, m.name, m.server, m.from, summary(m.actions)]);
      const verdict = o.written ? `${p.green('✓')} wrote ${o.target} (0600)` : dryRun ? `dry run: ${o.target} not written` : `${o.target} already holds these entries: nothing to write`;
      return [table(['context', 'cluster', 'user', 'server', 'from', 'change'], rows), '', verdict].join('\n');
    },
    toData: () => ({ apiVersion: 'meshwright/v1alpha1', kind: 'KubeconfigMerge', target: o.target, written: o.written, dryRun, clusters: o.merged }),
  };
}

function summary(actions: Record<string, string>): string {
  const values = Object.values(actions);
  return values.every((a) => a === values[0]) ? values[0]! : Object.entries(actions).map(([k, a]) => `${k} ${a}`).join(', ');
}

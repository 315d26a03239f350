import { globalAgent } from 'node:https';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { formatDiagnostic, paint } from '../diag/index.js';
import { createProgress, runApply, type ApplyOutcome, type ChartName } from '../ops/index.js';
import { collect, parseDuration, usage } from './args.js';
import { EXIT, ExitError } from './exit.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { DEFAULT_OUT, DEFAULT_STATE } from './defaults.js';
import { table } from './table.js';
import { validateReport } from './validate.js';

interface ApplyFlags {
  target: 'lab' | 'real';
  dryRun?: boolean;
  yes?: boolean;
  timeout: string;
  kubeconfig?: string;
  context: string[];
  kubespray?: string;
  chart: string[];
  replace?: boolean;
  sshUser?: string;
  outputDir: string;
  state: string;
  output: 'table' | 'json';
  kubeletInsecureTls?: boolean;
}

const CHARTS: readonly ChartName[] = ['cilium', 'metrics-server', 'kubelet-csr-approver'];

/** `meshwright apply`: build, connect and converge the platform (src/ops/apply.ts). */
export function registerApply(program: Command, io: CliIO): void {
  program
    .command('apply')
    .description('build, connect and converge the platform: Kubernetes, kubeconfigs, Cilium, LB IPAM, the mesh and the demo — resumable, and a no-op when nothing changed')
    .argument('[file]', 'platform file', 'platform.yaml')
    .addOption(new Option('--target <target>', 'lab: the embedded simulated clusters (started when not running); real: your clusters').choices(['lab', 'real']).default('lab'))
    .option('--dry-run', 'print the steps and every object that would change; change nothing')
    .option('--yes', 'skip the confirmation prompt (never a safety check)')
    .option('--timeout <duration>', 'how long each step may wait on one cluster, e.g. 300s or 5m', '5m')
    .option('--kubeconfig <file>', 'kubeconfig to reach the clusters (lab: the lab\'s; real: as kubectl finds it)')
    .option('--context <CLUSTER=CONTEXT>', 'the context a cluster is reached through (repeatable; default: the cluster\'s name)', collect, [])
    .option('--kubespray <dir>', 'a Kubespray v2.26 checkout (real target, provisioner: kubespray)')
    .option('--chart <NAME=REF>', 'where helm takes a chart from on real clusters: a repo chart, oci://… or a local .tgz (repeatable)', collect, [])
    .option('--replace', 'overwrite kubeconfig entries of these clusters that hold other content')
    .option('--ssh-user <user>', 'login for reading admin.conf over ssh (real target, Kubespray; default: the one ssh chooses, as Ansible does; not root: sudo -n)')
    .option('--output-dir <dir>', 'render output folder', DEFAULT_OUT)
    .option('--state <dir>', 'state folder (mesh CA, apply journal and lock)', DEFAULT_STATE)
    .option('--kubelet-insecure-tls', 'render metrics-server to skip kubelet certificate verification')
    .addOption(new Option('-o, --output <format>', 'table: progress and a summary; json: one JSON line per event, then the outcome').choices(['table', 'json']).default('table'))
    .action(async (file: string, flags: ApplyFlags, cmd: Command) => {
      const timeoutMs = parseDuration(flags.timeout);
      if (!timeoutMs) usage(`--timeout ${flags.timeout} is not a duration above zero`, 'give it as 300s or 5m');
      const contexts = Object.fromEntries(flags.context.map((p) => pair(p, 'CLUSTER=CONTEXT')));
      const charts: Partial<Record<ChartName, string>> = {};
      for (const [name, ref] of flags.chart.map((p) => pair(p, 'NAME=REF'))) {
        if (!(CHARTS as readonly string[]).includes(name)) usage(`--chart ${name}=…: apply installs ${CHARTS.join(', ')}`);
        charts[name as ChartName] = ref;
      }
      const report = validateReport(io.cwd, file);
      const errColor = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stderr');
      for (const d of report.diagnostics) io.stderr(`${formatDiagnostic(d, report.lines, errColor)}\n`);
      if (!report.platform) {
        io.stderr(`apply: ${file} is not valid; nothing was changed\n`);
        throw new ExitError(EXIT.invalid);
      }
      for (const name of Object.keys(contexts)) if (!report.platform.spec.clusters.some((c) => c.name === name)) usage(`--context ${name}=…: the platform has no cluster ${name}`);
      if (flags.target === 'real' && !flags.dryRun && !flags.yes) await confirm(io, report.platform.spec.clusters.map((c) => c.name));
      const mode = flags.output === 'json' ? 'json' : io.stderrIsTTY ? 'tty' : 'plain';
      const progress = createProgress(mode, mode === 'json' ? io.stdout : io.stderr);
      let outcome: ApplyOutcome;
      try {
        outcome = await runApply({
          cwd: io.cwd,
          platform: report.platform,
          platformFile: resolve(io.cwd, file),
          outDir: resolve(io.cwd, flags.outputDir),
          stateDir: resolve(io.cwd, flags.state),
          target: flags.target,
          dryRun: Boolean(flags.dryRun),
          timeoutMs: timeoutMs!,
          ...(flags.kubeconfig ? { kubeconfig: resolve(io.cwd, flags.kubeconfig) } : {}),
          contexts,
          ...(flags.kubespray ? { kubespray: resolve(io.cwd, flags.kubespray) } : {}),
          charts,
          replace: Boolean(flags.replace),
          ...(flags.sshUser ? { sshUser: flags.sshUser } : {}),
          renderOptions: { caKeyToChart: false, kubeletInsecureTls: Boolean(flags.kubeletInsecureTls) },
          env: io.env,
          now: io.now,
          progress,
        });
      } finally {
        progress.close();
        // the lab's helm client talks through node's global keep-alive agent: let the process end now
        globalAgent.destroy();
      }
      if (flags.output === 'json') io.stdout(`${JSON.stringify({ apiVersion: 'meshwright/v1alpha1', kind: 'ApplyOutcome', ...outcome })}\n`);
      else io.stdout(summary(outcome, colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout')));
    });
}

function pair(text: string, shape: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) usage(`${text}: expected ${shape}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** Real clusters are changed only after a yes on a terminal; without one, --yes is required. */
async function confirm(io: CliIO, clusters: string[]): Promise<void> {
  if (!io.stderrIsTTY || !process.stdin.isTTY) usage('apply --target real changes your clusters and is not on a terminal to ask', 'add --yes once you have read `meshwright apply --target real --dry-run`');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`apply will change ${clusters.length} real cluster${clusters.length === 1 ? '' : 's'} (${clusters.join(', ')}). Continue? [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    io.stderr('apply: nothing was changed\n');
    throw new ExitError(EXIT.invalid);
  }
}

function summary(o: ApplyOutcome, color: boolean): string {
  const p = paint(color);
  const rows: string[][] = [];
  for (const s of o.steps) {
    for (const c of s.clusters) {
      const changed = c.changes.filter((x) => x.action !== 'unchanged');
      rows.push([s.name, c.cluster, o.dryRun && c.outcome === 'changed' ? 'would change' : c.outcome, changed.map((x) => `${x.object} ${o.dryRun ? `would be ${x.action}` : x.action}`).join(', ') || '-']);
    }
  }
  const notes = o.steps.flatMap((s) => s.clusters.flatMap((c) => c.notes));
  const head = o.dryRun
    ? `${p.bold('meshwright apply --dry-run')} (${o.target}): ${o.changed ? 'these steps would change the platform; nothing was changed' : 'nothing would change'}`
    : o.changed
      ? `${p.bold('meshwright apply')} (${o.target}): the platform is converged`
      : `${p.bold('meshwright apply')} (${o.target}): nothing changed — the platform already is as the file says`;
  const tail = o.target === 'lab' ? [`export KUBECONFIG=${o.kubeconfig}   # SIMULATED clusters (meshwright lab status)`] : [];
  return [head, '', table(['step', 'cluster', 'outcome', 'objects'], rows), ...(notes.length ? ['', ...notes.map((n) => `note: ${n}`)] : []), '', ...tail].join('\n') + '\n';
}

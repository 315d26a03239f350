import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { load } from 'js-yaml';
import { MeshwrightError } from '../diag/index.js';
import { ensureLabPki, labHelm, labPaths, runningLab } from '../lab/index.js';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';

/**
 * `meshwright lab helm upgrade --install NAME CHART -f VALUES…` and `lab helm ls`: what helm
 * would do against a lab cluster, for the three charts meshwright installs (no helm binary, no
 * chart templates: src/lab/helm knows the charts' objects and their conditions).
 */
export function registerLabHelm(lab: Command, io: CliIO): void {
  const helm = lab.command('helm').description('install cilium, metrics-server or kubelet-csr-approver on a lab cluster as helm would (simulated)');
  helm
    .command('upgrade')
    .description('helm upgrade --install NAME CHART: create or upgrade the release on a lab cluster')
    .argument('<release>', 'release name')
    .argument('<chart>', 'cilium, metrics-server or kubelet-csr-approver (a repo prefix such as cilium/cilium is accepted)')
    .option('-i, --install', 'install when the release does not exist (always on here)')
    .option('-n, --namespace <ns>', 'release namespace', 'default')
    .option('-f, --values <file>', 'values file (repeatable; later files win)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--kube-context <name>', 'lab cluster (context) to install on')
    // helm's --version would collide with meshwright's own --version: --chart-version here
    .option('--chart-version <v>', 'chart version (the lab knows one per chart)')
    .option('--wait', 'accepted for compatibility; the lab answers at once')
    .action(async (release: string, chartRef: string, opts: { namespace: string; values: string[]; kubeContext?: string; chartVersion?: string }) => {
      const chart = labHelm.labChart(chartRef);
      if (!chart) throw new MeshwrightError({ severity: 'error', code: 'LAB_HELM', message: `the lab has no chart ${chartRef}`, hint: 'the lab simulates cilium, metrics-server and kubelet-csr-approver' }, EXIT.invalid);
      const known = labHelm.LAB_CHARTS[chart].version;
      if (opts.chartVersion && opts.chartVersion !== known) throw new MeshwrightError({ severity: 'error', code: 'LAB_HELM', message: `the lab simulates ${chart} ${known}, not ${opts.chartVersion}`, hint: `use --chart-version ${known}` }, EXIT.invalid);
      const values = opts.values.map((f) => readValues(resolve(io.cwd, f)));
      const { port, pki, cluster } = await target(io, opts.kubeContext);
      const r = await guard(() => labHelm.upgradeInstall(port, pki, { release, chart, namespace: opts.namespace, values, now: io.now().getTime() }));
      // helm's printRelease for the default (table) output
      io.stdout(
        `${r.version === 1 ? '' : `Release "${release}" has been upgraded. Happy Helming!\n`}NAME: ${r.name}\nLAST DEPLOYED: ${new Date(r.info.last_deployed).toUTCString()}\nNAMESPACE: ${r.namespace}\nSTATUS: ${r.info.status}\nREVISION: ${r.version}\nTEST SUITE: None\n# meshwright lab (simulated): ${chart} ${known} on ${cluster}\n`,
      );
    });
  helm
    .command('ls')
    .alias('list')
    .description("helm ls: the releases of a lab cluster with helm's columns")
    .option('-A, --all-namespaces', 'list releases across all namespaces')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('--kube-context <name>', 'lab cluster (context)')
    .action(async (opts: { allNamespaces?: boolean; namespace: string; kubeContext?: string }) => {
      const { port, pki } = await target(io, opts.kubeContext);
      const all = await guard(() => labHelm.releaseHistory(port, pki, opts.allNamespaces ? undefined : opts.namespace));
      // storage.ListDeployed-like: the newest revision of each release (helm ls shows deployed and failed ones by default)
      const newest = new Map<string, labHelm.HelmRelease>();
      for (const r of all) if ((newest.get(`${r.namespace}/${r.name}`)?.version ?? 0) < r.version) newest.set(`${r.namespace}/${r.name}`, r);
      const rows = [...newest.values()].sort((a, b) => a.name.localeCompare(b.name)).map((r) => [r.name, r.namespace, String(r.version), labHelm.goTimeString(r.info.last_deployed), r.info.status, `${r.chart.metadata.name}-${r.chart.metadata.version}`, r.chart.metadata.appVersion]);
      io.stdout(uitable([['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION'], ...rows]));
    });
}

/** gosuri/uitable as helm uses it: cells padded to the column's width, separated by a tab. */
function uitable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('\t').trimEnd()).join('\n') + '\n';
}

function readValues(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MeshwrightError({ severity: 'error', code: 'LAB_HELM', message: `cannot read values file ${file}: ${(err as Error).message}`, hint: 'give the path of a YAML values file' }, EXIT.invalid);
  }
  const v = load(text);
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new MeshwrightError({ severity: 'error', code: 'LAB_HELM', file, message: 'a values file must hold a YAML map', hint: 'helm reads values files as maps' }, EXIT.invalid);
  return v as Record<string, unknown>;
}

async function target(io: CliIO, context: string | undefined) {
  const state = runningLab(io.cwd);
  if (!state) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: 'no lab is running in this folder', hint: 'start one with: meshwright lab up [platform.yaml]' }, EXIT.unreachable);
  const c = context ? state.clusters.find((x) => x.name === context) : state.clusters[0];
  if (!c) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: `the lab has no cluster ${context}`, hint: `contexts: ${state.clusters.map((x) => x.name).join(', ')}` }, EXIT.invalid);
  return { port: c.port, pki: await ensureLabPki(labPaths(io.cwd).pki, new Date()), cluster: c.name };
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof labHelm.HelmError) throw new MeshwrightError({ severity: 'error', code: 'LAB_HELM', message: err.message, hint: 'see .meshwright/lab/lab.log' }, EXIT.invalid);
    if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') throw new MeshwrightError({ severity: 'error', code: 'LAB', message: 'the lab cluster does not answer', hint: 'meshwright lab status' }, EXIT.unreachable);
    throw err;
  }
}

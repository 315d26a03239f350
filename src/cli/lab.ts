import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { MeshwrightError, paint } from '../diag/index.js';
import { LAB_DIR, LabError, labDown, labPaths, labReset, labStatus, labUp, recordedFaults, serveLab, type LabState } from '../lab/index.js';
import { EXIT, ExitError } from './exit.js';
import { FORMATS, write, type Format } from './format.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { table } from './table.js';
import { validateReport } from './validate.js';
import { parseDuration } from './args.js';
import { registerLabHelm } from './lab-helm.js';
import { registerLabCurl } from './lab-curl.js';
import { registerLabFault } from './lab-fault.js';

const SIMULATED = 'simulated';

/** `meshwright lab up|down|status|reset`: the embedded lab of simulated clusters (src/lab). */
export function registerLab(program: Command, io: CliIO): void {
  const lab = program.command('lab').description('run the platform as simulated clusters on 127.0.0.1 that kubectl can drive');
  lab
    .command('up')
    .description('start one simulated Kubernetes API server per cluster (one background process) and write .meshwright/lab/kubeconfig')
    .argument('[file]', 'platform file', 'platform.yaml')
    .option('--foreground', 'stay attached; stop with Ctrl-C')
    .option('--latency <duration>', 'how long each simulated step takes (pod start, node Ready, LB IP), e.g. 2s or 500ms, to rehearse waits', '0s')
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .action(async (file: string, opts: { foreground?: boolean; latency: string; output: Format }, cmd: Command) => {
      const latencyMs = parseDuration(opts.latency);
      if (latencyMs === undefined) throw new MeshwrightError({ severity: 'error', code: 'USAGE', message: `--latency ${opts.latency} is not a duration`, hint: 'give it as 2s, 500ms or 1m' }, EXIT.usage);
      const color = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout');
      const report = validateReport(io.cwd, file);
      if (!report.platform) {
        write(io, 'table', report, colorFor(cmd.optsWithGlobals<Globals>(), io, 'stderr'));
        throw new ExitError(EXIT.invalid);
      }
      const req = { cwd: io.cwd, platform: report.platform, platformFile: resolve(io.cwd, file), now: io.now(), latencyMs };
      if (opts.foreground) {
        const served = await guard(() => serveLab(req, (line) => io.stderr(`${line}\n`)));
        write(io, opts.output, stateResult(served.state, 'up', false), color);
        await served.stopped;
        return;
      }
      const { state, alreadyRunning } = await guard(() => labUp(req));
      write(io, opts.output, stateResult(state, 'up', alreadyRunning), color);
    });
  lab
    .command('down')
    .description('stop the lab running in this folder (its state stays; `lab reset` clears it)')
    .action(async () => {
      const s = await labDown(io.cwd);
      io.stdout(s ? `lab stopped: platform ${s.platform.name}, ${s.clusters.map((c) => c.name).join(', ')} (${SIMULATED}); state kept in ${LAB_DIR}\n` : `no lab is running in this folder\n`);
    });
  lab
    .command('status')
    .description('list the simulated clusters of the lab in this folder, their addresses and the platform')
    .addOption(new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'))
    .action(async (opts: { output: Format }, cmd: Command) => {
      const { state, answering } = await labStatus(io.cwd);
      if (!state) {
        if (opts.output === 'table') io.stdout(`no lab is running in this folder (start one with: meshwright lab up [platform.yaml])\n`);
        else write(io, opts.output, { toTable: () => '', toData: () => ({ apiVersion: 'meshwright/v1alpha1', kind: 'LabStatus', running: false }) }, false);
        return;
      }
      write(io, opts.output, stateResult(state, 'status', false, answering, recordedFaults(labPaths(io.cwd).data)), colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout'));
      if (Object.values(answering).some((a) => !a)) throw new ExitError(EXIT.unreachable);
    });
  registerLabHelm(lab, io);
  registerLabCurl(lab, io);
  registerLabFault(lab, io);
  lab
    .command('reset')
    .description('stop the lab and clear its objects and log (the CA, ports and kubeconfig stay)')
    .action(async () => {
      const { stopped, cleared } = await labReset(io.cwd);
      io.stdout(`${stopped ? `lab stopped (platform ${stopped.platform.name}); ` : ''}${cleared.length ? `cleared ${LAB_DIR}/data and ${LAB_DIR}/lab.log` : 'nothing to clear'}\n`);
    });
}


async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LabError) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: err.message, hint: err.hint }, err.exitCode);
    throw err;
  }
}

function stateResult(state: LabState, verb: 'up' | 'status', alreadyRunning: boolean, answering?: Record<string, boolean>, faults: Array<{ cluster: string; kind: string; description: string }> = []) {
  return {
    toTable: (color: boolean) => {
      const p = paint(color);
      const head =
        verb === 'up'
          ? `${p.bold('meshwright lab')}: platform ${state.platform.name} is ${alreadyRunning ? 'already running' : 'up'} — ${state.clusters.length} SIMULATED cluster${state.clusters.length === 1 ? '' : 's'} on 127.0.0.1 (pid ${state.pid})`
          : `${p.bold('meshwright lab')}: platform ${state.platform.name} (${state.platform.file}), pid ${state.pid}, SIMULATED`;
      const rows = state.clusters.map((c) => [c.name, c.name, c.server, c.observer ?? '-', answering ? (answering[c.name] ? 'answering' : 'not answering') : 'answering', SIMULATED]);
      return [
        head,
        '',
        table(['cluster', 'context', 'api server', 'hubble relay', 'state', 'kind'], rows),
        '',
        ...(faults.length ? ['fault drills (meshwright lab fault CLUSTER --clear undoes them):', ...faults.map((f) => `  ${f.description}`), ''] : []),
        `export KUBECONFIG=${LAB_DIR}/kubeconfig`,
        `kubectl --context ${state.clusters[0]?.name ?? ''} get nodes   # NotReady until Cilium is installed`,
      ].join('\n');
    },
    toData: () => ({ apiVersion: 'meshwright/v1alpha1', kind: 'LabStatus', running: true, simulated: true, alreadyRunning, pid: state.pid, platform: state.platform, kubeconfig: state.kubeconfig, clusters: state.clusters.map((c) => ({ ...c, ...(answering ? { answering: answering[c.name] } : {}) })), ...(verb === 'status' ? { faults: faults.map(({ cluster, kind, description }) => ({ cluster, kind, description })) } : {}) }),
  };
}

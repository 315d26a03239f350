import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MeshwrightError } from '../diag/index.js';
import { LabError, labPaths, labUp, runningLab } from '../lab/index.js';
import { buildPlan, platformObjects } from '../plan/index.js';
import type { RenderOptions } from '../render/index.js';
import type { ClusterSpec, Platform } from '../spec/index.js';
import { labHelmDriver, realHelmDriver, type HelmDriver } from './helm-driver.js';
import { inputsHash, Journal, readAppliedPlatform, writeAppliedPlatform } from './journal.js';
import type { ObjectChange } from './kube/apply.js';
import { MissingContext, openEndpoint, type ClusterEndpoint } from './kube/endpoint.js';
import { clusterUid, getJson, isLabVersion, serverVersion } from './kube/http.js';
import { NotReady, waitUntil } from './kube/wait.js';
import { takeApplyLock } from './lock.js';
import { testKill } from './test-kill.js';
import { preflightReal } from './preflight.js';
import { AppliedObjects, desiredObjects, pruneObjects } from './prune.js';
import type { Progress } from './progress.js';
import { unchangedRender, writeRenderStamp } from './render-stamp.js';
import { ciliumStep } from './steps/cilium.js';
import { demoStep } from './steps/demo.js';
import { lbIpamStep } from './steps/lb-ipam.js';
import { filesOf, manifestObjects } from './steps/manifests.js';
import { meshStep } from './steps/mesh.js';
import type { ClusterHandle, ClusterStep, StepContext, StepOutcome } from './steps/types.js';
import { ansiblePlaybookArgs } from './tools/ansible-args.js';
import type { ChartName } from './tools/charts.js';
import { runTool } from './tools/run-tool.js';

export interface ApplyRequest {
  cwd: string;
  platform: Platform;
  /** Absolute path of the platform file (the lab is keyed by it). */
  platformFile: string;
  outDir: string;
  stateDir: string;
  target: 'lab' | 'real';
  dryRun: boolean;
  /** Per step and cluster. */
  timeoutMs: number;
  /** --kubeconfig: where clusters are reached (and, on real Kubespray clusters, merged into). */
  kubeconfig?: string;
  /** --context CLUSTER=CONTEXT. */
  contexts: Record<string, string>;
  kubespray?: string;
  charts: Partial<Record<ChartName, string>>;
  replace: boolean;
  /** ssh login for fetching admin.conf (real target, Kubespray); unset: the one ssh chooses. */
  sshUser?: string;
  renderOptions: RenderOptions;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  progress: Progress;
}

export type ClusterOutcome = { cluster: string; outcome: 'changed' | 'unchanged' | 'skipped'; changes: ObjectChange[]; notes: string[] };
export interface StepReport {
  name: string;
  title: string;
  clusters: ClusterOutcome[];
}

export interface ApplyOutcome {
  dryRun: boolean;
  target: 'lab' | 'real';
  kubeconfig: string;
  steps: StepReport[];
  /** Did anything change (or, with dryRun, would it)? */
  changed: boolean;
}

/**
 * Render's pipeline, compared first with the output already on disk: when the output and the
 * mesh certificates would stay as they are (a re-run), nothing is rewritten (render writes and
 * fsyncs its whole tree, the larger part of a no-op apply); otherwise render writes as `render`
 * does. A dry run only compares. Before that, the stamp the last apply left (render-stamp.ts)
 * says whether render would give the very bytes on disk again: then those are used, and render,
 * the certificate checks and their modules are not even loaded.
 */
async function renderOnce(req: ApplyRequest): Promise<{ files: Array<{ path: string; content: string }> }> {
  const unchanged = unchangedRender(req.platform, req.renderOptions, req.outDir, req.stateDir, req.now());
  if (unchanged) return { files: unchanged };
  const { runRender } = await import('./render.js');
  const base = { platform: req.platform, outDir: req.outDir, stateDir: req.stateDir, now: req.now(), options: req.renderOptions };
  const compared = await runRender({ ...base, diff: true });
  const same = compared.changes?.length === 0 && compared.events.every((e) => e.action === 'reused');
  if (req.dryRun) return compared;
  const written = same ? compared : await runRender({ ...base, diff: false });
  writeRenderStamp(req.platform, req.renderOptions, req.outDir, req.stateDir, written.certificates);
  return written;
}

/** The API steps, in the notebook's order. */
export const CLUSTER_STEPS: readonly ClusterStep[] = [ciliumStep, lbIpamStep, meshStep, demoStep];


/**
 * `meshwright apply`: render through render's own pipeline, reach every cluster (the lab,
 * started when it is not running, or real clusters through their kubeconfig contexts), then run
 * each step on every cluster — journalled, resumable, and a no-op when nothing changed.
 */
export async function runApply(req: ApplyRequest): Promise<ApplyOutcome> {
  const release = req.dryRun ? () => undefined : takeApplyLock(req.stateDir, req.now());
  try {
    return await applyLocked(req);
  } finally {
    release();
  }
}

async function applyLocked(req: ApplyRequest): Promise<ApplyOutcome> {
  const { platform } = req;
  refuseChangedPodCidrs(platform, readAppliedPlatform(req.stateDir)?.clusters ?? [], 'the last apply');
  const tools = req.target === 'real' ? await preflightReal(platform, { env: req.env, ...(req.kubespray ? { kubespray: req.kubespray } : {}) }) : undefined;
  const rendered = await renderOnce(req);
  const files = new Map(rendered.files.map((f) => [f.path, f.content]));
  const journal = Journal.open(req.stateDir, platform.metadata.name);
  const reports: StepReport[] = [];

  // 1. provision
  const provision = await provisionStep(req, files, journal, tools?.ansiblePlaybook, tools?.kubespray);
  reports.push(provision.report);
  if (provision.labMissing) return dryRunWithoutLab(req, files, reports);

  // 2. kubeconfig
  const kubeconfig = req.kubeconfig ?? (req.target === 'lab' ? labPaths(req.cwd).kubeconfig : (await import('./kubeconfig/index.js')).defaultKubeconfig(req.env, req.cwd));
  if (req.dryRun && req.target === 'real' && platform.spec.kubernetes.provisioner === 'kubespray' && platform.spec.clusters.some((c) => !existsSync(adminConf(req, c.name)))) {
    // the clusters are not built yet: nothing to compare with, everything would be made
    return dryRunWithoutLab(req, files, reports, kubeconfig);
  }
  reports.push(await kubeconfigStep(req, journal, kubeconfig));

  // reach every cluster, and make sure it is what --target says
  const clients = await connect(req, kubeconfig);
  try {
    return await converge(req, { files, journal, reports, kubeconfig, clients, tools });
  } finally {
    for (const c of clients) c.close();
  }
}

async function converge(
  req: ApplyRequest,
  s: { files: Map<string, string>; journal: Journal; reports: StepReport[]; kubeconfig: string; clients: ClusterEndpoint[]; tools: Awaited<ReturnType<typeof preflightReal>> | undefined },
): Promise<ApplyOutcome> {
  const { platform } = req;
  const { files, journal, reports, kubeconfig, clients, tools } = s;
  const clusters = platform.spec.clusters;
  await refuseLiveCidrChange(platform, clients);
  const uids = new Map(await Promise.all(clients.map(async (c) => [c.cluster, await clusterUid(c)] as const)));

  const helm: HelmDriver = req.target === 'lab' ? labHelmDriver(req.cwd, req.now, req.env) : realHelmDriver({ helm: tools!.helm, ciliumVersion: platform.spec.cilium.version, charts: req.charts, env: req.env });
  const ctx: StepContext = { platform, target: req.target, files, outDir: req.outDir, plan: buildPlan({ platform, objects: platformObjects(platform) }), helm, kubeconfig, timeoutMs: req.timeoutMs, now: req.now };

  // what this apply will apply is recorded (with what earlier ones did) before any of it is applied
  const applied = AppliedObjects.open(req.stateDir, platform.metadata.name);
  const desired = new Map(clusters.map((c) => [c.name, desiredObjects(files, c.name)]));
  if (!req.dryRun) for (const c of clusters) applied.set(c.name, [...applied.recorded(c.name), ...desired.get(c.name)!]);

  for (const step of CLUSTER_STEPS) {
    const targets = clusters.filter((c) => step.applies(ctx, c));
    if (!targets.length) continue;
    req.progress.emit({ type: 'start', step: step.name, title: step.title, clusters: targets.map((c) => c.name) });
    const results = await Promise.allSettled(targets.map((spec) => runOnCluster(req, ctx, journal, step, spec, clients.find((c) => c.cluster === spec.name)!, uids.get(spec.name)!)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const outcomes = results.filter((r): r is PromiseFulfilledResult<ClusterOutcome> => r.status === 'fulfilled').map((r) => r.value);
    if (failed) {
      req.progress.emit({ type: 'done', step: step.name, outcome: 'failed', detail: failed.reason instanceof Error ? failed.reason.message : String(failed.reason) });
      throw failed.reason;
    }
    reports.push({ name: step.name, title: step.title, clusters: outcomes });
    req.progress.emit({ type: 'done', step: step.name, ...summarize(outcomes, req.dryRun) });
  }
  reports.push(await pruneStep(req, clusters, clients, applied, desired));
  if (!req.dryRun) writeAppliedPlatform(req.stateDir, { platform: platform.metadata.name, file: req.platformFile, clusters: clusters.map((c) => ({ name: c.name, podCIDR: c.podCIDR })) });
  return { dryRun: req.dryRun, target: req.target, kubeconfig, steps: reports, changed: reports.some((s) => s.clusters.some((c) => c.outcome === 'changed')) };
}

/** Last: objects meshwright applied earlier that the render no longer has are deleted (prune.ts). */
async function pruneStep(req: ApplyRequest, clusters: readonly ClusterSpec[], clients: ClusterEndpoint[], applied: AppliedObjects, desired: Map<string, ReturnType<typeof desiredObjects>>): Promise<StepReport> {
  const name = 'prune';
  const title = 'objects meshwright applied before and no longer renders';
  req.progress.emit({ type: 'start', step: name, title, clusters: clusters.map((c) => c.name) });
  const outcomes = await Promise.all(
    clusters.map(async (spec): Promise<ClusterOutcome> => {
      const stale = applied.stale(spec.name, desired.get(spec.name)!);
      const { changes, notes } = await pruneObjects(clients.find((c) => c.cluster === spec.name)!, stale, req.dryRun);
      if (!req.dryRun) applied.set(spec.name, desired.get(spec.name)!);
      for (const n of notes) req.progress.emit({ type: 'note', step: name, message: n });
      return { cluster: spec.name, outcome: changes.length ? 'changed' : 'unchanged', changes, notes };
    }),
  );
  req.progress.emit({ type: 'done', step: name, ...summarize(outcomes, req.dryRun) });
  return { name, title, clusters: outcomes };
}

function summarize(outcomes: ClusterOutcome[], dryRun: boolean): { outcome: 'changed' | 'unchanged' | 'skipped'; detail: string } {
  const changed = outcomes.filter((o) => o.outcome === 'changed');
  const skipped = outcomes.every((o) => o.outcome === 'skipped');
  const objects = changed.flatMap((o) => o.changes.filter((c) => c.action !== 'unchanged'));
  if (changed.length) return { outcome: 'changed', detail: `${objects.length} object${objects.length === 1 ? '' : 's'} ${dryRun ? 'would change' : 'changed'} in ${changed.map((o) => o.cluster).join(', ')}` };
  return { outcome: skipped ? 'skipped' : 'unchanged', detail: skipped ? 'done before with the same inputs (journal)' : 'nothing to change' };
}

async function runOnCluster(req: ApplyRequest, ctx: StepContext, journal: Journal, step: ClusterStep, spec: ClusterSpec, endpoint: ClusterEndpoint, uid: string): Promise<ClusterOutcome> {
  const inputs = inputsHash({ inputs: step.inputs(ctx, spec), cluster: uid });
  if (!req.dryRun && journal.isDone(step.name, spec.name, inputs)) {
    req.progress.emit({ type: 'cluster', step: step.name, cluster: spec.name, outcome: 'skipped', detail: 'done before with the same inputs' });
    return { cluster: spec.name, outcome: 'skipped', changes: [], notes: [] };
  }
  // client-node is loaded only now, when a step has something to do (a no-op apply never needs it)
  const client = await endpoint.full();
  const startedAt = Date.now();
  const before = journal.get(step.name, spec.name);
  const handle: ClusterHandle = {
    spec,
    client,
    ...(before?.state === 'started' ? { interrupted: { since: new Date(before.at), pid: before.pid } } : {}),
    note: (message) => req.progress.emit({ type: 'note', step: step.name, message }),
    wait: async (paths, check) => {
      try {
        await waitUntil(client, paths, check, { deadline: startedAt + req.timeoutMs, startedAt, onWaiting: (what) => req.progress.emit({ type: 'waiting', step: step.name, cluster: spec.name, what }) });
      } catch (err) {
        if (err instanceof NotReady) {
          throw new MeshwrightError({ severity: 'error', code: 'APPLY_TIMEOUT', message: `step ${step.name} on ${spec.name}: still waiting for ${err.waitingFor} after ${Math.round(req.timeoutMs / 1000)}s`, hint: 'raise --timeout, or look at the cluster (kubectl get pods -A, events); a re-run resumes here' }, 3);
        }
        throw err;
      }
    },
  };
  if (req.dryRun) {
    const changes = await step.preview(ctx, handle);
    const outcome = changes.some((c) => c.action !== 'unchanged') ? 'changed' : 'unchanged';
    return { cluster: spec.name, outcome, changes, notes: [] };
  }
  journal.record({ step: step.name, cluster: spec.name, inputs, state: 'started', description: '' }, req.now());
  let result: StepOutcome;
  try {
    result = await step.run(ctx, handle);
  } catch (err) {
    journal.record({ step: step.name, cluster: spec.name, inputs, state: 'failed', description: err instanceof Error ? err.message : String(err) }, req.now());
    throw err;
  }
  testKill(req.env, step.name, spec.name);
  const changed = result.changes.filter((c) => c.action !== 'unchanged');
  journal.record({ step: step.name, cluster: spec.name, inputs, state: 'done', description: changed.map((c) => `${c.object} ${c.action}`).join(', ') || 'unchanged' }, req.now());
  for (const n of result.notes) handle.note(n);
  const outcome = changed.length ? 'changed' : 'unchanged';
  req.progress.emit({ type: 'cluster', step: step.name, cluster: spec.name, outcome, detail: changed.map((c) => `${c.object} ${c.action}`).join(', ') });
  return { cluster: spec.name, outcome, changes: result.changes, notes: result.notes };
}

/** Step 1: the lab started (its nodes NotReady, as after Kubespray without a CNI), or Kubespray's cluster.yml per cluster. */
async function provisionStep(req: ApplyRequest, files: ReadonlyMap<string, string>, journal: Journal, ansible: string | undefined, kubespray: string | undefined): Promise<{ report: StepReport; labMissing: boolean }> {
  const name = 'provision';
  const clusters = req.platform.spec.clusters;
  const title = req.target === 'lab' ? 'the lab (simulated clusters on 127.0.0.1)' : req.platform.spec.kubernetes.provisioner === 'kubespray' ? 'Kubernetes by Kubespray (ansible-playbook cluster.yml)' : 'existing clusters (provisioner: existing)';
  req.progress.emit({ type: 'start', step: name, title, clusters: clusters.map((c) => c.name) });
  const report: StepReport = { name, title, clusters: [] };
  if (req.target === 'lab') {
    const running = runningLab(req.cwd);
    if (req.dryRun) {
      const outcome = running ? 'unchanged' : 'changed';
      report.clusters = clusters.map((c) => ({ cluster: c.name, outcome, changes: running ? [] : [{ cluster: c.name, object: 'Lab/cluster', action: 'created' }], notes: [] }));
      req.progress.emit({ type: 'done', step: name, outcome, detail: running ? `lab running (pid ${running.pid})` : `would start the lab in ${labPaths(req.cwd).dir}` });
      return { report, labMissing: !running };
    }
    let up;
    try {
      up = await labUp({ cwd: req.cwd, platform: req.platform, platformFile: req.platformFile, now: req.now() });
    } catch (err) {
      if (err instanceof LabError) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: err.message, hint: err.hint }, err.exitCode);
      throw err;
    }
    const outcome = up.alreadyRunning ? 'unchanged' : 'changed';
    for (const c of clusters) testKill(req.env, name, c.name);
    const labInputs = inputsHash({ lab: up.state.pid });
    for (const c of clusters) if (!journal.isDone(name, c.name, labInputs)) journal.record({ step: name, cluster: c.name, inputs: labInputs, state: 'done', description: up.alreadyRunning ? 'lab already running' : 'lab started' }, req.now());
    report.clusters = clusters.map((c) => ({ cluster: c.name, outcome, changes: up.alreadyRunning ? [] : [{ cluster: c.name, object: 'Lab/cluster', action: 'created' }], notes: [] }));
    req.progress.emit({ type: 'done', step: name, outcome, detail: up.alreadyRunning ? `lab already running (pid ${up.state.pid})` : `lab started (pid ${up.state.pid}), nodes NotReady until Cilium runs` });
    return { report, labMissing: false };
  }
  if (req.platform.spec.kubernetes.provisioner === 'existing') {
    report.clusters = clusters.map((c) => ({ cluster: c.name, outcome: 'skipped', changes: [], notes: [] }));
    req.progress.emit({ type: 'done', step: name, outcome: 'skipped', detail: 'provisioner: existing — reached through their kubeconfig contexts' });
    return { report, labMissing: false };
  }
  for (const c of clusters) {
    const inventory = join(req.outDir, c.name, 'kubespray');
    const inputs = inputsHash(filesOf(files, [`${c.name}/kubespray/hosts.yaml`, `${c.name}/kubespray/group_vars/k8s_cluster/k8s-cluster.yml`]));
    if (journal.isDone(name, c.name, inputs)) {
      report.clusters.push({ cluster: c.name, outcome: 'skipped', changes: [], notes: [] });
      req.progress.emit({ type: 'cluster', step: name, cluster: c.name, outcome: 'skipped', detail: 'done before with the same inventory' });
      continue;
    }
    const { cwd, args } = ansiblePlaybookArgs({ kubespray: kubespray!, inventory, become: true });
    if (req.dryRun) {
      report.clusters.push({ cluster: c.name, outcome: 'changed', changes: [{ cluster: c.name, object: `ansible-playbook ${args.join(' ')}`, action: 'configured' }], notes: [] });
      continue;
    }
    journal.record({ step: name, cluster: c.name, inputs, state: 'started', description: '' }, req.now());
    req.progress.emit({ type: 'waiting', step: name, cluster: c.name, what: `ansible-playbook cluster.yml for ${c.name}` });
    const r = await runTool(ansible!, args, { cwd, env: req.env, timeoutMs: req.timeoutMs });
    if (r.code !== 0 || r.timedOut) {
      const why = r.timedOut ? `did not finish within ${Math.round(req.timeoutMs / 1000)}s` : `failed (exit ${r.code})`;
      journal.record({ step: name, cluster: c.name, inputs, state: 'failed', description: why }, req.now());
      throw new MeshwrightError({ severity: 'error', code: 'KUBESPRAY', message: `ansible-playbook cluster.yml for ${c.name} ${why}: ${r.tail}`, hint: `cd ${cwd} && ansible-playbook ${args.join(' ')}` }, 3);
    }
    testKill(req.env, name, c.name);
    journal.record({ step: name, cluster: c.name, inputs, state: 'done', description: 'cluster.yml ran' }, req.now());
    report.clusters.push({ cluster: c.name, outcome: 'changed', changes: [], notes: [] });
  }
  req.progress.emit({ type: 'done', step: name, outcome: report.clusters.some((c) => c.outcome === 'changed') ? 'changed' : 'skipped', detail: '' });
  return { report, labMissing: false };
}

/** Step 2: the lab's kubeconfig as it is; on Kubespray clusters, the admin kubeconfigs merged into the target. */
async function kubeconfigStep(req: ApplyRequest, journal: Journal, kubeconfig: string): Promise<StepReport> {
  const name = 'kubeconfig';
  const clusters = req.platform.spec.clusters;
  const title = `kubeconfig ${kubeconfig}`;
  req.progress.emit({ type: 'start', step: name, title, clusters: clusters.map((c) => c.name) });
  if (req.target === 'lab' || req.platform.spec.kubernetes.provisioner === 'existing') {
    req.progress.emit({ type: 'done', step: name, outcome: 'unchanged', detail: req.target === 'lab' ? "the lab's kubeconfig" : 'contexts as they are' });
    return { name, title, clusters: clusters.map((c) => ({ cluster: c.name, outcome: 'unchanged', changes: [], notes: [] })) };
  }
  const { fetchAdminConf, runKubeconfigMerge } = await import('./kubeconfig/index.js');
  if (!req.dryRun) {
    // Kubespray leaves artifacts/admin.conf only with kubeconfig_localhost; otherwise it is read
    // from the first control plane over ssh, as the notebook's scp of /etc/kubernetes/admin.conf
    await Promise.all(
      clusters
        .filter((c) => !existsSync(adminConf(req, c.name)))
        .map((c) => {
          const cp = c.nodes.find((n) => n.role === 'control-plane') ?? c.nodes[0]!;
          req.progress.emit({ type: 'waiting', step: name, cluster: c.name, what: `ssh ${req.sshUser ? `${req.sshUser}@` : ''}${cp.address}: /etc/kubernetes/admin.conf` });
          return fetchAdminConf({ cluster: c.name, host: cp.address, ...(req.sshUser ? { user: req.sshUser } : {}), dest: adminConf(req, c.name), env: req.env, timeoutMs: Math.min(req.timeoutMs, 120_000) });
        }),
    );
  }
  const merged = runKubeconfigMerge({
    cwd: req.cwd,
    sources: clusters.map((c) => ({ cluster: c.name, path: adminConf(req, c.name) })),
    target: kubeconfig,
    servers: {},
    platform: req.platform,
    replace: req.replace,
    dryRun: req.dryRun,
  });
  const outcomes: ClusterOutcome[] = merged.merged.map((m) => {
    const changed = Object.values(m.actions).some((a) => a !== 'unchanged');
    return { cluster: m.name, outcome: changed ? 'changed' : 'unchanged', changes: changed ? [{ cluster: m.name, object: `kubeconfig context ${m.name}`, action: 'configured' }] : [], notes: [] };
  });
  if (!req.dryRun) for (const c of clusters) journal.record({ step: name, cluster: c.name, inputs: inputsHash({ kubeconfig }), state: 'done', description: merged.written ? 'merged' : 'unchanged' }, req.now());
  req.progress.emit({ type: 'done', step: name, outcome: merged.written ? 'changed' : 'unchanged', detail: merged.written ? `merged into ${kubeconfig}` : 'already merged' });
  return { name, title, clusters: outcomes };
}

/** Where Kubespray leaves a cluster's admin kubeconfig (kubeconfig_localhost: {{ inventory_dir }}/artifacts/admin.conf). */
const adminConf = (req: ApplyRequest, cluster: string): string => join(req.outDir, cluster, 'kubespray', 'artifacts', 'admin.conf');

/** Clients for every cluster; each API server must answer and be of the kind --target names. */
async function connect(req: ApplyRequest, kubeconfig: string): Promise<ClusterEndpoint[]> {
  return Promise.all(
    req.platform.spec.clusters.map(async (spec) => {
      // --context wins, then the platform's kubeconfig reference (provisioner: existing), then the cluster's name
      const ref = req.target === 'real' && !req.kubeconfig ? spec.kubeconfig : undefined;
      const context = req.contexts[spec.name] ?? ref?.context ?? spec.name;
      const file = ref?.path ? resolve(dirname(req.platformFile), ref.path) : kubeconfig;
      let client: ClusterEndpoint;
      try {
        client = await openEndpoint(file, spec.name, context);
      } catch (err) {
        if (err instanceof MissingContext) throw new MeshwrightError({ severity: 'error', code: 'APPLY_CONTEXT', file, message: err.message, hint: `name the context with --context ${spec.name}=CONTEXT, or --kubeconfig another file` }, 3);
        throw new MeshwrightError({ severity: 'error', code: 'APPLY_KUBECONFIG', file, message: `cannot read ${file}: ${(err as Error).message}`, hint: 'give a kubeconfig with --kubeconfig' }, 3);
      }
      let version: string;
      try {
        version = (await serverVersion(client)).gitVersion;
      } catch (err) {
        throw new MeshwrightError({ severity: 'error', code: 'APPLY_UNREACHABLE', message: `the API server of ${spec.name} (context ${context}, ${client.server}) does not answer: ${(err as Error).message}`, hint: req.target === 'lab' ? 'meshwright lab status' : 'check the kubeconfig and the network (kubectl --context ' + context + ' version)' }, 3);
      }
      const lab = isLabVersion(version);
      if (req.target === 'real' && lab) throw new MeshwrightError({ severity: 'error', code: 'APPLY_TARGET', message: `context ${context} reaches a meshwright lab (/version ${version}), not a real cluster`, hint: 'use --target lab for the lab, or --kubeconfig/--context for the real cluster (the lab names its contexts after the clusters too)' }, 1);
      if (req.target === 'lab' && !lab) throw new MeshwrightError({ severity: 'error', code: 'APPLY_TARGET', message: `context ${context} reaches a real API server (/version ${version}), not the meshwright lab`, hint: 'use --target real for real clusters; --target lab only drives the lab' }, 1);
      return client;
    }),
  );
}

const CIDR_HINT = 'Cilium cannot change a running cluster-pool IPAM range in place (pods keep their addresses, nodes keep their slices): rebuild the cluster, or keep the old podCIDR in platform.yaml';

/** A pod CIDR changed since the last apply is refused, with why. */
function refuseChangedPodCidrs(platform: Platform, before: Array<{ name: string; podCIDR: string }>, where: string): void {
  const changed = platform.spec.clusters.flatMap((c) => {
    const old = before.find((b) => b.name === c.name);
    return old && old.podCIDR !== c.podCIDR ? [{ c, old: old.podCIDR }] : [];
  });
  if (changed.length) {
    throw new MeshwrightError(changed.map(({ c, old }) => ({ severity: 'error' as const, code: 'POD_CIDR_CHANGED', message: `cluster ${c.name}: podCIDR ${c.podCIDR} differs from ${old} in ${where}`, hint: CIDR_HINT })));
  }
}

/** The same, against what a cluster's Cilium runs with (cilium-config cluster-pool-ipv4-cidr). */
async function refuseLiveCidrChange(platform: Platform, clients: ClusterEndpoint[]): Promise<void> {
  const live = await Promise.all(
    clients.map(async (c) => {
      const cm = await getJson(c, '/api/v1/namespaces/kube-system/configmaps/cilium-config');
      const cidr = String(cm?.data?.['cluster-pool-ipv4-cidr'] ?? '').split(/[ ,]/)[0];
      return cidr ? [{ name: c.cluster, podCIDR: cidr }] : [];
    }),
  );
  refuseChangedPodCidrs(platform, live.flat(), "the cluster's cilium-config");
}

/** --dry-run before the clusters exist (no lab running, or Kubespray has not built them): every object would be created. */
function dryRunWithoutLab(req: ApplyRequest, files: ReadonlyMap<string, string>, reports: StepReport[], kubeconfig?: string): ApplyOutcome {
  const ctxFiles = files;
  for (const step of CLUSTER_STEPS) {
    const outcomes: ClusterOutcome[] = [];
    for (const spec of req.platform.spec.clusters) {
      const manifests = [...ctxFiles.keys()].filter((p) => p.startsWith(`${spec.name}/manifests/`) && belongs(step.name, p));
      const changes: ObjectChange[] = manifests.flatMap((p) => manifestObjects(ctxFiles, p).map((o) => ({ cluster: spec.name, object: `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`, action: 'created' as const })));
      if (step.name === 'cilium') for (const chart of ['cilium', 'kubelet-csr-approver', 'metrics-server']) if (ctxFiles.has(`${spec.name}/helm/${chart}-values.yaml`)) changes.push({ cluster: spec.name, object: `HelmRelease/kube-system/${chart}`, action: 'created' });
      if (changes.length) outcomes.push({ cluster: spec.name, outcome: 'changed', changes, notes: [] });
    }
    if (outcomes.length) {
      reports.push({ name: step.name, title: step.title, clusters: outcomes });
      req.progress.emit({ type: 'start', step: step.name, title: step.title, clusters: outcomes.map((o) => o.cluster) });
      req.progress.emit({ type: 'done', step: step.name, ...summarize(outcomes, true) });
    }
  }
  return { dryRun: true, target: req.target, kubeconfig: kubeconfig ?? req.kubeconfig ?? labPaths(req.cwd).kubeconfig, steps: reports, changed: true };
}

function belongs(step: string, path: string): boolean {
  const file = path.split('/').pop()!;
  if (step === 'cilium') return file.startsWith('00-');
  if (step === 'lb-ipam') return file.startsWith('01-') || file.startsWith('02-');
  if (step === 'demo') return file.startsWith('03-');
  return false;
}

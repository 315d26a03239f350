import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import { MeshwrightError, type Diagnostic } from '../../diag/index.js';
import { apiServerUrl } from '../../render/index.js';
import { readSourceFile, YamlSource } from '../../source/index.js';
import type { Platform } from '../../spec/index.js';
import { isRecord, readAdminAccess } from './admin-conf.js';
import { mergeKubeconfig, type MergedCluster, type MergeInput } from './merge.js';
import { writeKubeconfig } from './target.js';

export interface KubeconfigMergeRequest {
  cwd: string;
  /** Mesh cluster name → its admin kubeconfig, in the order given. */
  sources: { cluster: string; path: string }[];
  /** The target kubeconfig (absolute). */
  target: string;
  /** Explicit API server URLs per cluster; win over the platform's. */
  servers: Record<string, string>;
  platform?: Platform;
  replace?: boolean;
  useContext?: string;
  dryRun?: boolean;
}

export interface KubeconfigMergeOutcome {
  target: string;
  merged: MergedCluster[];
  written: boolean;
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/;

/**
 * `kubeconfig merge` and apply's kubeconfig step: each admin kubeconfig renamed to its mesh
 * cluster, pointed at the API server every machine can reach, merged into the target without
 * silently dropping anything. Errors are collected for every source before anything is written.
 */
export function runKubeconfigMerge(req: KubeconfigMergeRequest): KubeconfigMergeOutcome {
  const diagnostics: Diagnostic[] = [];
  const inputs: MergeInput[] = [];
  for (const s of req.sources) {
    const input = readInput(req, s, diagnostics);
    if (input) inputs.push(input);
  }
  const target = readTarget(req.target, diagnostics);
  if (diagnostics.length) throw new MeshwrightError(diagnostics);
  const outcome = mergeKubeconfig(target, inputs, { ...(req.replace ? { replace: true } : {}), ...(req.useContext !== undefined ? { useContext: req.useContext } : {}) });
  if (outcome.collisions.length || !('config' in outcome)) {
    throw new MeshwrightError(
      outcome.collisions.map((c) => ({
        severity: 'error',
        code: 'KUBECONFIG_COLLISION',
        file: req.target,
        message: `${req.target} already holds ${c.list.slice(0, -1)} ${c.name} with other content than ${c.from} brings`,
        hint: 'compare them with `kubectl config view`; --replace overwrites the entries of the clusters given here, nothing else',
      })),
    );
  }
  const changed = outcome.merged.some((m) => Object.values(m.actions).some((a) => a !== 'unchanged')) || (req.useContext !== undefined && target?.['current-context'] !== req.useContext);
  if (changed && !req.dryRun) writeKubeconfig(req.target, stringify(outcome.config, { lineWidth: 0 }));
  return { target: req.target, merged: outcome.merged, written: changed && !req.dryRun };
}

function readInput(req: KubeconfigMergeRequest, s: { cluster: string; path: string }, diagnostics: Diagnostic[]): MergeInput | undefined {
  const path = resolve(req.cwd, s.path);
  let text: string;
  try {
    text = readSourceFile(path, 'kubeconfig', s.path).text;
  } catch (err) {
    if (err instanceof MeshwrightError) return void diagnostics.push(...err.diagnostics);
    throw err;
  }
  const { access, diagnostics: found } = readAdminAccess(new YamlSource(s.path, text), dirname(path));
  diagnostics.push(...found);
  if (!access) return undefined;
  const server = req.servers[s.cluster] ?? platformServer(req.platform, s.cluster);
  const current = isRecord(access.cluster.value.cluster) ? String(access.cluster.value.cluster.server ?? '') : '';
  if (server === undefined && LOOPBACK.test(current)) {
    diagnostics.push({
      severity: 'error',
      code: 'KUBECONFIG_LOOPBACK_SERVER',
      file: s.path,
      message: `${s.path} points at ${current}, which reaches ${s.cluster}'s API server only from its own control plane`,
      hint: `give the address every machine reaches: --server ${s.cluster}=https://ADDRESS:6443 (an address in the API server's certificate), or the platform file`,
    });
    return undefined;
  }
  return { name: s.cluster, access, ...(server !== undefined ? { server } : {}) };
}

/** Render's choice for the cluster (kubeconfig-plan.yaml), for clusters Kubespray builds. */
function platformServer(platform: Platform | undefined, name: string): string | undefined {
  const cluster = platform?.spec.clusters.find((c) => c.name === name);
  if (!platform || !cluster || platform.spec.kubernetes.provisioner !== 'kubespray') return undefined;
  return apiServerUrl(cluster);
}

function readTarget(path: string, diagnostics: Diagnostic[]): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readSourceFile(path, 'kubeconfig').text;
  } catch (err) {
    if (err instanceof MeshwrightError) return void diagnostics.push(...err.diagnostics);
    throw err;
  }
  if (text.trim() === '') return undefined;
  const source = new YamlSource(path, text);
  const { value, diagnostics: found } = source.load();
  diagnostics.push(...found);
  if (!isRecord(value)) return undefined;
  // client-go refuses a file with one name twice in a list (api/v1/conversion.go); so do we, rather than guess.
  for (const list of ['clusters', 'users', 'contexts']) {
    const seen = new Set<string>();
    (Array.isArray(value[list]) ? (value[list] as unknown[]) : []).forEach((e, i) => {
      const name = isRecord(e) ? String(e.name) : '';
      if (seen.has(name)) diagnostics.push(source.at([list, i, 'name'], 'KUBECONFIG_INVALID', `duplicate name "${name}" in ${list}: kubectl refuses this file`, 'error', 'remove one of the two entries'));
      seen.add(name);
    });
  }
  return value;
}

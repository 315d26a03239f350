import type { ForwardTarget } from '../observer/port-forward.js';
import { agentStatus } from '../cilium/agent-status.js';
import { formatStatus } from '../cilium/status-text.js';
import { isAgentPod } from '../controllers/node-network.js';
import type { MeshView } from '../mesh/view.js';
import type { ClusterApi } from '../service/cluster-api.js';
import { iso } from '../service/cluster-api.js';
import type { Obj } from '../store/log-store.js';
import type { ClusterSpec } from '../../spec/index.js';
import type { TrafficWorld } from '../traffic/world.js';

export interface ExecContext {
  api: ClusterApi;
  spec: ClusterSpec;
  mesh: MeshView;
  /** The lab's traffic (all clusters and the mesh's links): `curl` in any pod is answered through it. */
  world?: () => TrafficWorld;
  /** Where a pod port is forwarded to (port-forward): hubble-relay's gRPC port → the cluster's Observer server. */
  forward?: ForwardTarget;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

const SIMULATED = [
  'cilium-dbg status [--verbose] [-o json]  (container cilium-agent of the cilium pods; also `cilium status`)',
  '/usr/bin/clustermesh-apiserver kvstoremesh-dbg status -o json  (container kvstoremesh of the clustermesh-apiserver pods)',
  'curl [-s] [-S] [-f] [-k] [-o FILE] [-w FORMAT] [-H HEADER] [-m SECONDS] [--connect-timeout SECONDS] URL…  (any container of any pod)',
];

/**
 * The commands meshwright's `status` runs in Cilium's pods, answered from the lab's state in
 * Cilium 1.16's formats, and `curl` in any pod (verify's probe pods; exec/curl.ts); anything else
 * is "not simulated" with exit code 1.
 */
export async function runCommand(ctx: ExecContext, pod: Obj, container: string, argv: string[]): Promise<ExecResult> {
  const [bin = '', ...args] = argv;
  const base = bin.slice(bin.lastIndexOf('/') + 1);
  if (base === 'curl' && ctx.world) {
    // loaded on first use: the traffic modules bring the policy engine
    const { curlInPod } = await import('./curl.js');
    return curlInPod(ctx.world(), ctx.spec.name, pod, argv, commandSeed([ctx.spec.name, ...argv]));
  }
  if (container === 'cilium-agent' && isAgentPod(pod) && (base === 'cilium-dbg' || base === 'cilium') && args[0] === 'status') {
    const flags = parseFlags(args.slice(1));
    if (flags) return ciliumStatus(ctx, pod, flags);
  }
  if (container === 'kvstoremesh' && pod.metadata.labels?.['k8s-app'] === 'clustermesh-apiserver' && base === 'clustermesh-apiserver' && args[0] === 'kvstoremesh-dbg' && args[1] === 'status') {
    const flags = parseFlags(args.slice(2));
    if (flags?.json && !flags.verbose && !flags.brief) return { stdout: goJson(ctx.mesh.remoteClusters(ctx.spec.name, 'kvstoremesh')), stderr: '', code: 0 };
  }
  return notSimulated(argv);
}

/**
 * The seed of the lab's backend choice for one exec'd curl: a hash (FNV-1a) of its cluster and
 * command line, so the same command (verify's probe marks its -w with its --seed) gets the same
 * answers, and the clusters' choices are not the same sequence.
 */
function commandSeed(argv: string[]): number {
  let h = 0x811c9dc5;
  for (const ch of argv.join('\0')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

function notSimulated(argv: string[]): ExecResult {
  return { stdout: '', stderr: `meshwright lab: \`${argv.join(' ')}\` is not simulated in this container; the lab answers only:\n${SIMULATED.map((s) => `  ${s}\n`).join('')}`, code: 1 };
}

interface Flags {
  json: boolean;
  verbose: boolean;
  brief: boolean;
}

/** cobra's flags of `status`: --verbose, --brief, -o/--output json; anything else is not simulated. */
function parseFlags(args: string[]): Flags | undefined {
  const f: Flags = { json: false, verbose: false, brief: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--verbose') f.verbose = true;
    else if (a === '--brief') f.brief = true;
    else if (a === '-o' || a === '--output') {
      if (args[++i] !== 'json') return undefined;
      f.json = true;
    } else if (a === '-ojson' || a === '-o=json' || a === '--output=json') f.json = true;
    else return undefined;
  }
  return f;
}

function ciliumStatus(ctx: ExecContext, pod: Obj, flags: Flags): ExecResult {
  const { status, health } = agentStatus(ctx.api, ctx.spec, pod, ctx.mesh);
  // cilium-dbg/cmd/status.go: -o json prints the payload (command.PrintOutput), --brief one line, else the table
  if (flags.json) return { stdout: goJson(status), stderr: '', code: 0 };
  if (flags.brief) return { stdout: 'OK\n', stderr: '', code: 0 };
  return { stdout: formatStatus(status, flags.verbose, { ...health, at: iso(ctx.api.now()) }), stderr: '', code: 0 };
}

/**
 * pkg/command dumpJSON: json.MarshalIndent(v, "", "  ") and a newline. go-swagger models list
 * their fields sorted, and every scalar of these models is `omitempty` (false, 0 and "" vanish)
 * while their lists are not.
 */
function goJson(v: unknown): string {
  return `${JSON.stringify(goValue(v), null, 2)}\n`;
}

function goValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goValue);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    const entries = keys.map((k) => [k, (v as Record<string, unknown>)[k]] as const).filter(([, x]) => x !== false && x !== 0 && x !== '' && x !== undefined);
    return Object.fromEntries(entries.map(([k, x]) => [k, goValue(x)]));
  }
  return v;
}

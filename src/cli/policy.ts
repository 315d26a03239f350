import { Command, Option } from 'commander';
import { MeshwrightError } from '../diag/index.js';
import type { HttpRequest, PeerRef, Protocol } from '../model/policy-engine/index.js';
import { buildMatrix, connlist, diffPairs, diffText, explain, matrixNodes, pairsFromCells, pairsFromConnlist, ResolveError, resolveContextOf, resolvePeer, type Explanation, type Matrix, type Resolved } from '../policy-report/index.js';
import { EXIT, ExitError } from './exit.js';
import { readBaseline } from './policy-baseline.js';
import { colorFor, type Globals } from './globals.js';
import type { CliIO } from './io.js';
import { render } from './format.js';
import { explanationData, explanationTable, matrixMarkdown, matrixTable, warningsData } from './policy-output.js';
import { loadPolicyContext, parseHttp, parsePort, type PolicyContext, type PolicyFlags } from './policy-inputs.js';

import { collect, usage } from './args.js';

function common(cmd: Command): Command {
  return cmd
    .option('-f, --filename <[CLUSTER=]PATH>', 'manifests: policies, pods, workloads, namespaces, services (files or folders, YAML or JSON); repeatable', collect, [])
    .option('--platform <file>', 'platform.yaml: places manifests per cluster with CLUSTER=PATH and decides which clusters a global Service reaches')
    .option('--policy-default-local-cluster', 'unqualified selectors match the local cluster only (Cilium 1.19 default)')
    .option('--no-policy-default-local-cluster', 'unqualified selectors match every cluster of the mesh (Cilium 1.16 behaviour)')
    .option('--http <request>', "an HTTP request for L7 rules: 'METHOD /path'")
    .option('-H, --header <header>', "an HTTP header 'Name: value'; repeatable", collect, []);
}

export function registerPolicy(program: Command, io: CliIO): void {
  const policy = program.command('policy').description('policy verdicts: would a request be allowed, and by which rule');

  common(policy.command('explain').description('the verdict for one request, with the policy and rule that decided each side'))
    .requiredOption('--from <peer>', '[CLUSTER/]NS/POD, a workload, NS/label=value,…, host, remote-node, [CLUSTER/]node:NAME, a node address, or an IP outside the clusters')
    .requiredOption('--to <peer>', '[CLUSTER/]NS/POD, a workload, a Service (NS/svc/NAME forces it), host, remote-node, [CLUSTER/]node:NAME, a node address, or an IP')
    .requiredOption('--port <port>', 'destination port, e.g. 80 or 53/UDP (a Service port is translated to its target port)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table'))
    .addOption(new Option('--expect <verdict>', 'exit 1 unless the verdict is this one (a CI gate; unknown never matches)').choices(['allowed', 'denied']))
    .action((opts: PolicyFlags & { from: string; to: string; port: string; http?: string; header: string[]; output: 'table' | 'json' | 'yaml'; expect?: 'allowed' | 'denied' }, cmd: Command) => {
      const color = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout');
      const { port, protocol } = parsePort(opts.port);
      const http = parseHttp(opts.http, opts.header);
      const ctx = loadPolicyContext(io, opts, color && io.stderrIsTTY);
      const x = explainRequest(ctx, opts.from, opts.to, port, protocol, http);
      io.stdout(render(opts.output, { toTable: (c) => explanationTable(x, c), toData: () => explanationData(x, ctx.warnings) }, color));
      if (opts.expect && x.verdict !== opts.expect) {
        io.stderr(`expected ${opts.expect}, got ${x.verdict}: ${opts.from} → ${opts.to} port ${opts.port}\n`);
        throw new ExitError(EXIT.invalid);
      }
    });

  common(policy.command('matrix').description('every source identity against every destination identity'))
    .option('--port <port>', 'verdicts for one port (e.g. 80/TCP); without it, the allowed connections per pair')
    .option('--nodes', 'show every known node as an identity (nodes running host-network pods are always shown)')
    .option('--baseline <file>', 'compare with a saved `policy matrix -o json` (or -o connlist) output: print what changed, exit 1 when anything did')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'markdown', 'connlist']).default('table'))
    .action((opts: PolicyFlags & { port?: string; nodes?: boolean; baseline?: string; http?: string; header: string[]; output: 'table' | 'json' | 'markdown' | 'connlist' }, cmd: Command) => {
      const color = colorFor(cmd.optsWithGlobals<Globals>(), io, 'stdout');
      const port = opts.port ? parsePort(opts.port) : undefined;
      const http = parseHttp(opts.http, opts.header);
      const baseline = opts.baseline ? readBaseline(io.cwd, opts.baseline) : undefined;
      const ctx = loadPolicyContext(io, opts, color && io.stderrIsTTY);
      const multiCluster = ctx.clusters.length > 1;
      if (baseline) {
        if (baseline.format === 'json' && baseline.port !== (port?.port ?? undefined)) usage(`--baseline ${opts.baseline} was saved ${baseline.port === undefined ? 'without --port' : `with --port ${baseline.port}`}: compare it with the same --port`);
        const now = baseline.format === 'connlist' ? pairsFromConnlist(connlist(ctx.build.engine, ctx.build.endpoints, multiCluster).join('\n')).pairs : pairsFromCells(policyMatrix(ctx, port, http, opts.nodes === true).cells);
        const diffs = diffPairs(baseline.pairs, now);
        io.stdout(opts.output === 'json' ? `${JSON.stringify({ apiVersion: 'meshwright/v1alpha1', kind: 'PolicyMatrixDiff', baseline: opts.baseline, changes: diffs }, null, 2)}\n` : diffText(diffs));
        if (diffs.length > 0) throw new ExitError(EXIT.invalid);
        return;
      }
      if (opts.output === 'connlist') {
        const lines = connlist(ctx.build.engine, ctx.build.endpoints, multiCluster);
        io.stdout(lines.length ? `${lines.join('\n')}\n` : '');
        return;
      }
      const m = policyMatrix(ctx, port, http, opts.nodes === true);
      if (opts.output === 'markdown') io.stdout(`${matrixMarkdown(m)}\n`);
      else io.stdout(render(opts.output, { toTable: () => matrixTable(m), toData: () => matrixData(m, ctx) }, color));
    });
}

/** `policy explain`'s verdict for one request (the dashboard's cell click asks the same). */
export function explainRequest(ctx: PolicyContext, fromText: string, toText: string, port: number, protocol: Protocol, http: HttpRequest | undefined): Explanation {
  const from = resolve(fromText, ctx);
  const to = resolve(toText, ctx);
  // A Service's backends in other clusters count only where the plan's global-service model sends the client.
  const reachable = (src: PeerRef, dst: PeerRef) =>
    !to.service || src.kind !== 'endpoint' || dst.kind !== 'endpoint' || ctx.serviceClusters(to.service.namespace, to.service.name, src.endpoint.cluster).has(dst.endpoint.cluster);
  const x = explain(ctx.build.engine, from, to, port, protocol, http, ctx.clusters.length > 1, reachable);
  if (x.cases.length === 0) {
    const why = x.unreachable[0] ?? `${to.text} has no pods behind it`;
    throw new MeshwrightError({ severity: 'error', code: 'NOTHING_TO_JUDGE', message: `no pod pair to judge: ${why}`, hint: to.service ? `the Service's ports: ${to.ports?.join(', ') || 'none'}; --port is the Service port (it is translated to the target port)` : 'check the names and the manifests given with -f' }, EXIT.invalid);
  }
  return x;
}

/** `policy matrix`'s grid, for one port or (without) the allowed connections per pair. */
export function policyMatrix(ctx: PolicyContext, port: { port: number; protocol: Protocol } | undefined, http: HttpRequest | undefined, allNodes: boolean): Matrix {
  const nodes = matrixNodes(ctx.build.nodes, ctx.build.hostNetworkPods, allNodes);
  return buildMatrix(ctx.build.engine, { ...(port ? { port: port.port } : {}), protocol: port?.protocol ?? 'TCP', ...(http ? { http } : {}), multiCluster: ctx.clusters.length > 1, nodes });
}

/** `policy matrix -o json`. */
export function matrixData(m: Matrix, ctx: PolicyContext): unknown {
  return { apiVersion: 'meshwright/v1alpha1', kind: 'PolicyMatrix', ...m, warnings: warningsData(ctx.warnings) };
}

function resolve(text: string, ctx: PolicyContext): Resolved {
  try {
    return resolvePeer(text, resolveContextOf(ctx.build, ctx.clusters));
  } catch (err) {
    if (err instanceof ResolveError) throw new MeshwrightError({ severity: 'error', code: 'PEER_NOT_FOUND', message: err.message, hint: 'names are [CLUSTER/]NAMESPACE/NAME as in the manifests; see the pods with `policy matrix`' }, EXIT.invalid);
    throw err;
  }
}

import type { Diagnostic } from '../diag/index.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDiagnostic, hasErrors } from '../diag/index.js';
import { loadManifests, type LoadedObject, type ManifestInput } from '../manifests/index.js';
import { Findings, kubesprayNodes, placeObjects } from '../model/index.js';
import { buildPolicyEngine, defaultLocalClusterFor, type HttpRequest, type PolicyBuild, type Protocol } from '../model/policy-engine/index.js';
import { planServices } from '../plan/index.js';
import type { Platform } from '../spec/index.js';
import { usage } from './args.js';
import { EXIT, ExitError } from './exit.js';
import type { CliIO } from './io.js';
import { parseFilename } from './plan.js';
import { validateReport } from './validate.js';

/** Without a platform, everything is one cluster, named as Cilium names an unnamed one. */
export const DEFAULT_CLUSTER = 'default';

export interface PolicyFlags {
  filename: string[];
  platform?: string;
  policyDefaultLocalCluster?: boolean;
}

export interface PolicyContext {
  platform?: Platform;
  clusters: string[];
  objects: LoadedObject[];
  build: PolicyBuild;
  /** Every warning printed on stderr, for the JSON documents. */
  warnings: Diagnostic[];
  /** Which clusters' backends of a Service a client cluster reaches (the plan's global-service model). */
  serviceClusters(namespace: string, name: string, client: string): Set<string>;
}

/** Reads the manifests (and the platform, when given), builds the engine, prints its findings. */
export function loadPolicyContext(io: CliIO, flags: PolicyFlags, errColor: boolean): PolicyContext {
  if (flags.filename.length === 0) usage('no manifests given', 'pass policies and workloads with -f FILE_OR_FOLDER (repeatable)');
  let platform: Platform | undefined;
  if (flags.platform) {
    const report = validateReport(io.cwd, flags.platform);
    if (!report.platform) {
      for (const d of report.diagnostics) io.stderr(`${formatDiagnostic(d, report.lines, errColor)}\n`);
      throw new ExitError(EXIT.invalid);
    }
    platform = report.platform;
  }
  const clusters = platform ? platform.spec.clusters.map((c) => c.name) : [DEFAULT_CLUSTER];
  const inputs = flags.filename.map((f) => (platform ? parseFilename(f, platform, io.cwd) : unplaced(f, io.cwd)));
  if (inputs.filter((i) => i.path === '-').length > 1) usage('-f - is given more than once: standard input can be read once', 'put everything for standard input in one stream');
  const read = loadManifests(inputs, io.cwd, { stdin: io.stdin });
  const nodes = platform ? new Map(platform.spec.clusters.map((c) => [c.name, kubesprayNodes(c)])) : undefined;
  // The platform's node addresses make node peers (--from/--to node:NAME or an address, host, remote-node).
  const nodeAddresses = platform ? new Map(platform.spec.clusters.map((c) => [c.name, c.nodes.map((n) => ({ cluster: c.name, name: n.name, addresses: [n.address], controlPlane: n.role === 'control-plane' }))])) : undefined;
  const build = buildPolicyEngine({ objects: read.objects, clusters, options: { policyDefaultLocalCluster: flags.policyDefaultLocalCluster ?? defaultLocalClusterFor(platform?.spec.cilium.version ?? '') }, ...(nodes ? { nodes } : {}), ...(nodeAddresses ? { nodeAddresses } : {}) });
  const diagnostics = [...read.diagnostics, ...build.diagnostics];
  // Each finding shows its line with a caret, as `meshwright validate` does for the platform file.
  const sources = new Map(read.objects.map((o) => [o.source.file, o.source.lines]));
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d, d.file === undefined ? undefined : sources.get(d.file), errColor)}\n`);
  if (hasErrors(diagnostics)) throw new ExitError(EXIT.invalid);
  // The plan's global-service model over the same objects (its findings were printed above).
  const services = platform ? planServices(platform, placeObjects(clusters, read.objects), { overrides: [], down: new Set(), detail: 'pairs' }, new Findings()).predictions : [];
  return {
    ...(platform ? { platform } : {}),
    clusters,
    objects: build.objects,
    build,
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
    serviceClusters: (namespace, name, client) => {
      if (!platform) return new Set([client]);
      const p = services.find((s) => s.namespace === namespace && s.name === name && s.client === client);
      return new Set(p ? Object.keys(p.share) : []);
    },
  };
}

/** CLUSTER=PATH means something only with a platform that names the clusters. */
function unplaced(value: string, cwd: string): ManifestInput {
  const eq = value.indexOf('=');
  if (eq > 0 && !existsSync(resolve(cwd, value)) && existsSync(resolve(cwd, value.slice(eq + 1)))) {
    usage(`-f ${value}: CLUSTER=PATH places manifests in a cluster of a platform`, 'add --platform platform.yaml, or drop the cluster: without a platform everything is one cluster');
  }
  return { path: value };
}

export function parsePort(text: string): { port: number; protocol: Protocol } {
  const m = /^(\d{1,5})(?:\/(TCP|UDP|SCTP))?$/i.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) usage(`--port ${text}: expected a port number, optionally with /TCP, /UDP or /SCTP (e.g. 80/TCP)`);
  return { port: Number(m[1]), protocol: (m[2]?.toUpperCase() ?? 'TCP') as Protocol };
}

export function parseHttp(request: string | undefined, headers: string[]): HttpRequest | undefined {
  if (!request) {
    if (headers.length) usage('-H needs --http \'METHOD /path\'');
    return undefined;
  }
  const m = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(request);
  if (!m) usage(`--http '${request}': expected 'METHOD /path', e.g. 'POST /v1/request-landing'`);
  const parsed: Record<string, string> = {};
  let host: string | undefined;
  for (const h of headers) {
    const i = h.indexOf(':');
    if (i <= 0) usage(`-H '${h}': expected 'Name: value'`);
    const name = h.slice(0, i).trim();
    const value = h.slice(i + 1).trim();
    if (name.toLowerCase() === 'host') host = value;
    else parsed[name] = value;
  }
  return { method: m[1]!.toUpperCase(), path: m[2]!, ...(host ? { host } : {}), headers: parsed };
}

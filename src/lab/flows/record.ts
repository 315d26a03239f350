import { randomUUID } from 'node:crypto';
import type { PeerRef, PolicyEngine, Verdict } from '../../model/policy-engine/index.js';
import type { Obj } from '../store/log-store.js';
import type { TrafficWorld } from '../traffic/world.js';
import { buildFlows } from './build.js';
import { sideDecision } from './decision.js';
import { identityBookOf } from './identity-book.js';
import { clusterNet, partyOf, type PartyContext } from './parties.js';

/** What labCurl knows of a request that reached a backend and was judged by the policy engine. */
export interface CarriedReport {
  /** The cluster the request leaves from (the Ingress' cluster when its Envoy sends it). */
  client: string;
  from: PeerRef;
  fromPod?: Obj;
  to: PeerRef;
  backend: { cluster: string; pod: Obj };
  service?: { name: string; namespace: string };
  verdict: Verdict;
  method: string;
  /** The URL as Envoy logs it: http://<Host header><path>. */
  url: string;
  httpStatus?: number;
  /** The port the backend receives on. */
  port: number;
  sourcePort: number;
}

/** The last start time given, so requests of one millisecond keep distinct, ordered times. */
let lastNs = 0n;

function nowNs(): bigint {
  const ns = BigInt(Date.now()) * 1_000_000n;
  lastNs = ns > lastNs + 100_000n ? ns : lastNs + 100_000n;
  return lastNs;
}

/**
 * Records the Hubble flows of one carried request in the lab's ring (the edge: the clock and
 * crypto.randomUUID are read here, the flows are built by the pure buildFlows). Nothing is
 * recorded when the world has no ring or an end cannot be named (a host-network pod).
 */
export function recordCarried(world: TrafficWorld, engine: PolicyEngine, report: CarriedReport): void {
  const ring = world.flows;
  if (!ring) return;
  const book = identityBookOf(world.clusters[0]?.api ?? world);
  const ctxOf = (cluster: string): PartyContext | undefined => {
    const c = world.clusters.find((x) => x.name === cluster);
    return c ? { cluster, api: c.api, engine, book } : undefined;
  };
  const srcCtx = ctxOf(report.client);
  const dstCtx = ctxOf(report.backend.cluster);
  if (!srcCtx || !dstCtx) return;
  const backendNode: string | undefined = report.backend.pod.spec?.nodeName;
  const source = partyOf(srcCtx, report.from, report.fromPod, report.client === report.backend.cluster ? backendNode : undefined);
  const destination = partyOf(dstCtx, report.to, report.backend.pod, undefined);
  if (!source || !destination) return;
  const flows = buildFlows(
    {
      source,
      destination,
      ...(report.service ? { service: report.service } : {}),
      port: report.port,
      sourcePort: report.sourcePort,
      http: { method: report.method, url: report.url, ...(report.httpStatus !== undefined ? { code: report.httpStatus } : {}) },
      egress: sideDecision(world, report.verdict.egress),
      ingress: sideDecision(world, report.verdict.ingress),
      routing: clusterNet(srcCtx.api).routing,
      latencyNs: 1_000_000,
    },
    { startNs: nowNs(), uuid: randomUUID },
  );
  for (const f of flows) ring.record(f);
}

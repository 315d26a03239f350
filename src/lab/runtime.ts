import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { mkdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Platform } from '../spec/index.js';
import { createApp } from './api/app.js';
import { execUpgradeHandler } from './exec/websocket.js';
import { LabMesh } from './mesh/mesh.js';
import { bootstrapCluster } from './bootstrap.js';
import { realClock, type Clock } from './clock.js';
import { startControllers, type ControllerManager } from './controllers/index.js';
import type { LabPki } from './pki.js';
import { ClusterApi } from './service/cluster-api.js';
import type { TrafficWorld } from './traffic/index.js';
import { FAULT_PATH, faultHandler, LabFaults } from './fault/index.js';
import { FlowRing } from '../observe/index.js';
import { startObserver, type RunningObserver } from './observer/server.js';
import { observerNodes } from './observer/nodes.js';
import { relayTarget } from './observer/port-forward.js';

/** `lab curl`'s path; the traffic module (and the policy engine it loads) is imported on first use, so `lab up` starts as fast as before. */
const TRAFFIC_PATH = '/lab.meshwright.io/v1/curl';
import { LogStore } from './store/log-store.js';

export interface LabCluster {
  name: string;
  port: number;
  api: ClusterApi;
  server: Server;
  controllers: ControllerManager;
  /** false after `stopCluster`: its API server and mesh endpoint are closed. */
  running: boolean;
  /** Its hubble-relay: Hubble's Observer gRPC API in plain text on 127.0.0.1 (issue 17). */
  observer?: RunningObserver;
}

export interface RunningLab {
  clusters: LabCluster[];
  /** What `lab curl` sees: the clusters and the mesh's links. */
  world(): TrafficWorld;
  /** The Cluster Mesh between the clusters (mutual TLS between their clustermesh-apiservers). */
  mesh: LabMesh;
  /** Fault drills (`lab fault`), kept in the data folder while the lab runs. */
  faults: LabFaults;
  /** The flows of every request the lab carried, per node as Hubble keeps them (issue 17). */
  flows: FlowRing;
  /** Stops one cluster as a powered-off one: its API server closes, the others keep running. */
  stopCluster(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  platform: Platform;
  /** Folder of the clusters' store logs. */
  dataDir: string;
  /** Port per cluster; 0 (or missing) lets the kernel choose. */
  ports: Record<string, number>;
  pki: LabPki;
  log?: (line: string) => void;
  now?: () => number;
  bookmarkEveryMs?: number;
  /** Revisions a store keeps for watches (kine's compact-min-retain). */
  retain?: number;
  /** The controllers' clock (a manual one in tests). */
  clock?: Clock;
  /** `lab up --latency`: how long, in ms, a simulated lifecycle stage takes (0: at once). */
  latencyMs?: number;
}

/**
 * Starts one simulated Kubernetes API server per cluster of the platform, all in this process,
 * each on 127.0.0.1 only, over HTTPS with the lab CA's serving certificate, accepting only
 * clients that present a certificate from the same CA.
 */
export async function startLab(opts: StartOptions): Promise<RunningLab> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const clusters: LabCluster[] = [];
  const sockets = new Set<Socket>();
  const meshView = new LabMesh(() => clusters.map((c) => ({ name: c.name, api: c.api, running: c.running })), (l) => opts.log?.(l));
  const flows = new FlowRing();
  const world = (): TrafficWorld => ({ clusters, flows, linkReady: (from, to) => meshView.linkReady(from, to), meshEndpoint: (address) => meshView.endpointPortFor(address) });
  let handler: Promise<(req: IncomingMessage, res: ServerResponse) => void> | undefined;
  const traffic = (req: IncomingMessage, res: ServerResponse) => void (handler ??= import('./traffic/http.js').then((m) => m.trafficHandler(world))).then((h) => h(req, res));
  const faults = new LabFaults(opts.dataDir, () => clusters, meshView, opts.now ? () => new Date(opts.now!()) : undefined);
  const fault = faultHandler(faults);
  try {
    for (const c of opts.platform.spec.clusters) {
      const store = LogStore.open(`${opts.dataDir}/${c.name}.log`, opts.retain ? { retain: opts.retain } : {});
      const clock = opts.clock ?? realClock;
      const api = new ClusterApi({ name: c.name, serviceCIDR: c.serviceCIDR, kubernetesVersion: opts.platform.spec.kubernetes.version }, store, opts.now ?? (opts.clock ? () => clock.now() : undefined));
      await bootstrapCluster(api, c, opts.platform.spec.kubernetes.version);
      const clusterLog = (line: string) => opts.log?.(`[${c.name}] ${line}`);
      const controllers = startControllers({ api, clock, latency: opts.latencyMs ?? 0, platform: opts.platform, cluster: c, log: clusterLog });
      const server = createServer({ key: opts.pki.serverKeyPem, cert: opts.pki.serverCertPem, ca: opts.pki.caPem, requestCert: true, rejectUnauthorized: true });
      server.keepAliveTimeout = 60_000;
      server.on('connection', (s: Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      const cluster: LabCluster = { name: c.name, port: 0, api, server, controllers, running: true };
      clusters.push(cluster);
      const port = await listen(server, opts.ports[c.name] ?? 0);
      cluster.port = port;
      const log = opts.log ? (line: string) => opts.log!(`[${c.name}] ${line}`) : undefined;
      const app = createApp(api, { address: `127.0.0.1:${port}`, ...(opts.bookmarkEveryMs ? { bookmarkEveryMs: opts.bookmarkEveryMs } : {}), ...(log ? { log } : {}) });
      // `meshwright lab curl` is answered by the lab process, which knows the mesh's links
      server.on('request', (req, res) => (req.url === TRAFFIC_PATH ? traffic(req, res) : req.url === FAULT_PATH ? fault(req, res) : app(req, res)));
      const forward = relayTarget(() => (cluster.running ? cluster.observer?.port : undefined));
      server.on('upgrade', execUpgradeHandler(() => ({ api, spec: c, mesh: meshView, world, forward })));
    }
    for (const cluster of clusters) {
      cluster.observer = await startObserver({
        cluster: cluster.name,
        flows,
        reachable: () => (cluster.running ? [cluster.name, ...clusters.filter((o) => o !== cluster && o.running && meshView.linkReady(cluster.name, o.name)).map((o) => o.name)] : []),
        nodes: (name) => observerNodes(clusters.find((c) => c.name === name)),
        ...(opts.now ? { now: opts.now } : {}),
      });
    }
    meshView.start();
  } catch (err) {
    await meshView.stop();
    await stopAll(clusters, sockets);
    throw err;
  }
  return {
    clusters,
    world,
    mesh: meshView,
    faults,
    flows,
    stopCluster: async (name) => {
      const c = clusters.find((x) => x.name === name);
      if (!c || !c.running) return;
      c.running = false;
      await c.observer?.stop();
      await stopAll([c], new Set([...sockets].filter((s) => s.localPort === c.port)));
      meshView.schedule();
      await meshView.settled();
    },
    stop: async () => {
      await meshView.stop();
      await stopAll(clusters.filter((c) => c.running), sockets);
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

async function stopAll(clusters: LabCluster[], sockets: Set<Socket>): Promise<void> {
  await Promise.all(clusters.map((c) => c.observer?.stop()));
  await Promise.all(
    clusters.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (!c.server.listening) return resolve();
          c.server.close(() => resolve());
        }),
    ),
  );
  for (const s of sockets) s.destroy();
  for (const c of clusters) c.controllers.stop();
  for (const c of clusters) {
    await c.api.store.flushed();
    c.api.store.close();
  }
}

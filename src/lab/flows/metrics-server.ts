import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isLoopbackHost } from '../../net/index.js';
import type { FlowRecord, FlowRing } from '../../observe/index.js';
import type { HubbleMetrics } from './metrics.js';

/** Flows kept while prom-client loads (it takes ~0.2 s, so `lab up` does not wait for it). */
const PENDING_MAX = 100_000;

export interface MetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}


/**
 * `/metrics` of the lab on its own 127.0.0.1 port, plain HTTP as Hubble's metrics server serves
 * it (--hubble-metrics-server :9965): Hubble's metrics from every flow the lab records.
 */
export async function startMetricsServer(ring: FlowRing, port = 0): Promise<MetricsServer> {
  let pending: FlowRecord[] | undefined = [];
  let metrics: HubbleMetrics | undefined;
  const unsubscribe = ring.subscribe((r) => (metrics ? metrics.observe(r) : pending && pending.length < PENDING_MAX ? pending.push(r) : undefined));
  const loaded = import('./metrics.js').then(({ HubbleMetrics }) => {
    metrics = new HubbleMetrics();
    for (const r of pending ?? []) metrics.observe(r);
    pending = undefined;
    return metrics;
  });
  const server: Server = createServer((req, res) => void answer(req, res, loaded, (server.address() as { port: number }).port));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}/metrics`,
    close: async () => {
      unsubscribe();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, loaded: Promise<HubbleMetrics>, port: number): Promise<void> {
  const plain = (status: number, text: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  // a scraper may leave the port out of Host
  if (!isLoopbackHost(req.headers.host, port, { portOptional: true })) return plain(403, `Host ${req.headers.host ?? '(none)'} is not accepted: the lab's metrics answer only 127.0.0.1 and localhost\n`);
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics') return plain(404, 'not found: the lab serves /metrics\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'GET /metrics\n');
  try {
    const metrics = await loaded;
    const text = await metrics.text();
    res.writeHead(200, { 'Content-Type': metrics.contentType });
    res.end(req.method === 'HEAD' ? undefined : text);
  } catch (err) {
    plain(500, `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
}

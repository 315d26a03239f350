import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowFeed } from './feed.js';
import { FilterError, parseFilter } from './filter.js';
import { isLoopbackHost } from '../net/index.js';
import { sharedFor } from './shared.js';
import { ShareCounter } from './shares.js';
import { SourceError, type DashboardSources } from './sources.js';
import { streamFlows } from './sse.js';

/** The loopback address the dashboard listens on, and only that one. */
export const DASHBOARD_HOST = '127.0.0.1';

export interface DashboardOptions {
  /** 0: a port the kernel picks. */
  port: number;
  sources: DashboardSources;
  flows: FlowFeed;
  /** The bundled page (dist/dashboard/web); the same path from src/dashboard and dist/dashboard. */
  webDir?: string;
}

export interface Dashboard {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How long one status collection answers every page (the page asks every 5 s). */
const STATUS_FRESH_MS = 2000;
const WEB_DIR = fileURLToPath(new URL('../../dist/dashboard/web/', import.meta.url));
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};
// the page loads only its own script and style and talks only to this server: no CDN, nothing inline
const SECURITY = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Serves the dashboard on 127.0.0.1:port until close(). */
export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const shares = new ShareCounter(opts.flows);
  const webDir = opts.webDir ?? WEB_DIR;
  const status = sharedFor(() => opts.sources.status(), STATUS_FRESH_MS);
  let port = opts.port;
  const server = createServer((req, res) => {
    void handle(req, res, { ...opts, port }, { shares, status, webDir }).catch((err: unknown) => fail(res, 500, `internal error: ${(err as Error).message}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, DASHBOARD_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${DASHBOARD_HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        shares.close();
        server.close(() => resolve());
        // open flow streams never end by themselves
        server.closeAllConnections();
      }),
  };
}

interface Served {
  shares: ShareCounter;
  status: () => Promise<unknown>;
  webDir: string;
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: DashboardOptions, { shares, status, webDir }: Served): Promise<void> {
  if (!isLoopbackHost(req.headers.host, opts.port)) return fail(res, 403, `Host ${req.headers.host ?? '(none)'} is not accepted: open http://${DASHBOARD_HOST}:${opts.port}/`);
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, `${req.method} is not served: the dashboard only reads`);
  const url = new URL(req.url ?? '/', `http://${DASHBOARD_HOST}`);
  const page = STATIC[url.pathname];
  if (page) return send(res, 200, page.type, readFileSync(join(webDir, page.file)));
  const q = url.searchParams;
  try {
    switch (url.pathname) {
      case '/api/status':
        return json(res, await status());
      case '/api/plan':
        return json(res, opts.sources.plan());
      case '/api/shares':
        return json(res, { shares: shares.shares() });
      case '/api/policy/matrix':
        return json(res, opts.sources.policyMatrix(q.get('port') || undefined));
      case '/api/policy/explain': {
        const [from, to, port] = ['from', 'to', 'port'].map((k) => q.get(k) ?? '');
        if (!from || !to || !port) throw new SourceError('from, to and port are required');
        const x = opts.sources.policyExplain(from, to, port);
        return q.get('output') === 'table' ? send(res, 200, 'text/plain; charset=utf-8', `${x.text}\n`) : json(res, x.data);
      }
      case '/api/verify': {
        const report = opts.sources.lastVerify();
        return report === undefined ? fail(res, 404, 'no verify run kept yet', 'run meshwright verify') : json(res, report);
      }
      case '/api/flows': {
        const last = Number(q.get('last') ?? 100);
        streamFlows(res, opts.flows, parseFilter(q), Number.isInteger(last) && last >= 0 ? Math.min(last, 10_000) : 100);
        return;
      }
      default:
        return fail(res, 404, `${url.pathname}: not found`);
    }
  } catch (err) {
    if (err instanceof SourceError) return fail(res, err.status, err.message, err.hint);
    if (err instanceof FilterError) return fail(res, 400, err.message);
    throw err;
  }
}

function json(res: ServerResponse, body: unknown): void {
  send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(body, null, 2)}\n`);
}

function fail(res: ServerResponse, status: number, message: string, hint?: string): void {
  if (res.headersSent) return void res.destroy();
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify({ error: message, ...(hint ? { hint } : {}) })}\n`);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY });
  res.end(body);
}

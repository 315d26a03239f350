import { Worker, type MessagePort } from 'node:worker_threads';
import type { TlsMaterial } from './endpoint.js';

/** What the lab's main thread asks of the endpoint thread, and what it answers. */
type Request = { op: 'start'; material: TlsMaterial; hello: string } | { op: 'close'; port: number };
type Ask = Request & { id: number };
type Answer = { id: number; port?: number; error?: string };

/**
 * The endpoint thread's program: one TLS server per clustermesh-apiserver, as in endpoint.ts's
 * description. It runs in a worker thread so a handshake is answered while the lab's main thread
 * is busy (a `lab curl` batch builds the policy engine for seconds at 32 clusters): a real
 * clustermesh-apiserver is its own process and answers whatever the kube-apiserver is doing.
 * Serialised with Function#toString, so it uses only what it is given (no imports, no helpers).
 */
function serveEndpoints(parent: MessagePort, tls: typeof import('node:tls')): void {
  const servers = new Map<number, { server: import('node:tls').Server; sockets: Set<import('node:net').Socket> }>();
  parent.on('message', (ask: Ask) => {
    if (ask.op === 'close') {
      const s = servers.get(ask.port);
      servers.delete(ask.port);
      if (!s) return parent.postMessage({ id: ask.id });
      for (const sock of s.sockets) sock.destroy();
      return s.server.close(() => parent.postMessage({ id: ask.id }));
    }
    const m = ask.material;
    let server: import('node:tls').Server;
    try {
      server = tls.createServer({ key: m.key, cert: m.cert, ca: m.ca, requestCert: true, rejectUnauthorized: true }, (s) => s.end(`${ask.hello}\n`));
    } catch (err) {
      return parent.postMessage({ id: ask.id, error: err instanceof Error ? err.message : String(err) });
    }
    const sockets = new Set<import('node:net').Socket>();
    // a failed handshake is the peer's error to report; nothing to log here
    server.on('tlsClientError', () => undefined);
    server.on('connection', (s: import('node:net').Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.once('error', (err) => parent.postMessage({ id: ask.id, error: err.message }));
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      servers.set(port, { server, sockets });
      parent.postMessage({ id: ask.id, port });
    });
  });
}

/**
 * The lab's one endpoint thread, started with the first endpoint and stopped with the last. It
 * never keeps the process alive by itself (unref): the lab's API servers do.
 */
class EndpointThread {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private open = 0;

  async start(material: TlsMaterial, hello: string): Promise<number> {
    const a = await this.ask({ op: 'start', material, hello });
    if (a.error !== undefined || a.port === undefined) throw new Error(`clustermesh-apiserver endpoint: ${a.error ?? 'no port'}`);
    this.open++;
    return a.port;
  }

  async close(port: number): Promise<void> {
    await this.ask({ op: 'close', port });
    if (--this.open === 0 && this.worker) {
      const w = this.worker;
      this.worker = undefined;
      await w.terminate();
    }
  }

  private ask(ask: Request): Promise<Answer> {
    const w = this.thread();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ ...ask, id });
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // tsx (esbuild keepNames) wraps named functions in __name(); the shim lets src run as dist does
    const w = new Worker(`const __name = (f) => f;\n(${serveEndpoints.toString()})(require('node:worker_threads').parentPort, require('node:tls'));`, { eval: true });
    w.unref();
    w.on('message', (a: Answer) => {
      this.waiting.get(a.id)?.resolve(a);
      this.waiting.delete(a.id);
    });
    const fail = (err: Error) => {
      // a thread close() terminated (the last endpoint gone) exits with nothing pending; a later one may already serve
      if (this.worker !== w) return;
      this.worker = undefined;
      this.open = 0;
      for (const p of this.waiting.values()) p.reject(err);
      this.waiting.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the clustermesh endpoint thread exited (${code})`)));
    this.worker = w;
    return w;
  }
}

export const endpointThread = new EndpointThread();

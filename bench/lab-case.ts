/**
 * One bench/lab case in a process of its own (its RSS is its own), printing one JSON line.
 *   up                 `meshwright lab up` of the reference lab (built binary): cold and warm
 *   get-pods N         kubectl get pods -A with N pods: the lab vs a static server of the same bytes
 *   watch W M          W watchers, M writes: events delivered per second
 *   clusters N         N clusters of 10 nodes in one lab process: start time and memory
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLabPki, labKubeconfig, startLab } from '../src/lab/index.js';
import { validatePlatformFile, type Platform } from '../src/spec/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE = join(ROOT, 'examples/reference-lab/platform.yaml');
const MAIN = join(ROOT, 'dist/cli/main.js');

function platform(): Platform {
  const r = validatePlatformFile(REFERENCE);
  if (!r.platform) throw new Error('reference lab invalid');
  return r.platform;
}

function rssOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

function kubectlPath(): string {
  const dir = execFileSync('sh', ['-c', 'dirname "$(readlink -f "$(command -v kubectl)")"'], { encoding: 'utf8' }).trim();
  return join(dir, 'kubectl.1.30');
}

async function up(): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-up-'));
  copyFileSync(REFERENCE, join(dir, 'platform.yaml'));
  const run = () => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [MAIN, 'lab', 'up'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  try {
    const coldMs = run();
    spawnSync(process.execPath, [MAIN, 'lab', 'down'], { cwd: dir });
    const warmMs = run();
    const pid = JSON.parse(readFileSync(join(dir, '.meshwright/lab/lab.json'), 'utf8')).pid as number;
    // the lab process alone: its start (node, spec/ and lab/, stores, servers) until lab.json names it
    spawnSync(process.execPath, [MAIN, 'lab', 'down'], { cwd: dir });
    const t = process.hrtime.bigint();
    const child = spawnSync('sh', ['-c', `node ${JSON.stringify(join(ROOT, 'dist/lab/process/child.js'))} ${JSON.stringify(dir)} ${JSON.stringify(join(dir, 'platform.yaml'))} > /dev/null 2>&1 & while ! grep -q '"pid": '$! ${JSON.stringify(join(dir, '.meshwright/lab/lab.json'))} 2>/dev/null; do sleep 0.01; done; echo $!`], { encoding: 'utf8' });
    const processMs = Number(process.hrtime.bigint() - t) / 1e6;
    const childPid = Number(child.stdout.trim());
    const mem = rssOf(childPid);
    process.kill(childPid, 'SIGTERM');
    void pid;
    return { coldMs, warmMs, processMs, ...mem };
  } finally {
    spawnSync(process.execPath, [MAIN, 'lab', 'down'], { cwd: dir });
    rmSync(dir, { recursive: true, force: true });
  }
}

function https(port: number, path: string, accept: string, agent: Agent, method = 'GET', body?: unknown, contentType = 'application/json'): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent, headers: { Accept: accept, 'Content-Type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGG_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

async function getPods(n: number): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-pods-'));
  const pki = await ensureLabPki(join(dir, 'pki'), new Date());
  const lab = await startLab({ platform: platform(), dataDir: join(dir, 'data'), ports: {}, pki });
  const c = lab.clusters[0]!;
  const agent = new Agent({ ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, keepAlive: true, maxSockets: 64 });
  try {
    const podDef = c.api.catalog.find('', 'v1', 'pods')!;
    const nsDef = c.api.catalog.find('', 'v1', 'namespaces')!;
    for (let i = 0; i < 10; i++) await c.api.create(nsDef, '', { metadata: { name: `team-${i}` } });
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, n - i) }, (_, j) =>
          c.api.create(podDef, `team-${(i + j) % 10}`, { metadata: { name: `pod-${i + j}`, labels: { app: `app-${(i + j) % 50}` } }, spec: { containers: [{ name: 'app', image: 'docker.io/library/nginx:1.27' }] } }),
        ),
      );
    }
    const createMs = Number(process.hrtime.bigint() - t) / 1e6;
    // the exact bytes kubectl gets from the lab, served again by a plain file server
    const recorded = new Map<string, { type: string; body: Buffer }>();
    for (const [path, accept] of [['/api', AGG_ACCEPT], ['/apis', AGG_ACCEPT], ['/api/v1/pods?limit=500', TABLE_ACCEPT]] as const) {
      const r = await https(c.port, path, accept, agent);
      recorded.set(path.split('?')[0]!, { type: r.type, body: r.body });
    }
    const tableBytes = recorded.get('/api/v1/pods')!.body.length;
    const files = createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const hit = recorded.get((req.url ?? '/').split('?')[0]!);
      if (!hit) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': hit.type, 'Content-Length': hit.body.length });
      res.end(hit.body);
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', () => r()));
    const staticPort = (files.address() as { port: number }).port;
    const kubeconfig = (port: number) => {
      const f = join(dir, `kubeconfig-${port}`);
      writeFileSync(f, labKubeconfig([{ name: 'bench', port }], pki));
      return f;
    };
    const kubectl = kubectlPath();
    const time = async (port: number) => {
      const cfg = kubeconfig(port);
      const cache = join(dir, `cache-${port}`);
      const once = () =>
        new Promise<number>((resolve, reject) => {
          const t0 = process.hrtime.bigint();
          const child = execFile(kubectl, ['--cache-dir', cache, '--kubeconfig', cfg, 'get', 'pods', '-A'], (err, stdout) => {
            if (err) return reject(err);
            if (stdout.split('\n').length < n) return reject(new Error(`only ${stdout.split('\n').length} lines`));
            resolve(Number(process.hrtime.bigint() - t0) / 1e6);
          });
          void child;
        });
      await once(); // warm the discovery cache, as a user's second command would
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push(await once());
      return runs.sort((a, b) => a - b)[2]!;
    };
    const labMs = await time(c.port);
    const staticMs = await time(staticPort);
    files.close();
    return { pods: n, createMs, tableBytes, labMs, staticMs };
  } finally {
    agent.destroy();
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function watch(watchers: number, writes: number): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-watch-'));
  const pki = await ensureLabPki(join(dir, 'pki'), new Date());
  const lab = await startLab({ platform: platform(), dataDir: join(dir, 'data'), ports: {}, pki });
  const c = lab.clusters[0]!;
  const agent = new Agent({ ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, keepAlive: true, maxSockets: watchers + 64 });
  try {
    const rv = JSON.parse((await https(c.port, '/api/v1/namespaces/default/configmaps', 'application/json', agent)).body.toString()).metadata.resourceVersion;
    let done = 0;
    let delivered = 0;
    let finish!: () => void;
    const all = new Promise<void>((r) => (finish = r));
    const requests = Array.from({ length: watchers }, () => {
      let seen = 0;
      const req = request({ host: '127.0.0.1', port: c.port, path: `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, agent }, (res) => {
        res.on('data', (chunk: Buffer) => {
          for (const b of chunk) if (b === 10) seen++, delivered++;
          if (seen >= writes && !(res as unknown as { counted?: boolean }).counted) {
            (res as unknown as { counted?: boolean }).counted = true;
            if (++done === watchers) finish();
          }
        });
      });
      req.on('error', () => undefined);
      req.end();
      return req;
    });
    await new Promise((r) => setTimeout(r, 200));
    const t = process.hrtime.bigint();
    for (let i = 0; i < writes; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, writes - i) }, (_, j) => https(c.port, '/api/v1/namespaces/default/configmaps', 'application/json', agent, 'POST', { metadata: { name: `cm-${i + j}` }, data: { n: String(i + j) } })));
    }
    const writeMs = Number(process.hrtime.bigint() - t) / 1e6;
    await all;
    const totalMs = Number(process.hrtime.bigint() - t) / 1e6;
    for (const r of requests) r.destroy();
    return { watchers, writes, writeMs, totalMs, delivered, eventsPerSecond: delivered / (totalMs / 1000), ...rssOf(process.pid) };
  } finally {
    agent.destroy();
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function clusters(n: number): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-clusters-'));
  const pki = await ensureLabPki(join(dir, 'pki'), new Date());
  const base = platform();
  const p: Platform = {
    ...base,
    spec: {
      ...base.spec,
      clusters: Array.from({ length: n }, (_, i) => ({
        ...base.spec.clusters[0]!,
        name: `cluster-${i + 1}`,
        id: i + 1,
        nodes: Array.from({ length: 10 }, (_, j) => ({ name: `cluster-${i + 1}-node-${j}`, address: `172.27.${i}.${j + 10}`, role: j === 0 ? ('control-plane' as const) : ('worker' as const) })),
      })),
    },
  };
  const before = rssOf(process.pid).rssMiB;
  const t = process.hrtime.bigint();
  const lab = await startLab({ platform: p, dataDir: join(dir, 'data'), ports: {}, pki });
  const agent = new Agent({ ca: pki.caPem, cert: pki.clientCertPem, key: pki.clientKeyPem, keepAlive: false });
  let answering = 0;
  for (const c of lab.clusters) if ((await https(c.port, '/api/v1/nodes', 'application/json', agent)).status === 200) answering++;
  const upMs = Number(process.hrtime.bigint() - t) / 1e6;
  const mem = rssOf(process.pid);
  agent.destroy();
  await lab.stop();
  rmSync(dir, { recursive: true, force: true });
  return { clusters: n, answering, upMs, baseMiB: before, ...mem };
}

const [what, a, b] = process.argv.slice(2);
const result = what === 'up' ? await up() : what === 'get-pods' ? await getPods(Number(a)) : what === 'watch' ? await watch(Number(a), Number(b)) : await clusters(Number(a));
console.log(JSON.stringify(result));
process.exit(0);

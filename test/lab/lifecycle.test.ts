import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { setTimeout as sleep } from 'node:timers/promises';
import { bin, cli } from '../helpers/cli.js';
import { REPO_ROOT, TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary } from '../helpers/lab.js';

/** Running, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** `meshwright lab up|status|down|reset` as a user runs them (the built binary), in a folder of its own. */
describe('meshwright lab: the background process', () => {
  let dir: string;
  let cache: string;
  const pids = new Set<number>();
  const state = () => JSON.parse(readFileSync(join(dir, '.meshwright/lab/lab.json'), 'utf8')) as { pid: number; clusters: Array<{ name: string; port: number }>; simulated: boolean };
  const k = (args: string[]) => kubectl(kubectlBinary('1.30').path, join(dir, '.meshwright/lab/kubeconfig'), cache, args);
  /** A lab running in the folder, started unless one is: the set-up of each test about a running lab. */
  const labUp = () => {
    if (existsSync(join(dir, '.meshwright/lab/lab.json')) && alive(state().pid)) return;
    const up = bin(['lab', 'up'], { cwd: dir });
    assert.equal(up.code, 0, up.stderr);
    pids.add(state().pid);
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-lab-cli-'));
    cache = join(dir, 'kube-cache');
    copyFileSync(join(REPO_ROOT, 'examples/reference-lab/platform.yaml'), join(dir, 'platform.yaml'));
    copyFileSync(join(TEST_ROOT, 'fixtures/platforms-valid/three-clusters.yaml'), join(dir, 'three.yaml'));
  });
  after(() => {
    // whatever happened above, no lab process outlives the test
    bin(['lab', 'down'], { cwd: dir });
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts every cluster in one background process, says it is simulated, and writes a 0600 kubeconfig', () => {
    const up = bin(['lab', 'up'], { cwd: dir });
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /platform cilium-lab is up — 2 SIMULATED clusters on 127\.0\.0\.1/);
    assert.match(up.stdout, /export KUBECONFIG=\.meshwright\/lab\/kubeconfig/);
    const s = state();
    pids.add(s.pid);
    assert.ok(alive(s.pid));
    assert.equal(s.simulated, true);
    assert.deepEqual(s.clusters.map((c) => c.name), ['k8s-cilium-01', 'k8s-cilium-02']);
    assert.equal(statSync(join(dir, '.meshwright/lab/kubeconfig')).mode & 0o777, 0o600);
    const again = bin(['lab', 'up', 'platform.yaml'], { cwd: dir });
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already running/);
    assert.equal(state().pid, s.pid, 'still one process');
  });

  it('refuses a second platform in the same folder and says why', () => {
    labUp();
    const other = bin(['lab', 'up', 'three.yaml'], { cwd: dir });
    assert.equal(other.code, 1);
    assert.match(other.stderr, /a lab for platform cilium-lab .* is already running in this folder/);
    assert.match(other.stderr, /meshwright lab down/);
  });

  it('lists clusters, addresses and the platform', async () => {
    labUp();
    const st = bin(['lab', 'status', '-o', 'json'], { cwd: dir });
    assert.equal(st.code, 0, st.stderr);
    const data = JSON.parse(st.stdout);
    assert.equal(data.platform.name, 'cilium-lab');
    assert.deepEqual(data.clusters.map((c: { name: string; server: string; answering: boolean }) => [c.name, c.server.startsWith('https://127.0.0.1:'), c.answering]), [
      ['k8s-cilium-01', true, true],
      ['k8s-cilium-02', true, true],
    ]);
    // Hubble's metrics of the lab's flows, on a port of their own, named in lab.json and by `lab status`
    assert.match(data.metrics, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal((state() as unknown as { metrics: string }).metrics, data.metrics);
    assert.match(bin(['lab', 'status'], { cwd: dir }).stdout, new RegExp(`metrics: ${data.metrics.replace(/[./]/g, '\\$&')}`));
    const scraped = await fetch(data.metrics);
    assert.equal(scraped.status, 200);
    const families = parsePrometheusTextFormat(await scraped.text()).map((f) => f.name);
    for (const name of ['hubble_flows_processed_total', 'hubble_drop_total', 'hubble_http_requests_total', 'hubble_policy_verdicts_total']) assert.ok(families.includes(name), name);
  });

  it('keeps every write kubectl saw acknowledged through a kill -9, on the same ports', async () => {
    labUp();
    const before = state();
    const acked: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; i < 400 && !stop; i++) {
        const r = await k(['create', 'configmap', `burst-${i}`, '--from-literal=n=1']);
        if (r.code === 0) acked.push(`burst-${i}`);
      }
    })();
    const writer2 = (async () => {
      for (let i = 0; i < 400 && !stop; i++) {
        const r = await k(['create', 'namespace', `burst-ns-${i}`]);
        if (r.code === 0) acked.push(`ns/burst-ns-${i}`);
      }
    })();
    const t0 = Date.now();
    while (acked.length < 20 && Date.now() - t0 < 60_000) await sleep(20);
    process.kill(before.pid, 'SIGKILL');
    await sleep(300);
    stop = true;
    await Promise.all([writer, writer2]);
    assert.ok(!alive(before.pid));
    const up = bin(['lab', 'up'], { cwd: dir });
    assert.equal(up.code, 0, up.stderr);
    const after = state();
    pids.add(after.pid);
    assert.deepEqual(after.clusters.map((c) => c.port), before.clusters.map((c) => c.port), 'ports survive a restart, so kubeconfigs keep working');
    const cms = (await k(['get', 'configmaps', '-o', 'name'])).stdout;
    const nss = (await k(['get', 'namespaces', '-o', 'name'])).stdout;
    for (const name of acked) {
      if (name.startsWith('ns/')) assert.ok(nss.includes(`namespace/${name.slice(3)}`), `${name} was acknowledged but is gone`);
      else assert.ok(cms.includes(`configmap/${name}`), `${name} was acknowledged but is gone`);
    }
  });

  it('stops, keeps state across down/up, and reset clears it', async () => {
    labUp();
    assert.equal((await k(['create', 'configmap', 'kept', '--from-literal=n=1'])).code, 0);
    const s = state();
    const down = bin(['lab', 'down'], { cwd: dir });
    assert.equal(down.code, 0);
    assert.match(down.stdout, /lab stopped: platform cilium-lab/);
    assert.ok(!alive(s.pid));
    assert.ok(!existsSync(join(dir, '.meshwright/lab/lab.json')));
    assert.match(bin(['lab', 'status'], { cwd: dir }).stdout, /no lab is running/);
    assert.equal(bin(['lab', 'up'], { cwd: dir }).code, 0);
    pids.add(state().pid);
    assert.match((await k(['get', 'configmap', 'kept', '-o', 'name'])).stdout, /configmap\/kept/);
    const reset = bin(['lab', 'reset'], { cwd: dir });
    assert.equal(reset.code, 0);
    assert.match(reset.stdout, /cleared/);
    assert.equal(bin(['lab', 'up'], { cwd: dir }).code, 0);
    pids.add(state().pid);
    assert.match((await k(['get', 'configmap', 'kept'])).stderr, /NotFound/);
    assert.match((await k(['get', 'nodes'])).stdout, /k8s-cilium-01-cp\s+NotReady/);
    assert.equal(bin(['lab', 'down'], { cwd: dir }).code, 0);
  });

  it('`--foreground` stays attached until Ctrl-C, then stops and clears lab.json', async () => {
    bin(['lab', 'down'], { cwd: dir }); // set-up: no lab in the folder (a no-op when none runs)
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/cli/main.js'), 'lab', 'up', '--foreground'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    pids.add(child.pid!);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // lab.json is written before the CLI prints its table: wait for both (a loaded machine shows the gap)
    for (let i = 0; i < 400 && !(existsSync(join(dir, '.meshwright/lab/lab.json')) && state().pid === child.pid && /SIMULATED/.test(out)); i++) await sleep(50);
    assert.equal(state().pid, child.pid, 'the foreground process is the lab');
    assert.match(out, /2 SIMULATED clusters/);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.ok(!existsSync(join(dir, '.meshwright/lab/lab.json')));
  });

  it('`meshwright demo` leaves no lab running', async () => {
    const r = await cli(['demo'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(dir, '.meshwright/lab/lab.json')));
    const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    assert.ok(!ps.split('\n').some((l) => l.includes('lab/process/child') && l.includes(dir)), 'no lab process for this folder');
  });

});

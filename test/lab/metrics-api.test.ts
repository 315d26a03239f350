import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { labHelm } from '../../src/lab/index.js';
import { TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary, rows, startTestLab, testPki, until, type TestLab } from '../helpers/lab.js';
import { referenceLab } from '../helpers/platforms.js';

const RENDERED = join(TEST_ROOT, 'golden', 'render', 'reference-lab', 'k8s-cilium-01', 'helm');
const values = (file: string): Record<string, any> => load(readFileSync(join(RENDERED, file), 'utf8')) as Record<string, any>;

/** kubectl's quantities as `kubectl top` prints them: "123m" cores, "456Mi" bytes. */
const millicores = (cell: string): number => (cell.endsWith('m') ? Number(cell.slice(0, -1)) : Number(cell) * 1000);
const mebibytes = (cell: string): number => Number(cell.replace(/Mi$/, ''));

/**
 * `kubectl top` on the lab: the metrics API (metrics.k8s.io/v1beta1) appears once metrics-server
 * runs, as kube-aggregator serves it on a real cluster only while its backend is available.
 */
describe('lab: kubectl top once metrics-server runs', () => {
  const bin = kubectlBinary('newest').path;
  let lab: TestLab;
  let cache: string;
  let port: number;
  const k = (args: string[]) => kubectl(bin, lab.kubeconfig, cache, ['--context', 'k8s-cilium-01', ...args]);
  const ok = async (args: string[]): Promise<string> => {
    const r = await k(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const settled = () => Promise.all(lab.lab.clusters.map((c) => c.controllers.settled()));
  const install = async (release: string, chart: 'cilium' | 'metrics-server', v: Record<string, any>) => {
    await labHelm.upgradeInstall(port, await testPki(), { release, chart, namespace: 'kube-system', values: [v], now: Date.now() });
    await settled();
  };
  /** metrics-server installed with the rendered values (unless it runs already) and the metrics API answering: what each `kubectl top` test needs. */
  const metricsServer = async () => {
    const deployed = await ok(['get', 'deployments', '-n', 'kube-system', '-l', 'app.kubernetes.io/name=metrics-server', '-o', 'name']);
    if (deployed.trim() === '') await install('metrics-server', 'metrics-server', values('metrics-server-values.yaml'));
    await until(async () => (await k(['top', 'node'])).code === 0, 10_000, 'kubectl top node answers');
  };

  before(async () => {
    lab = await startTestLab(referenceLab());
    port = lab.lab.clusters[0]!.port;
    cache = join(mkdtempSync(join(tmpdir(), 'mw-kubectl-')), 'cache');
    await install('cilium', 'cilium', values('cilium-values.yaml'));
  });
  after(async () => {
    await lab?.stop();
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  it('says "Metrics API not available" before metrics-server is installed', async () => {
    const r = await k(['top', 'node']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Metrics API not available/);
  });

  it('lists every node with usage within its allocatable once metrics-server is available', async () => {
    await metricsServer();
    const table = rows(await ok(['top', 'node']));
    assert.deepEqual(table[0], ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    const nodes = rows(await ok(['get', 'nodes', '-o', 'name'])).map((r) => r[0]!.replace('node/', ''));
    assert.deepEqual(table.slice(1).map((r) => r[0]).sort(), nodes.sort());
    for (const [name, cpu, cpuPct, mem, memPct] of table.slice(1) as string[][]) {
      const allocatable = JSON.parse(await ok(['get', 'node', name!, '-o', 'jsonpath={.status.allocatable}']));
      const cores = Number(allocatable.cpu);
      assert.ok(millicores(cpu!) > 0 && millicores(cpu!) < cores * 1000, `${name} CPU ${cpu} within ${cores} cores`);
      // kubectl computes the percentage from allocatable itself (top_node.go): it agrees with the usage it printed
      assert.equal(Number(cpuPct!.replace('%', '')), Math.floor((millicores(cpu!) / (cores * 1000)) * 100));
      assert.ok(mebibytes(mem!) > 0 && Number(memPct!.replace('%', '')) < 100, `${name} memory ${mem} (${memPct})`);
    }
  });

  it('serves metrics.k8s.io as metrics-server v0.7.2 does: Table columns, the chart’s 15s window, pods per container', async () => {
    await metricsServer();
    const t = rows(await ok(['get', 'nodes.metrics.k8s.io']));
    assert.deepEqual(t[0], ['NAME', 'CPU', 'MEMORY', 'WINDOW']);
    assert.ok(t.slice(1).every((r) => r[3] === '15s'), 'the rendered values pass --metric-resolution=15s');
    const pm = JSON.parse(await ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods']));
    assert.equal(pm.kind, 'PodMetricsList');
    const running = JSON.parse(await ok(['get', 'pods', '-n', 'kube-system', '--field-selector', 'status.phase=Running', '-o', 'json'])).items;
    assert.deepEqual(pm.items.map((i: any) => i.metadata.name).sort(), running.map((p: any) => p.metadata.name).sort());
    const agent = pm.items.find((i: any) => i.metadata.labels?.['k8s-app'] === 'cilium');
    assert.ok(agent, 'a cilium agent pod has metrics');
    assert.ok(agent.containers.some((c: any) => c.name === 'cilium-agent'));
    assert.match(agent.containers[0].usage.cpu, /^\d+n$/, 'CPU in nanocores, as metrics-server writes it');
    assert.match(agent.containers[0].usage.memory, /^\d+Ki$/);
    const missing = await k(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes/no-such-node']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound|not found/);
  });

  it('shows the same usage twice, and a node’s usage grows when pods requesting resources land on it', async () => {
    await metricsServer();
    const usage = async () => Object.fromEntries(rows(await ok(['top', 'node', '--no-headers'])).map((r) => [r[0], millicores(r[1]!)]));
    const before = await usage();
    assert.deepEqual(await usage(), before, 'steady figures');
    await ok(['create', 'deployment', 'busy', '--image=registry.k8s.io/pause:3.9', '--replicas=4']);
    await ok(['set', 'resources', 'deployment', 'busy', '--requests=cpu=200m,memory=256Mi']);
    await settled();
    await until(async () => rows(await ok(['get', 'pods', '-l', 'app=busy', '--field-selector', 'status.phase=Running', '-o', 'name'])).length === 4, 10_000, 'busy pods running');
    const later = await usage();
    const sum = (u: Record<string, number>) => Object.values(u).reduce((a, b) => a + b, 0);
    // four pods each using 20–70% of 200m: the cluster's CPU grows by 160m to 560m
    const grown = sum(later) - sum(before);
    assert.ok(grown >= 150 && grown <= 570, `cluster CPU grew by ${grown}m`);
    const top = rows(await ok(['top', 'pod', '-l', 'app=busy', '--no-headers']));
    assert.equal(top.length, 4);
  });

  it('withdraws the metrics API when metrics-server goes away', async () => {
    await metricsServer();
    await ok(['delete', 'deployment', '-n', 'kube-system', '-l', 'app.kubernetes.io/name=metrics-server']);
    await settled();
    await until(async () => /Metrics API not available/.test((await k(['top', 'node'])).stderr), 10_000, 'metrics API withdrawn');
  });
});

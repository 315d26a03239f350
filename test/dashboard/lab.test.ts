import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { memoryIO } from '../../src/cli/index.js';
import { dashboardSources, followFlows } from '../../src/cli/dashboard.js';
import { DEFAULT_STATE } from '../../src/cli/defaults.js';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.js';
import { bin, cli } from '../helpers/cli.js';
import { REPO_ROOT, TEST_ROOT } from '../helpers/golden.js';
import { kubectl, kubectlBinary } from '../helpers/lab.js';

const PLATFORM = readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml'), 'utf8');
/** Cilium's Star Wars demo (Documentation/gettingstarted/demo.rst): the app and its L3/L4/L7 policy. */
const MINIKUBE = join(TEST_ROOT, 'fixtures', 'upstream', 'cilium-examples', 'examples', 'minikube');
const STARWARS = ['http-sw-app.yaml', 'sw_l3_l4_l7_policy.yaml'];
const MANIFESTS = 'k8s-cilium-01=starwars';
/** Screenshots of the page, kept for a person to look at (reports/ is git-ignored). */
export const ARTIFACTS = join(REPO_ROOT, 'reports', 'dashboard');
const LAUNCH = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** In the page: the explain panel's text contains `text` (a string: this file is type-checked without the DOM). */
const explainSays = (text: string) => `(document.querySelector('[data-explain]')?.textContent ?? '').includes(${JSON.stringify(text)})`;

const withoutClock = (doc: Record<string, unknown>) => ({ ...doc, observedAt: 'when' });

describe('meshwright dashboard on the reference lab with the Star Wars demo', { timeout: 120_000 }, () => {
  let dir: string;
  let dashboard: Dashboard;
  let following: Awaited<ReturnType<typeof followFlows>>;
  let browser: Browser;
  let page: Page;
  const api = async (path: string) => {
    const res = await fetch(new URL(path, dashboard.url));
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const json = async (argv: string[]) => {
    const r = await cli(argv, { cwd: dir });
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-dashboard-'));
    writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
    mkdirSync(join(dir, 'starwars'));
    for (const f of STARWARS) copyFileSync(join(MINIKUBE, f), join(dir, 'starwars', f));
    const applied = bin(['apply'], { cwd: dir, env: { HOME: dir } });
    assert.equal(applied.code, 0, `${applied.stdout}\n${applied.stderr}`);
    const k = await kubectl(kubectlBinary('newest').path, join(dir, '.meshwright', 'lab', 'kubeconfig'), join(dir, 'kube-cache'), ['--context', 'k8s-cilium-01', 'apply', '-f', join(dir, 'starwars')]);
    assert.equal(k.code, 0, k.stderr);
    const verified = await cli(['verify', '--seed', '3', '--requests', '20'], { cwd: dir });
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    // The flows the lab records, followed from k8s-cilium-01's Hubble Relay (Observer gRPC), as the command does
    const io = memoryIO({ NO_COLOR: '1', HOME: dir }, dir);
    following = await followFlows(io, { port: '0', context: [], state: DEFAULT_STATE, filename: [] }, { name: 'k8s-cilium-01', context: 'k8s-cilium-01' });
    dashboard = await startDashboard({ port: 0, sources: dashboardSources(io, undefined, { context: [], state: DEFAULT_STATE, filename: [MANIFESTS] }), flows: following.feed });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH, timeout: 20_000 });
    // the page forbids inline scripts (CSP); axe-core is injected as one, so this page lets it in
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    page.setDefaultTimeout(10_000);
    await page.goto(dashboard.url);
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
    await following?.stop();
    if (dir) {
      bin(['lab', 'down'], { cwd: dir });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves status, plan, policy and the last verify exactly as the CLI prints them with -o json', async () => {
    assert.deepEqual(withoutClock(await api('/api/status')), withoutClock(await json(['status', '-o', 'json'])));
    assert.deepEqual(await api('/api/plan'), await json(['plan', 'platform.yaml', '-f', MANIFESTS, '-o', 'json']));
    assert.deepEqual(await api('/api/policy/matrix?port=80/TCP'), await json(['policy', 'matrix', '--platform', 'platform.yaml', '-f', MANIFESTS, '--port', '80/TCP', '-o', 'json']));
    assert.deepEqual(await api('/api/policy/matrix'), await json(['policy', 'matrix', '--platform', 'platform.yaml', '-f', MANIFESTS, '-o', 'json']));
    const peers = ['--from', 'k8s-cilium-01/default/tiefighter', '--to', 'k8s-cilium-01/default/deathstar', '--port', '80'];
    assert.deepEqual(await api('/api/policy/explain?from=k8s-cilium-01/default/tiefighter&to=k8s-cilium-01/default/deathstar&port=80'), await json(['policy', 'explain', '--platform', 'platform.yaml', '-f', MANIFESTS, ...peers, '-o', 'json']));
    const table = await cli(['policy', 'explain', '--platform', 'platform.yaml', '-f', MANIFESTS, ...peers], { cwd: dir });
    assert.equal(await (await fetch(new URL('/api/policy/explain?from=k8s-cilium-01/default/tiefighter&to=k8s-cilium-01/default/deathstar&port=80&output=table', dashboard.url))).text(), table.stdout);
    // the report the last verify printed is the one it kept
    const again = await cli(['verify', '--seed', '5', '--requests', '20', '-o', 'json'], { cwd: dir });
    assert.deepEqual(await api('/api/verify'), JSON.parse(again.stdout));
  });

  it('follows the lab cluster’s Hubble Relay (lab.json observer) as meshwright observe finds it', async () => {
    const lab = JSON.parse(readFileSync(join(dir, '.meshwright', 'lab', 'lab.json'), 'utf8')) as { clusters: { name: string; observer: string }[] };
    const io = memoryIO({ NO_COLOR: '1', HOME: dir }, dir);
    const flows = await followFlows(io, { port: '0', context: [], state: DEFAULT_STATE, filename: [] }, { name: 'k8s-cilium-01', context: 'k8s-cilium-01' });
    try {
      const line = `meshwright dashboard: following flows from Hubble Relay at ${lab.clusters[0]!.observer}\n`;
      const deadline = Date.now() + 10_000;
      while (!io.err.includes(line) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(io.err, [line]);
    } finally {
      await flows.stop();
    }
  });

  it('shows both clusters and both mesh links connected', async () => {
    for (const link of ['k8s-cilium-01>k8s-cilium-02', 'k8s-cilium-02>k8s-cilium-01']) {
      const li = page.locator(`[data-link="${link}"]`);
      await li.waitFor();
      assert.match(await li.innerText(), /connected$/);
      assert.match((await li.getAttribute('class')) ?? '', /\bok\b/);
    }
    for (const cluster of ['k8s-cilium-01', 'k8s-cilium-02']) assert.match(await page.locator(`[data-cluster="${cluster}"]`).innerText(), /reachable[\s\S]*nodes ready 2\/2[\s\S]*172\.26\.0\.10[15] kube-system\/cilium-ingress/);
  });

  it('moves the live share counters as requests arrive, beside the plan’s 50/50', async () => {
    const cell = (to: string, col: 'count' | 'live') => page.locator(`[data-share="default/rebel-base/k8s-cilium-01/${to}"] td.${col}`);
    const selector = (to: string) => `[data-share="default/rebel-base/k8s-cilium-01/${to}"] td.count`;
    await cell('k8s-cilium-02', 'count').waitFor();
    assert.match(await page.locator('[data-share="default/rebel-base/k8s-cilium-01/k8s-cilium-01"]').innerText(), /50%/);
    // verify's own requests may still be arriving from the relay (later on a loaded machine): read the
    // counters once they have stood still for a second, not after a fixed wait.
    const read = async () => ({ one: Number(await cell('k8s-cilium-01', 'count').innerText()), two: Number(await cell('k8s-cilium-02', 'count').innerText()) });
    let before = await read();
    for (let tries = 0; tries < 15; tries++) {
      await page.waitForTimeout(1000);
      const now = await read();
      if (now.one === before.one && now.two === before.two) break;
      before = now;
    }
    // real lab traffic: x-wing in cluster 1 asks the global rebel-base service 20 times (the notebook's loop)
    const xwing = await kubectl(kubectlBinary('newest').path, join(dir, '.meshwright', 'lab', 'kubeconfig'), join(dir, 'kube-cache'), ['--context', 'k8s-cilium-01', 'get', 'pods', '-l', 'name=x-wing', '-o', 'jsonpath={.items[0].metadata.name}']);
    const sent = await cli(['lab', 'curl', '--context', 'k8s-cilium-01', '--from', `default/${xwing.stdout.trim()}`, '-n', '20', '--seed', '7', '-o', 'json', 'http://rebel-base.default.svc.cluster.local'], { cwd: dir });
    assert.equal(sent.code, 0, sent.stderr);
    const answered = (JSON.parse(sent.stdout).results as { backend: { cluster: string } }[]).map((r) => r.backend.cluster);
    const one = answered.filter((c) => c === 'k8s-cilium-01').length;
    const two = answered.filter((c) => c === 'k8s-cilium-02').length;
    assert.ok(one > 0 && two > 0 && one + two === 20, `both clusters answer: ${one}/${two}`);
    const expected = `${before.one + one}/${before.two + two}`;
    const shown = async () => `${await cell('k8s-cilium-01', 'count').innerText()}/${await cell('k8s-cilium-02', 'count').innerText()}`;
    await page
      .waitForFunction(`Number(document.querySelector('${selector('k8s-cilium-01')}')?.textContent) === ${before.one + one} && Number(document.querySelector('${selector('k8s-cilium-02')}')?.textContent) === ${before.two + two}`, undefined, { timeout: 15_000 })
      .catch(async (err) => assert.fail(`answers per cluster (local/remote) ${expected} expected, the page shows ${await shown()}: ${err}`));
    assert.match(await cell('k8s-cilium-01', 'live').innerText(), /^\d+%$/);
  });

  it('explains a policy cell on click, and on Enter from the keyboard, with the deciding rule’s file:line', async () => {
    await page.getByRole('button', { name: 'k8s-cilium-01/default/tiefighter[Pod] to k8s-cilium-01/default/deathstar[Deployment]: allowed. Explain' }).click();
    await page.waitForFunction(explainSays('rule1 ingress[0]'));
    assert.match(await page.locator('[data-explain]').innerText(), /ingress\s+allowed: allowed by CiliumNetworkPolicy default\/rule1 ingress\[0\] \(starwars\/sw_l3_l4_l7_policy\.yaml:12:5\)/);
    await page.getByRole('button', { name: 'k8s-cilium-01/default/xwing[Pod] to k8s-cilium-01/default/deathstar[Deployment]: denied. Explain' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(explainSays('xwing (pod)'));
    assert.match(await page.locator('[data-explain]').innerText(), /ingress\s+denied: default deny: selected by CiliumNetworkPolicy default\/rule1 but no rule allows[\s\S]*VERDICT\s+denied/);
  });

  it('lists a DROPPED flow with its reason after a denied request, and filters on the verdict', async () => {
    const curl = await cli(['lab', 'curl', '--context', 'k8s-cilium-01', '--from', 'default/xwing', '--connect-timeout', '1', 'http://deathstar.default/v1/request-landing'], { cwd: dir });
    assert.equal(curl.code, 28, curl.stderr);
    const drop = page.locator('li.flow.drop', { hasText: 'default/xwing' }).first();
    await drop.waitFor();
    assert.match(await drop.innerText(), /default\/xwing \(k8s-cilium-01\) → default\/deathstar-[a-z0-9]+-[a-z0-9]+:80 \(k8s-cilium-01\)[\s\S]*DROPPED POLICY_DENIED/);
    await page.getByLabel('Verdict').selectOption('DROPPED');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(`document.querySelectorAll('li.flow').length > 0 && document.querySelectorAll('li.flow:not(.drop)').length === 0`);
    assert.match(await page.locator('li.flow').first().innerText(), /DROPPED/);
  });

  it('has no accessibility violations (axe-core), and fits a narrow window without sideways scrolling', async () => {
    await page.addScriptTag({ path: join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
    const violations = await page.evaluate<string[]>(`axe.run().then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
    assert.deepEqual(violations, []);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-1280x800.png'), fullPage: true });
    await page.setViewportSize({ width: 400, height: 800 });
    assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-400x800.png'), fullPage: true });
  });
});

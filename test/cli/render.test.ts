import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { createHash } from 'node:crypto';
import { readTree } from '../../src/render-output/index.js';
import { unknownChartKeys } from '../helpers/chart-keys.js';
import { cli, type CliResult } from '../helpers/cli.js';
import { assertGolden, REPO_ROOT } from '../helpers/golden.js';

const LAB = join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml');
const NOW = new Date('2026-11-24T09:00:00Z');
const PRIVATE = /PRIVATE KEY|LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t/; // PEM, or PEM in base64

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function workspace(): { dir: string; out: string; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'meshwright-render-'));
  dirs.push(dir);
  return { dir, out: join(dir, 'out'), state: join(dir, 'state', 'pki') };
}
const render = (ws: { dir: string; out: string; state: string }, ...extra: string[]) => cli(['render', LAB, '--output-dir', ws.out, '--state', ws.state, ...extra], { cwd: ws.dir, now: NOW });

describe('meshwright render', () => {
  const ws = workspace();
  let rendered: CliResult;
  let first: Map<string, string>;

  // The shared fixture: the reference lab rendered once into an empty folder. Every test below
  // starts from that output and state, so each runs alone (--test-name-pattern) as well as in order.
  before(async () => {
    rendered = await render(ws);
    first = rendered.code === 0 ? readTree(ws.out) : new Map();
  });

  test('writes every artifact of the reference lab', () => {
    const r = rendered;
    assert.equal(r.code, 0, r.stderr);
    for (const c of ['k8s-cilium-01', 'k8s-cilium-02']) {
      for (const f of ['kubespray/hosts.yaml', 'kubespray/group_vars/k8s_cluster/k8s-cluster.yml', 'helm/cilium-values.yaml', 'helm/cilium-values.secret.yaml', 'helm/metrics-server-values.yaml', 'manifests/01-lb-ipam.yaml', 'manifests/02-ingress-app.yaml', 'manifests/03-global-service-demo.yaml', 'manifests/00-clustermesh-apiserver-local-cert.secret.yaml']) {
        assert.ok(first.has(`${c}/${f}`), `${c}/${f} missing`);
      }
    }
    assert.ok(first.has('kubeconfig-plan.yaml') && first.has('mesh-ca.crt'));
    assert.match(r.stdout, /rendered \d+ files into .*\(\d+ secret, mode 0600\)/);
    assert.match(r.stdout, /k8s-cilium-01\/clustermesh-server\s+clustermesh-apiserver\.cilium\.io\s+2029-11-23\s+1095\s+created/);
  });

  test('private keys only in *.secret.yaml and *.key files, all 0600; never on the terminal', async () => {
    for (const [path, content] of readTree(ws.out)) {
      const secret = /\.secret\.yaml$|\.key$/.test(path);
      if (!secret) assert.doesNotMatch(content, PRIVATE, `${path} holds a private key`);
      assert.equal(statSync(join(ws.out, path)).mode & 0o777, secret ? 0o600 : 0o644, path);
    }
    const again = await render(ws);
    assert.doesNotMatch(again.stdout + again.stderr, PRIVATE);
  });

  test('rendering again with the same state gives byte-identical output', async () => {
    const r = await render(ws);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readTree(ws.out), first);
    assert.match(r.stdout, /k8s-cilium-01\/clustermesh-server\s.*\sreused/);
  });

  test('the public Cilium values of cluster 1, and every key of both halves exists in chart 1.16.5', () => {
    const values = first.get('k8s-cilium-01/helm/cilium-values.yaml')!;
    assertGolden('render/reference-lab/k8s-cilium-01/helm/cilium-values.yaml', values);
    const secret = parse(first.get('k8s-cilium-01/helm/cilium-values.secret.yaml')!) as Record<string, any>;
    assert.deepEqual(unknownChartKeys(parse(values)), []);
    assert.deepEqual(unknownChartKeys(secret), []);
    assert.equal(Buffer.from(secret.tls.ca.cert, 'base64').toString(), first.get('mesh-ca.crt'));
    assert.equal(secret.tls.ca.key, undefined, 'the CA key stays on the operator\'s machine by default');
    assert.ok(secret.clustermesh.apiserver.tls.server.cert && secret.clustermesh.apiserver.tls.remote.key);
  });

  test('--diff: nothing after a render; a changed VIP shows up, and nothing is written', async () => {
    const same = await render(ws, '--diff');
    assert.equal(same.code, 0);
    assert.match(same.stdout, /no changes: the output is up to date/);
    const edited = join(ws.dir, 'edited.yaml');
    writeFileSync(edited, readFileSync(LAB, 'utf8').replace('172.26.0.102', '172.26.0.103'));
    const r = await cli(['render', edited, '--output-dir', ws.out, '--state', ws.state, '--diff'], { cwd: ws.dir, now: NOW });
    assert.equal(r.code, 1, `kubectl diff's exit status: 1 when something would change\n${r.stderr}`);
    assert.match(r.stdout, /^-\s+lbipam\.cilium\.io\/ips: 172\.26\.0\.102$/m);
    assert.match(r.stdout, /^\+\s+lbipam\.cilium\.io\/ips: 172\.26\.0\.103$/m);
    assert.match(r.stdout, /k8s-cilium-01\/helm\/cilium-values\.secret\.yaml \(secret, changed; contents not shown\)/);
    assert.doesNotMatch(r.stdout, PRIVATE);
    assert.deepEqual(readTree(ws.out), first, 'diff wrote nothing');
  });

  test("Kubespray's artifacts/ and credentials/ survive a new render, and --diff neither shows nor removes them", async () => {
    const artifacts = join(ws.out, 'k8s-cilium-01', 'kubespray', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'admin.conf'), 'users:\n- name: kubernetes-admin-cluster.local\n  user:\n    client-key-data: c2VjcmV0\n', { mode: 0o600 });
    const diff = await render(ws, '--diff');
    assert.doesNotMatch(diff.stdout, /admin\.conf|client-key-data/);
    assert.equal((await render(ws)).code, 0);
    assert.match(readFileSync(join(artifacts, 'admin.conf'), 'utf8'), /client-key-data/);
  });

  test('-o json: every file written with its mode, secret flag and sha256, and the certificates without key material', async () => {
    const r = await render(ws, '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout) as { kind: string; outputDir: string; files: { path: string; mode: string; secret: boolean; sha256: string }[]; certificates: { id: string; commonName: string; ipAddresses: string[]; notAfter: string; action: string }[] };
    assert.equal(data.kind, 'RenderResult');
    assert.equal(data.outputDir, ws.out);
    assert.deepEqual(data.files.map((f) => f.path).sort(), [...readTree(ws.out).keys()].sort(), 'every file, and only those');
    for (const f of data.files) {
      const onDisk = readFileSync(join(ws.out, f.path));
      assert.equal(f.sha256, createHash('sha256').update(onDisk).digest('hex'), f.path);
      assert.equal(f.mode, `0${(statSync(join(ws.out, f.path)).mode & 0o777).toString(8)}`, f.path);
      assert.equal(f.secret, /\.secret\.yaml$|\.key$/.test(f.path), f.path);
    }
    const server = data.certificates.find((c) => c.id === 'k8s-cilium-01/clustermesh-server')!;
    assert.deepEqual([server.commonName, server.notAfter, server.action], ['clustermesh-apiserver.cilium.io', '2029-11-23T09:00:00.000Z', 'reused']);
    assert.ok(server.ipAddresses.includes('172.26.0.102'), 'the clustermesh-apiserver VIP of cluster 1');
    assert.doesNotMatch(r.stdout, PRIVATE);
    const yaml = parse((await render(ws, '-o', 'yaml')).stdout) as { files: unknown[] };
    assert.equal(yaml.files.length, data.files.length);
  });

  test('-o is the output format now: `-o DIR` is a usage error that names --output-dir', async () => {
    const r = await cli(['render', LAB, '-o', ws.out], { cwd: ws.dir, now: NOW });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not an output format \(table, json, yaml\); the output folder is given with --output-dir/);
  });

  test('--diff exits as kubectl diff: 0 unchanged, 1 changed, 2 on invalid input or usage; -o json lists the changes', async () => {
    assert.equal((await render(ws, '--diff')).code, 0);
    const edited = join(ws.dir, 'edited-diff.yaml');
    writeFileSync(edited, readFileSync(LAB, 'utf8').replace('172.26.0.102', '172.26.0.103'));
    const changed = await cli(['render', edited, '--output-dir', ws.out, '--state', ws.state, '--diff', '-o', 'json'], { cwd: ws.dir, now: NOW });
    assert.equal(changed.code, 1);
    const diff = JSON.parse(changed.stdout) as { kind: string; changed: boolean; changes: { path: string; change: string; secret: boolean; patch?: string }[] };
    assert.equal(diff.kind, 'RenderDiff');
    assert.equal(diff.changed, true);
    const values = diff.changes.find((c) => c.path === 'k8s-cilium-01/helm/cilium-values.yaml')!;
    assert.match(values.patch!, /^\+\s+lbipam\.cilium\.io\/ips: 172\.26\.0\.103$/m);
    assert.ok(diff.changes.filter((c) => c.secret).every((c) => c.patch === undefined), 'secret files by name only');
    assert.doesNotMatch(changed.stdout, PRIVATE);
    const invalid = await cli(['render', join(REPO_ROOT, 'test/fixtures/broken-platform.yaml'), '--output-dir', ws.out, '--state', ws.state, '--diff'], { cwd: ws.dir, now: NOW });
    assert.equal(invalid.code, 2, 'invalid input is a failure of the diff, above 1');
    assert.match(invalid.stderr, /error\[UNKNOWN_FIELD\]/);
    assert.equal((await render(ws, '--diff', '--bogus')).code, 2);
    assert.deepEqual(readTree(ws.out), first, 'none of it wrote anything');
  });

  test('--ca-key-to-chart warns and hands the CA key to the chart', async () => {
    const w = workspace();
    const r = await render(w, '--ca-key-to-chart');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /warning.*--ca-key-to-chart.*mint certificates for the whole mesh/);
    const secret = parse(readFileSync(join(w.out, 'k8s-cilium-02/helm/cilium-values.secret.yaml'), 'utf8')) as Record<string, any>;
    assert.ok(secret.tls.ca.key);
  });
});

describe('meshwright render: IPsec', () => {
  test('one mesh-wide IPsec key, kept in the state folder and the same Secret in every cluster', async () => {
    const ws = workspace();
    const file = join(REPO_ROOT, 'test/fixtures/platforms-valid/nodeport-511.yaml');
    const run = () => cli(['render', file, '--output-dir', ws.out, '--state', ws.state], { cwd: ws.dir, now: NOW });
    assert.equal((await run()).code, 0);
    const secrets = ['dc-300', 'dc-301'].map((c) => readFileSync(join(ws.out, c, 'manifests/00-cilium-ipsec-keys.secret.yaml'), 'utf8').replace(/^#.*\n/gm, ''));
    assert.equal(secrets[0], secrets[1]);
    const keys = Buffer.from((parse(secrets[0]!) as { data: { keys: string } }).data.keys, 'base64').toString();
    assert.match(keys, /^3\+ rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/);
    assert.equal(readFileSync(join(ws.state, 'ipsec.keys'), 'utf8').trim(), keys);
    assert.equal(statSync(join(ws.state, 'ipsec.keys')).mode & 0o777, 0o600);
    const before = readTree(ws.out);
    const again = await run();
    assert.equal(again.code, 0);
    assert.deepEqual(readTree(ws.out), before, 'the key is reused: byte-identical');
    assert.doesNotMatch(again.stdout + again.stderr, new RegExp(keys.split(' ')[2]!));
  });
});

describe('meshwright render: bad input writes nothing', () => {
  test('an invalid platform stops with validate\'s diagnostics', async () => {
    const ws = workspace();
    const r = await cli(['render', join(REPO_ROOT, 'test/fixtures/broken-platform.yaml'), '--output-dir', ws.out, '--state', ws.state], { cwd: ws.dir, now: NOW });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken-platform\.yaml:17:7: error\[UNKNOWN_FIELD\]/);
    assert.ok(!existsSync(ws.out) && !existsSync(ws.state));
  });

  test('an unwritable output folder: one error with a hint, exit 1, and no state folder made', async () => {
    const ws = workspace();
    writeFileSync(join(ws.dir, 'file'), '');
    const r = await cli(['render', LAB, '--output-dir', join(ws.dir, 'file', 'out'), '--state', ws.state], { cwd: ws.dir, now: NOW });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[OUTPUT_UNWRITABLE\]/);
    assert.match(r.stderr, /hint:/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.ok(!existsSync(ws.state), 'the state folder is untouched');
  });

  test('a folder meshwright did not write is refused, for render and for --diff, and nothing in it is shown', async () => {
    const ws = workspace();
    mkdirSync(ws.out);
    writeFileSync(join(ws.out, 'id_ed25519'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n');
    for (const extra of [[], ['--diff']]) {
      const r = await render(ws, ...extra);
      assert.equal(r.code, extra.length ? 2 : 1, 'with --diff a failure is above 1, as kubectl diff has it');
      assert.match(r.stderr, /error\[OUTPUT_NOT_OURS\]/);
      assert.doesNotMatch(r.stdout + r.stderr, /PRIVATE KEY|b3BlbnNzaC1rZXk/);
    }
    assert.ok(!existsSync(ws.state), 'no CA was created for a render that could not happen');
  });

  test('a corrupted CA in the state folder', async () => {
    const ws = workspace();
    assert.equal((await render(ws)).code, 0);
    const before = readTree(ws.out);
    writeFileSync(join(ws.state, 'ca.crt'), 'not a certificate\n', { mode: 0o600 });
    const r = await render(ws);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[PKI_CA_CORRUPT\]/);
    assert.deepEqual(readTree(ws.out), before, 'previous output intact');
  });

  test('a key file others can read', async () => {
    const ws = workspace();
    assert.equal((await render(ws)).code, 0);
    chmodSync(join(ws.state, 'ca.key'), 0o644);
    const r = await render(ws);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error\[PKI_KEY_PERMISSIONS\].*\n.*hint: .*chmod 600/);
  });
});

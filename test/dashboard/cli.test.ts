import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bin } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/golden.js';

const MAIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');

/** `meshwright dashboard` as a user starts it, until it prints its URL. */
function start(dir: string, args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [MAIN, 'dashboard', ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s: ${out}`)), 30_000);
    const look = () => {
      const m = /meshwright dashboard: (http:\/\/\S+) \(Ctrl-C stops it\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
}

describe('meshwright dashboard (the command)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-dashboard-cli-'));
    writeFileSync(join(dir, 'platform.yaml'), readFileSync(join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its 127.0.0.1 URL, serves the page and the plan, and stops cleanly on Ctrl-C (SIGINT)', async () => {
    const { child, url } = await start(dir, ['--port', '0']);
    try {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script type="module" src="\/app\.js"><\/script>/);
      const js = await fetch(new URL('/app.js', url));
      assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
      // the script names no host but the XML namespaces preact creates elements in (never fetched): it works offline
      const hosts = new Set([...(await js.text()).matchAll(/https?:\/\/([a-z0-9.-]+)/gi)].map((m) => m[1]));
      assert.deepEqual([...hosts], ['www.w3.org']);
      const plan = bin(['plan', '-o', 'json'], { cwd: dir });
      assert.deepEqual(await (await fetch(new URL('/api/plan', url))).json(), JSON.parse(plan.stdout));
      const matrix = await fetch(new URL('/api/policy/matrix', url));
      assert.equal(matrix.status, 404);
      assert.match(((await matrix.json()) as { hint: string }).hint, /-f \[CLUSTER=\]PATH/);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 0);
  });

  it('says when the port is taken (exit 1) and refuses a port that is none (exit 2)', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (taken.address() as { port: number }).port;
      const r = bin(['dashboard', '--port', String(port)], { cwd: dir, env: { HOME: dir } });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port} is already in use[\\s\\S]*--port 0`));
    } finally {
      taken.close();
    }
    const bad = bin(['dashboard', '--port', 'http'], { cwd: dir, env: { HOME: dir } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--port http is not a port number/);
  });
});

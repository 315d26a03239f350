import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { memoryIO, run } from '../../src/cli/index.js';
import { readTree } from '../../src/render-output/index.js';
import { cli, type CliResult } from '../helpers/cli.js';
import { mountTmpfs, NOBODY, runAsNobody, whyNoSetpriv } from '../helpers/faults.js';
import { REPO_ROOT } from '../helpers/golden.js';
import { snapshot } from '../helpers/state.js';

/**
 * Every command over the file-system faults a user meets: each ends with exit 1 (2 for
 * `render --diff`, which keeps 1 for "would change"), a message that names the path, and no
 * stack trace. Root reads and writes everything, so unreadable and unwritable paths are tried as
 * uid 65534 (setpriv); a full disk is a tiny tmpfs, or /dev/full as standard output.
 */
const LAB = join(REPO_ROOT, 'examples', 'reference-lab', 'platform.yaml');
const MANIFEST = join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'clustermesh-demo', 'cluster1.yaml');
const STACK = /^\s{4}at /m;

/** The workspace, owned by root and open to read (0755) so uid 65534 can walk it. */
const base = mkdtempSync(join(tmpdir(), 'meshwright-faults-'));
chmodSync(base, 0o755);
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups.reverse()) c();
  rmSync(base, { recursive: true, force: true });
});

function file(rel: string, content: string | Buffer, mode = 0o644): string {
  const path = join(base, rel);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}
function folder(rel: string, mode = 0o755, owner?: number): string {
  const path = join(base, rel);
  mkdirSync(path, { recursive: true });
  if (owner !== undefined) chownSync(path, owner, owner);
  chmodSync(path, mode);
  return path;
}

before(() => {
  const lab = readFileSync(LAB);
  file('ok.yaml', lab);
  file('secret.yaml', lab, 0o600); // root's alone: unreadable to uid 65534
  folder('closed', 0o755);
  file('closed/p.yaml', lab);
  file('closed/m.yaml', readFileSync(MANIFEST));
  chmodSync(join(base, 'closed'), 0o700); // a folder uid 65534 cannot enter or list
  folder('manifests');
  copyFileSync(MANIFEST, join(base, 'manifests', 'cluster1.yaml'));
  chmodSync(join(base, 'manifests', 'cluster1.yaml'), 0o644);
  file('secret-manifest.yaml', readFileSync(MANIFEST), 0o600);
  symlinkSync('loop2', join(base, 'loop1'));
  symlinkSync('loop1', join(base, 'loop2'));
  symlinkSync('gone.yaml', join(base, 'dangling.yaml'));
  symlinkSync('gone', join(base, 'dangling-dir'));
  folder('folder.yaml');
  folder('ro'); // root's, 0755: uid 65534 may read, not write
  folder('w', 0o755, NOBODY); // uid 65534's own workspace
  folder('w/state-closed', 0o700); // a state folder uid 65534 cannot read
  folder('out-closed');
  file('out-closed/.meshwright-output', 'rendered by meshwright\n');
  chmodSync(join(base, 'out-closed'), 0o700); // a previous output uid 65534 cannot read (--diff)
});

interface Case {
  name: string;
  argv: string[];
  /** The path the message must name, as the user typed it. */
  path: string;
  code?: number;
  cwd?: string;
}

function assertUserError(c: Case, r: CliResult): void {
  const all = r.stdout + r.stderr;
  assert.equal(r.code, c.code ?? 1, `${c.argv.join(' ')}\n${all}`);
  assert.match(all, /error\[[A-Z_]+\]/, `a diagnostic, not a crash:\n${all}`);
  assert.ok(all.includes(c.path), `names ${c.path}:\n${all}`);
  assert.doesNotMatch(all, STACK, `no stack trace:\n${all}`);
  assert.doesNotMatch(all, /internal error/);
}

/** The platform-file faults every command that reads a platform meets (root sees them too). */
const PLATFORM_FAULTS: [string, string][] = [
  ['a missing path', 'nope.yaml'],
  ['a symlink loop', 'loop1'],
  ['a dangling link', 'dangling.yaml'],
  ['a folder where a file is expected', 'folder.yaml'],
  ['a file where a folder is expected', 'ok.yaml/platform.yaml'],
];
/** The same for -f, which takes files and folders. */
const MANIFEST_FAULTS: [string, string][] = [
  ['a missing path', 'nope/'],
  ['a symlink loop', 'loop1'],
  ['a dangling link', 'dangling.yaml'],
  ['a file where a folder is expected', 'ok.yaml/manifests'],
];
const UNREADABLE_PLATFORM: [string, string][] = [
  ['an unreadable file', 'secret.yaml'],
  ['a file in an unreadable folder', 'closed/p.yaml'],
];
const UNREADABLE_MANIFESTS: [string, string][] = [
  ['an unreadable file', 'secret-manifest.yaml'],
  ['an unreadable folder', 'closed'],
];

/** Each command that reads a platform file, with that file as `p` (outputs in the writable workspace). */
const platformCommands = (p: string, i: string): [string, string[], number?][] => [
  ['validate', ['validate', p]],
  ['render', ['render', p, '--output-dir', `w/out-${i}`, '--state', `w/state-${i}`]],
  ['render --diff', ['render', p, '--output-dir', `w/out-${i}`, '--state', `w/state-${i}`, '--diff'], 2],
  ['plan', ['plan', p]],
  ['policy matrix --platform', ['policy', 'matrix', '--platform', p, '-f', 'manifests']],
];
/** Each command that reads manifests with -f, over `m`. */
const manifestCommands = (m: string): [string, string[]][] => [
  ['plan -f', ['plan', 'ok.yaml', '-f', m]],
  ['policy explain -f', ['policy', 'explain', '-f', m, '--from', 'default/x-wing', '--to', 'default/svc/rebel-base', '--port', '80']],
  ['policy matrix -f', ['policy', 'matrix', '-f', m]],
];

function casesFor(faults: [string, string][], commands: (path: string, i: string) => [string, string[], number?][]): Case[] {
  return faults.flatMap(([fault, path], i) => commands(path, String(i)).map(([command, argv, code]) => ({ name: `${command}: ${fault} (${path})`, argv, path, ...(code ? { code } : {}) })));
}

describe('file-system faults as root: exit 1 (2 with --diff), the path named, no stack trace', () => {
  const cases: Case[] = [
    ...casesFor(PLATFORM_FAULTS, platformCommands),
    ...casesFor(MANIFEST_FAULTS, (m) => manifestCommands(m)),
    // The output and state folders of render, in the way or looping.
    { name: 'render: the output folder is a symlink loop', argv: ['render', 'ok.yaml', '--output-dir', 'loop1', '--state', 'w/s1'], path: 'loop1' },
    { name: 'render: the output folder is a dangling link', argv: ['render', 'ok.yaml', '--output-dir', 'dangling-dir', '--state', 'w/s2'], path: 'dangling-dir' },
    { name: 'render: a file where the output folder is expected', argv: ['render', 'ok.yaml', '--output-dir', 'ok.yaml', '--state', 'w/s3'], path: 'ok.yaml' },
    { name: 'render: the output folder under a file', argv: ['render', 'ok.yaml', '--output-dir', 'ok.yaml/out', '--state', 'w/s4'], path: 'ok.yaml/out' },
    { name: 'render --diff: the output folder is a symlink loop', argv: ['render', 'ok.yaml', '--output-dir', 'loop1', '--state', 'w/s5', '--diff'], path: 'loop1', code: 2 },
    { name: 'render: the state folder is a symlink loop', argv: ['render', 'ok.yaml', '--output-dir', 'w/o6', '--state', 'loop1'], path: 'loop1' },
    { name: 'render: the state folder is a dangling link', argv: ['render', 'ok.yaml', '--output-dir', 'w/o7', '--state', 'dangling-dir'], path: 'dangling-dir' },
    { name: 'render: a file where the state folder is expected', argv: ['render', 'ok.yaml', '--output-dir', 'w/o8', '--state', 'ok.yaml'], path: 'ok.yaml' },
    { name: 'render --diff: the state folder under a file', argv: ['render', 'ok.yaml', '--output-dir', 'w/o9', '--state', 'ok.yaml/state', '--diff'], path: 'ok.yaml/state', code: 2 },
    { name: 'demo: a file where its .meshwright folder is expected', argv: ['demo'], path: '.meshwright', cwd: 'demo-blocked' },
  ];
  before(() => {
    folder('demo-blocked');
    file('demo-blocked/.meshwright', 'a file in the way\n');
  });
  for (const c of cases) {
    test(c.name, async () => {
      assertUserError(c, await cli(c.argv, { cwd: join(base, c.cwd ?? '') }));
    });
  }
});

describe(`file-system faults as uid ${NOBODY}: unreadable files and folders, unwritable folders`, () => {
  const why = whyNoSetpriv();
  const cases: Case[] = [
    ...casesFor(UNREADABLE_PLATFORM, platformCommands),
    ...casesFor(UNREADABLE_MANIFESTS, (m) => manifestCommands(m)),
    { name: 'render: an unwritable output folder', argv: ['render', 'ok.yaml', '--output-dir', 'ro/out', '--state', 'w/n1'], path: 'ro/out' },
    { name: 'render: an unwritable state folder', argv: ['render', 'ok.yaml', '--output-dir', 'w/n2-out', '--state', 'ro/state'], path: 'ro/state' },
    { name: 'render: an unreadable state folder', argv: ['render', 'ok.yaml', '--output-dir', 'w/n3-out', '--state', 'w/state-closed'], path: 'w/state-closed' },
    { name: 'render --diff: an unreadable state folder', argv: ['render', 'ok.yaml', '--output-dir', 'w/n4-out', '--state', 'w/state-closed', '--diff'], path: 'w/state-closed', code: 2 },
    { name: 'render --diff: an unreadable previous output', argv: ['render', 'ok.yaml', '--output-dir', 'out-closed', '--state', 'w/n5', '--diff'], path: 'out-closed', code: 2 },
    { name: 'render: an unreadable previous output', argv: ['render', 'ok.yaml', '--output-dir', 'out-closed', '--state', 'w/n6'], path: 'out-closed' },
    { name: 'demo: an unwritable working folder', argv: ['demo'], path: '.meshwright/reference-lab/out', cwd: 'ro' },
  ];
  let results: CliResult[] = [];
  before(() => {
    if (!why) results = runAsNobody(cases.map((c) => ({ argv: c.argv, cwd: join(base, c.cwd ?? '') })));
  });
  for (const [i, c] of cases.entries()) {
    test(c.name, { skip: why }, () => assertUserError(c, results[i]!));
  }
  test('nothing was written where it was refused', { skip: why }, () => {
    assert.deepEqual(readdirSync(join(base, 'ro')), [], 'no output, state or staging folder in ro/');
    assert.ok(!existsSync(join(base, 'w', 'n1')), 'the state folder is untouched when the output folder is refused');
    assert.ok(!existsSync(join(base, 'w', 'n2-out')), 'the output is not written when the state folder is refused');
  });
});

describe('a full disk or a read-only file system', () => {
  const full = join(base, 'full');
  const mounted = mountTmpfs(full, 'size=2m');
  const why = typeof mounted === 'string' ? mounted : undefined;
  if (typeof mounted === 'function') cleanups.push(mounted);

  /** Fills the tmpfs up to its last byte, so the next write gets ENOSPC. */
  function fill(): void {
    const fd = openSync(join(full, 'filler'), 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(64 * 1024, 0x61));
    } catch (err) {
      assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      closeSync(fd);
    }
  }
  const unfill = () => rmSync(join(full, 'filler'), { force: true });

  test('render with its output on a full disk: exit 1, ENOSPC named, previous output and state intact', { skip: why }, async () => {
    const args = ['render', 'ok.yaml', '--output-dir', 'full/out', '--state', 'w/full-state'];
    assert.equal((await cli(args, { cwd: base })).code, 0);
    const [out, state] = [readTree(join(full, 'out')), snapshot(join(base, 'w', 'full-state'))];
    fill();
    try {
      const r = await cli([...args, '--rotate-ca'], { cwd: base });
      assertUserError({ name: '', argv: args, path: 'full/out' }, r);
      assert.match(r.stderr, /no space left on the device \(ENOSPC/);
      assert.deepEqual(readTree(join(full, 'out')), out, 'the previous output is intact');
      assert.deepEqual(snapshot(join(base, 'w', 'full-state')), state, 'the state is untouched: no new CA beside the old output');
      assert.deepEqual(readdirSync(full).sort(), ['filler', 'out'], 'no staging folder left behind');
    } finally {
      unfill();
    }
  });

  test('render with its state on a full disk: exit 1, previous output and state intact', { skip: why }, async () => {
    const args = ['render', 'ok.yaml', '--output-dir', 'w/full-out', '--state', 'full/state'];
    assert.equal((await cli(args, { cwd: base })).code, 0);
    const [out, state] = [readTree(join(base, 'w', 'full-out')), snapshot(join(full, 'state'))];
    fill();
    try {
      const r = await cli([...args, '--rotate-ca'], { cwd: base });
      assertUserError({ name: '', argv: args, path: 'full/state' }, r);
      assert.match(r.stderr, /error\[STATE_UNWRITABLE\].*ENOSPC/);
      assert.deepEqual(readTree(join(base, 'w', 'full-out')), out, 'the previous output is intact');
      assert.deepEqual(snapshot(join(full, 'state')), state, 'the previous state is intact, no temp file left');
      assert.deepEqual(readdirSync(join(base, 'w')).filter((n) => n.startsWith('full-out.')), [], 'no staging folder left behind');
    } finally {
      unfill();
    }
  });

  test('demo in a folder on a full disk', { skip: why }, async () => {
    fill();
    try {
      assertUserError({ name: '', argv: ['demo'], path: '.meshwright/reference-lab/out' }, await cli(['demo'], { cwd: full }));
    } finally {
      unfill();
      rmSync(join(full, '.meshwright'), { recursive: true, force: true });
    }
  });

  const rofs = join(base, 'rofs');
  const roMounted = mountTmpfs(rofs, 'ro,size=64k');
  if (typeof roMounted === 'function') cleanups.push(roMounted);
  test('render onto a read-only file system (EROFS)', { skip: typeof roMounted === 'string' ? roMounted : undefined }, async () => {
    const r = await cli(['render', 'ok.yaml', '--output-dir', 'rofs/out', '--state', 'w/rofs-state'], { cwd: base });
    assertUserError({ name: '', argv: [], path: 'rofs/out' }, r);
    assert.match(r.stderr, /read-only \(EROFS/);
    assert.ok(!existsSync(join(base, 'w', 'rofs-state')), 'no state made for a render that could not be written');
  });
});

describe('standard output on a full disk (/dev/full), with the built binary', () => {
  const main = resolve(REPO_ROOT, 'dist', 'cli', 'main.js');
  const why = !existsSync('/dev/full') ? 'no /dev/full on this system' : !existsSync(main) ? 'dist/cli/main.js is missing: run npm run build (npm test does)' : undefined;
  const commands: [string, string[]][] = [
    ['schema', ['schema']],
    ['validate', ['validate', 'ok.yaml']],
    ['plan -f', ['plan', 'ok.yaml', '-f', 'manifests']],
    ['policy matrix -f', ['policy', 'matrix', '-f', 'manifests', '-o', 'json']],
    ['render -o json', ['render', 'ok.yaml', '--output-dir', 'w/devfull-out', '--state', 'w/devfull-state', '-o', 'json']],
    ['render --diff', ['render', 'ok.yaml', '--output-dir', 'w/devfull-out', '--state', 'w/devfull-state', '--diff']],
  ];
  for (const [name, argv] of commands) {
    test(`${name} > /dev/full: exit ${argv.includes('--diff') ? 2 : 1}, one line`, { skip: why }, () => {
      const fd = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [main, ...argv], { cwd: base, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
        assert.equal(r.status, argv.includes('--diff') ? 2 : 1, r.stderr);
        assert.match(r.stderr, /error\[STDOUT_UNWRITABLE\]: cannot write standard output: no space left on the device \(ENOSPC\)/);
        assert.doesNotMatch(r.stderr, STACK);
      } finally {
        closeSync(fd);
      }
    });
  }
});

test('a bug (a plain Error thrown inside a command) exits 70 with its stack', async () => {
  const io = memoryIO({ NO_COLOR: '1' }, base, () => {
    throw new Error('the clock broke');
  });
  const code = await run(['render', 'ok.yaml', '--output-dir', 'w/bug-out', '--state', 'w/bug-state'], io);
  const err = io.err.join('');
  assert.equal(code, 70, err);
  assert.match(err, /internal error.*Error: the clock broke/);
  assert.match(err, STACK, 'the stack is kept, so the bug can be found');
});

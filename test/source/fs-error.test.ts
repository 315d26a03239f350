import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { OutputGuard } from '../../src/cli/stdio.js';
import { MeshwrightError } from '../../src/diag/index.js';
import { fsError, onFs } from '../../src/source/index.js';

/** A system error as Node raises it (errno code, syscall, path), without needing the fault itself. */
const sysErr = (code: string, path?: string) => Object.assign(new Error(`${code}: failed`), { code, syscall: 'open', ...(path ? { path } : {}) });
const site = { path: 'out', action: 'write' as const, code: 'OUTPUT_UNWRITABLE', hint: 'or choose another folder with --output-dir' };

describe('a file-system fault is the user\'s, in one line with the path, the errno and a fix', () => {
  // What each errno means is errno(3) / the open(2), mkdir(2) and write(2) man pages.
  const cases: [string, RegExp, RegExp][] = [
    ['EACCES', /permission denied/, /permissions .*ls -ld/],
    ['EPERM', /operation not permitted/, /permissions/],
    ['ENOSPC', /no space left/, /df -h/],
    ['EDQUOT', /quota/, /free some space/],
    ['EROFS', /read-only/, /read-write/],
    ['EMFILE', /too many open files/, /ulimit -n/],
    ['ENFILE', /too many open files on this system/, /fs\.file-max/],
    ['ELOOP', /loop of symbolic links/, /ls -l/],
    ['ENOTDIR', /a part of the path is a file/, /folder/],
    ['EISDIR', /a folder, not a file/, /path of a file/],
  ];
  for (const [errno, reason, hint] of cases) {
    test(errno, () => {
      const err = fsError(sysErr(errno), site);
      assert.ok(err instanceof MeshwrightError);
      const d = err.diagnostics[0]!;
      assert.equal(d.code, 'OUTPUT_UNWRITABLE');
      assert.equal(d.file, 'out');
      assert.match(d.message, new RegExp(`^cannot write out: .*\\(${errno}\\)$`));
      assert.match(d.message, reason);
      assert.match(d.hint!, hint);
      assert.match(d.hint!, /or choose another folder with --output-dir$/, 'the site\'s own advice comes last');
    });
  }

  test('the exact path that failed is named when it is not the one the user gave', () => {
    const d = (fsError(sysErr('EACCES', '/x/out/k8s-cilium-01/helm'), site) as MeshwrightError).diagnostics[0]!;
    assert.match(d.message, /\(EACCES at \/x\/out\/k8s-cilium-01\/helm\)/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'meshwright-fserr-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  test('a dangling link is told apart from a missing file', () => {
    symlinkSync('gone', join(dir, 'link'));
    const d = (fsError(sysErr('ENOENT', join(dir, 'link')), { ...site, path: join(dir, 'link') }) as MeshwrightError).diagnostics[0]!;
    assert.match(d.message, /a dangling symbolic link: its target gone does not exist \(ENOENT\)/);
    const plain = (fsError(sysErr('ENOENT', join(dir, 'nothing')), { ...site, path: join(dir, 'nothing') }) as MeshwrightError).diagnostics[0]!;
    assert.match(plain.message, /no such file or folder \(ENOENT\)/);
  });

  test('a bug is not a file-system fault: it passes untouched, stack and all', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'path')");
    assert.equal(fsError(bug, site), bug);
    assert.throws(() => onFs(site, () => { throw bug; }), (e) => e === bug);
    const ours = new MeshwrightError({ severity: 'error', code: 'X', message: 'ours' });
    assert.equal(fsError(ours, site), ours);
  });
});

describe('standard output failing under a command', () => {
  const streams = () => {
    const stdout = new EventEmitter() as unknown as NodeJS.WritableStream;
    const written: string[] = [];
    const stderr = Object.assign(new EventEmitter(), { write: (t: string) => written.push(t) > 0 }) as unknown as NodeJS.WritableStream;
    return { stdout, stderr, written };
  };
  const saved = process.exitCode;
  after(() => {
    process.exitCode = saved;
  });

  test('a full disk: one line naming standard output, and exit 1 where the command said 0', () => {
    const { stdout, stderr, written } = streams();
    const guard = new OutputGuard(stdout, stderr);
    stdout.emit('error', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 }));
    stdout.emit('error', Object.assign(new Error('write after destroy'), { code: 'ERR_STREAM_DESTROYED' }));
    assert.deepEqual(written.join('').split('\n').filter(Boolean), [
      'error[STDOUT_UNWRITABLE]: cannot write standard output: no space left on the device (ENOSPC)',
      '  hint: free some space (df -h shows how much is left); or send the output elsewhere',
    ]);
    assert.equal(guard.exitCode(0), 1);
    assert.equal(guard.exitCode(2), 2, 'a failure of the command itself keeps its own code');
    process.exitCode = saved;
  });

  test('under render --diff a failed output is 2, never 1 ("would change") nor 0', () => {
    const { stdout, stderr } = streams();
    const guard = new OutputGuard(stdout, stderr, 2);
    stdout.emit('error', Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write' }));
    assert.deepEqual([guard.exitCode(0), guard.exitCode(1), guard.exitCode(70)], [2, 2, 70]);
    process.exitCode = saved;
  });

  test('a reader that left (EPIPE, `| head`): nothing more to say, the exit code stays', () => {
    const { stdout, stderr, written } = streams();
    const guard = new OutputGuard(stdout, stderr);
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }));
    assert.deepEqual(written, []);
    assert.equal(guard.exitCode(0), 0);
  });
});

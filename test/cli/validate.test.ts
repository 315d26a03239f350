import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { bin, cli } from '../helpers/cli.js';
import { assertGolden, REPO_ROOT } from '../helpers/golden.js';

const BROKEN = 'test/fixtures/broken-platform.yaml';
const LAB = 'examples/reference-lab/platform.yaml';

describe('meshwright validate', () => {
  test('a clean platform exits 0 and says what it holds', async () => {
    const r = await cli(['validate', LAB]);
    assert.equal(r.code, 0);
    assertGolden('validate-reference-lab.txt', r.stdout);
  });

  test('every finding is printed with file:line:column, excerpt, caret and hint; exit 1', async () => {
    const r = await cli(['validate', BROKEN]);
    assert.equal(r.code, 1);
    assertGolden('validate-broken.txt', r.stdout);
  });

  test('-o json lists the diagnostics for tools', async () => {
    const r = await cli(['validate', BROKEN, '-o', 'json']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as { valid: boolean; errors: number; diagnostics: { code: string; line: number; column: number; path: string }[] };
    assert.equal(report.valid, false);
    assert.equal(report.errors, report.diagnostics.length);
    assert.deepEqual(
      report.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.path}`),
      [
        'HUBBLE_UI_WITHOUT_RELAY 11:32 spec.cilium.hubble.ui',
        'MISSING_FIELD 15:7 spec.clusters[0]',
        'UNKNOWN_FIELD 17:7 spec.clusters[0].podCidr',
        'CLUSTER_ID_DUPLICATE 23:11 spec.clusters[1].id',
        'NODE_ADDRESS_DUPLICATE 27:47 spec.clusters[1].nodes[1].address',
        'LB_IPS_TOO_FEW 28:24 spec.clusters[1].loadBalancerIPs',
        'LB_IP_DUPLICATE 28:25 spec.clusters[1].loadBalancerIPs[0]',
      ],
    );
  });

  test('-o yaml prints the same report as YAML', async () => {
    const r = await cli(['validate', LAB, '-o', 'yaml']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^apiVersion: meshwright\/v1alpha1\nkind: ValidationReport\n/);
    assert.match(r.stdout, /valid: true/);
  });

  test('warnings alone keep exit 0', async () => {
    const r = await cli(['validate', 'test/fixtures/platforms/cilium-version-untested.yaml']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /warning\[CILIUM_VERSION_UNTESTED\]/);
    assert.match(r.stdout, /is valid \(1 warning\)/);
  });

  describe('files that are not platforms get one clear line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshwright-validate-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const cases: [string, () => string, RegExp][] = [
      ['missing', () => join(dir, 'nope.yaml'), /error\[FILE_NOT_FOUND\]: no such platform file/],
      ['directory', () => dir, /error\[FILE_IS_DIRECTORY\]: .* is a directory/],
      ['empty', () => write('empty.yaml', ''), /error\[FILE_EMPTY\]/],
      ['only comments', () => write('comments.yaml', '# nothing here\n'), /error\[FILE_EMPTY\]: .* holds no YAML content/],
      ['binary garbage', () => write('garbage.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe])), /error\[FILE_NOT_TEXT\]/],
      ['invalid UTF-8', () => write('latin1.yaml', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a])), /error\[FILE_NOT_TEXT\]: .* not valid UTF-8/],
      ['50 MB', () => write('huge.yaml', Buffer.alloc(50 * 1024 * 1024, 0x61)), /error\[FILE_TOO_LARGE\]: .* is 50\.0 MiB/],
      ['a device that never ends', () => '/dev/zero', /error\[FILE_NOT_REGULAR\]: \/dev\/zero is not a regular file/],
    ];
    function write(name: string, content: string | Buffer): string {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    }
    for (const [name, make, pattern] of cases) {
      test(name, async () => {
        const r = await cli(['validate', make()]);
        assert.equal(r.code, 1);
        assert.match(r.stdout, pattern);
        assert.equal(r.stdout.trimEnd().split('\n').length, 1, r.stdout);
        assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
      });
    }
  });

  test('usage errors exit 2', async () => {
    assert.equal((await cli(['validat'])).code, 2);
    assert.equal((await cli(['validate', LAB, '-o', 'xml'])).code, 2);
    assert.equal((await cli(['validate', LAB, '--bogus'])).code, 2);
    const r = await cli(['validat']);
    assert.match(r.stderr, /Did you mean validate\?/);
  });

  // npm test builds dist/ first; a mutation-testing sandbox (scripts/mutate.ts) leaves dist/ out.
  test('the built binary runs as a user would run it', { skip: existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js')) ? false : 'dist/ is not built' }, () => {
    const help = bin(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /validate/);
    const ok = bin(['validate', LAB]);
    assert.equal(ok.code, 0, ok.stderr);
    const bad = bin(['validate', BROKEN]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /broken-platform\.yaml:17:7: error\[UNKNOWN_FIELD\]: unknown field "podCidr"/);
    assert.equal(bad.stderr, '');
  });

  test('colour only when asked or on a terminal', async () => {
    const plain = await cli(['validate', BROKEN]);
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
    const forced = await cli(['--color', 'always', 'validate', BROKEN]);
    assert.match(forced.stdout, /\u001b\[31m/);
    const env = await cli(['validate', BROKEN], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    assert.match(env.stdout, /\u001b\[/);
  });
});

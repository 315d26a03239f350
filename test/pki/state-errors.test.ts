import assert from 'node:assert/strict';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPkiState, savePkiState } from '../../src/state/index.js';
import { referenceLab } from '../helpers/platforms.js';
import { tempDir } from '../helpers/pki.js';
import { renderWithState, stateFailure, stateSuite } from '../helpers/state.js';

const lab = referenceLab();

describe('the state folder: errors name the file and say the fix', () => {
  const suite = stateSuite();
  const { fresh, keys } = suite;

  test('a key open to group or others → PKI_KEY_PERMISSIONS with the chmod that fixes it', async () => {
    const dir = fresh('perm');
    savePkiState(dir, suite.pkis().lab1.state);
    const key = join(dir, 'k8s-cilium-02', 'clustermesh-remote.key');
    chmodSync(key, 0o644);
    const err = await stateFailure(() => loadPkiState(dir), 'PKI_KEY_PERMISSIONS', keys());
    assert.equal(err.diagnostics[0]!.file, key);
    assert.match(err.diagnostics[0]!.message, /k8s-cilium-02\/clustermesh-remote\.key .*0644/);
    assert.equal(err.diagnostics[0]!.hint, `chmod 600 ${key}`);
    chmodSync(key, 0o600);
    chmodSync(dir, 0o755);
    const dirErr = await stateFailure(() => loadPkiState(dir), 'PKI_KEY_PERMISSIONS', keys());
    assert.equal(dirErr.diagnostics[0]!.hint, `chmod 700 ${dir}`);
  });

  test('garbage in ca.crt or ca.key, or one of them missing → PKI_CA_CORRUPT naming the file', async () => {
    const cases = [
      ['ca.crt', 'garbage\n', 'ca.crt is not a PEM certificate'],
      ['ca.key', 'garbage\n', 'ca.key is not a PEM PKCS#8 P-256 private key'],
      ['ca.key', suite.pkis().lab1.state['k8s-cilium-01/clustermesh-admin']!.certPem, 'ca.key is not a PEM PKCS#8 P-256 private key'],
    ] as const;
    for (const [file, content, message] of cases) {
      const dir = fresh('corrupt');
      savePkiState(dir, suite.pkis().lab1.state);
      writeFileSync(join(dir, file), content);
      const err = await stateFailure(() => renderWithState(lab, dir), 'PKI_CA_CORRUPT', keys());
      assert.equal(err.diagnostics.length, 1, 'one message for one problem');
      assert.equal(err.diagnostics[0]!.message, message);
      assert.equal(err.diagnostics[0]!.file, join(dir, file));
      assert.ok(err.diagnostics[0]!.message.startsWith(`${file} `), err.diagnostics[0]!.message);
    }
    const dir = fresh('missing');
    savePkiState(dir, suite.pkis().lab1.state);
    rmSync(join(dir, 'ca.key'));
    const missing = await stateFailure(() => loadPkiState(dir), 'PKI_CA_CORRUPT', keys());
    assert.equal(missing.diagnostics[0]!.message, 'ca.key is missing beside ca.crt');
  });

  test('ca.crt and ca.key both deleted, the leaves still there → PKI_CA_CORRUPT, not a new CA; --rotate-ca re-issues them', async () => {
    const dir = fresh('lost');
    savePkiState(dir, suite.pkis().lab1.state);
    rmSync(join(dir, 'ca.crt'));
    rmSync(join(dir, 'ca.key'));
    const err = await stateFailure(() => renderWithState(lab, dir), 'PKI_CA_CORRUPT', keys());
    assert.equal(err.diagnostics[0]!.file, join(dir, 'ca.crt'));
    assert.equal(err.diagnostics[0]!.message, 'ca.crt and ca.key are missing beside 10 certificates they issued');
    const { events } = await renderWithState(lab, dir, { rotateCa: true });
    assert.deepEqual(events[0], { id: 'ca', action: 'created' });
    assert.ok(events.slice(1).every((e) => e.action === 'reissued' && e.reason === 'CA rotated'), JSON.stringify(events));
  });

  test('ca.key from another CA, or a ca.crt that is no CA → PKI_CA_FOREIGN, hint --rotate-ca', async () => {
    const dir = fresh('foreign');
    savePkiState(dir, suite.pkis().lab1.state);
    writeFileSync(join(dir, 'ca.key'), suite.pkis().other.state.ca!.keyPem);
    const err = await stateFailure(() => renderWithState(lab, dir), 'PKI_CA_FOREIGN', keys());
    assert.equal(err.diagnostics[0]!.file, join(dir, 'ca.key'));
    assert.equal(err.diagnostics[0]!.message, 'ca.key does not belong to ca.crt (the key of another CA)');
    assert.match(err.diagnostics[0]!.hint!, /--rotate-ca/);
    const server = suite.pkis().lab1.state['k8s-cilium-01/clustermesh-server']!;
    writeFileSync(join(dir, 'ca.crt'), server.certPem);
    writeFileSync(join(dir, 'ca.key'), server.keyPem);
    const notCa = await stateFailure(() => renderWithState(lab, dir), 'PKI_CA_FOREIGN', keys());
    assert.equal(notCa.diagnostics[0]!.file, join(dir, 'ca.crt'));
    assert.match(notCa.diagnostics[0]!.message, /^ca\.crt is not a CA certificate/);
  });

  test('--rotate-ca replaces a foreign CA explicitly: everything reissued under the new one', async () => {
    const dir = fresh('rotate');
    savePkiState(dir, suite.pkis().lab1.state);
    writeFileSync(join(dir, 'ca.key'), suite.pkis().other.state.ca!.keyPem);
    const { events } = await renderWithState(lab, dir, { rotateCa: true });
    assert.deepEqual(events[0], { id: 'ca', action: 'reissued', reason: 'rotation requested' });
    assert.ok(events.slice(1).every((e) => e.action === 'reissued' && e.reason === 'CA rotated'));
    assert.ok(Object.keys(loadPkiState(dir)).length === 11);
  });

  test('a state folder under a regular file → STATE_UNWRITABLE, from save and from the render pipeline', async () => {
    const root = tempDir('unwritable');
    try {
      writeFileSync(join(root.dir, 'blocker'), 'a file, not a folder');
      const dir = join(root.dir, 'blocker', 'state', 'pki');
      await stateFailure(() => savePkiState(dir, suite.pkis().lab1.state), 'STATE_UNWRITABLE', keys());
      await stateFailure(() => renderWithState(lab, dir), 'STATE_UNWRITABLE', keys());
    } finally {
      root.cleanup();
    }
  });
});

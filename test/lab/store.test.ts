import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LogStore } from '../../src/lab/index.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function file(): string {
  const d = mkdtempSync(join(tmpdir(), 'mw-store-'));
  dirs.push(d);
  return join(d, 'cluster.log');
}

const cm = (name: string, value: string) => (rev: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: String(rev) }, data: { value } });
const KEY = (name: string) => `core/configmaps|default|${name}`;

describe('the lab store (kine-style log)', () => {
  it('gives every write the next revision and keeps them across a reopen', async () => {
    const path = file();
    const s = LogStore.open(path);
    const a = s.put(KEY('a'), cm('a', '1'));
    const b = s.put(KEY('b'), cm('b', '1'));
    const a2 = s.put(KEY('a'), cm('a', '2'));
    await Promise.all([a.durable, b.durable, a2.durable]);
    assert.deepEqual([a.entry.rev, b.entry.rev, a2.entry.rev], [1, 2, 3]);
    assert.equal(a2.entry.createRev, 1, 'an update keeps the revision that created the key');
    const d = s.delete(KEY('b'), (rev, last) => ({ ...last, metadata: { ...last.metadata, resourceVersion: String(rev) } }))!;
    await d.durable;
    s.close();
    const again = LogStore.open(path);
    assert.equal(again.rev, 4);
    assert.equal(again.get(KEY('a'))!.value.data.value, '2');
    assert.equal(again.get(KEY('b')), undefined);
    assert.deepEqual((again.eventsSince(0) as { type: string; rev: number }[]).map((e) => `${e.type}@${e.rev}`), ['ADDED@1', 'ADDED@2', 'MODIFIED@3', 'DELETED@4']);
    const next = again.put(KEY('c'), cm('c', '1'));
    assert.equal(next.entry.rev, 5, 'revisions only grow');
    await next.durable;
    again.close();
  });

  it('drops a torn last line (a write that was never acknowledged) and goes on', async () => {
    const path = file();
    const s = LogStore.open(path);
    await s.put(KEY('a'), cm('a', '1')).durable;
    s.close();
    const size = statSync(path).size;
    appendFileSync(path, '0badc0de {"r":2,"k":"core/configmaps|default|b","c":2,"v":{"metadata"');
    const again = LogStore.open(path);
    assert.equal(again.rev, 1);
    assert.equal(statSync(path).size, size, 'the torn tail is cut off');
    await again.put(KEY('b'), cm('b', '1')).durable;
    again.close();
    assert.equal(LogStore.open(path).get(KEY('b'))!.rev, 2);
  });

  it('answers a watch from a compacted revision with "expired", keeps later history and the state', async () => {
    const path = file();
    const s = LogStore.open(path, { retain: 3 });
    for (let i = 1; i <= 10; i++) await s.put(KEY(`k${i % 4}`), cm(`k${i % 4}`, String(i))).durable;
    s.compact();
    assert.equal(s.compactRev, 7);
    assert.equal(s.eventsSince(5), 'expired');
    assert.deepEqual((s.eventsSince(7) as { rev: number }[]).map((e) => e.rev), [8, 9, 10]);
    s.close();
    const again = LogStore.open(path, { retain: 3 });
    assert.equal(again.rev, 10);
    assert.equal(again.compactRev, 7);
    assert.equal(again.eventsSince(6), 'expired');
    assert.deepEqual(again.list('core/configmaps').map((e) => `${e.value.metadata.name}=${e.value.data.value}`), ['k0=8', 'k1=9', 'k2=10', 'k3=7']);
    again.close();
  });

  it('tells subscribers about writes in revision order, once they are durable', async () => {
    const s = LogStore.open(file());
    const seen: string[] = [];
    s.subscribe((e) => seen.push(`${e.type}:${e.value.metadata.name}@${e.rev}`));
    const w = s.put(KEY('a'), cm('a', '1'));
    assert.deepEqual(seen, [], 'nothing before the flush');
    await w.durable;
    await s.put(KEY('a'), cm('a', '2')).durable;
    assert.deepEqual(seen, ['ADDED:a@1', 'MODIFIED:a@2']);
    s.close();
  });
});

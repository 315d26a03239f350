import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connlist } from '../../src/policy-report/index.js';
import { build, C1, C2 } from './helpers.js';

test('in a mesh, connlist names each workload with its cluster first', () => {
  const b = build([{ cluster: C1, path: 'k8s/app.yaml' }, { cluster: C2, path: 'k8s/app.yaml' }], { clusters: [C1, C2] });
  const lines = connlist(b.engine, b.endpoints, true);
  assert.ok(lines.length > 0);
  const names = new Set(lines.flatMap((l) => l.split(' : ')[0]!.split(' => ')).filter((n) => !n.endsWith('[External]')));
  for (const n of names) assert.match(n, new RegExp(`^(${C1}|${C2})/[^/]+/[^/]+\\[\\w+\\]$`), n);
  assert.ok([...names].some((n) => n.startsWith(`${C1}/`)) && [...names].some((n) => n.startsWith(`${C2}/`)));
});

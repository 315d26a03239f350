import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderKubespray } from '../../src/render/kubespray.js';
import type { RenderOptions } from '../../src/render/index.js';
import type { ClusterSpec, Platform } from '../../src/spec/index.js';

/** `ansible-inventory --list`: groups at the top level, every host's merged vars under _meta. */
export interface InventoryJson {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | InventoryJson['_meta'];
}

/**
 * Writes the rendered inventory as Kubespray would find it (hosts.yaml with group_vars beside
 * it) in a folder of its own, and has the real Ansible parse it.
 */
export function ansibleInventory(platform: Platform, cluster: ClusterSpec, options: Pick<RenderOptions, 'kubeletInsecureTls'> = { kubeletInsecureTls: false }): InventoryJson {
  const work = mkdtempSync(join(tmpdir(), 'meshwright-ansible-'));
  try {
    for (const f of renderKubespray(platform, cluster, options)) {
      const path = join(work, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
    const home = join(work, 'home');
    mkdirSync(home, { recursive: true });
    const run = spawnSync('ansible-inventory', ['-i', join(work, cluster.name, 'kubespray', 'hosts.yaml'), '--list'], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
        // By default a broken inventory only warns and exits 0 with an implicit localhost.
        ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true',
        ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: 'true',
      },
    });
    if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') assert.fail('ansible-inventory is not on PATH: apt-get install ansible-core');
    assert.equal(run.status, 0, `ansible-inventory failed for ${cluster.name}:\n${run.stderr}`);
    return JSON.parse(run.stdout) as InventoryJson;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Ansible's `groups`: each group's hosts with its children's, recursively, plus `all`. */
export function inventoryGroups(inv: InventoryJson): Record<string, string[]> {
  const entry = (g: string) => (inv[g] ?? {}) as { hosts?: string[]; children?: string[] };
  const members = (g: string, seen = new Set<string>()): string[] => {
    if (seen.has(g)) return [];
    seen.add(g);
    const { hosts = [], children = [] } = entry(g);
    return [...new Set([...hosts, ...children.flatMap((c) => members(c, seen))])];
  };
  const names = Object.keys(inv).filter((k) => k !== '_meta');
  const out: Record<string, string[]> = Object.fromEntries(names.map((g) => [g, members(g)]));
  for (const g of ['kube_control_plane', 'kube_node', 'etcd', 'calico_rr', 'k8s_cluster']) out[g] ??= [];
  out.all = Object.keys(inv._meta.hostvars);
  return out;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TEST_ROOT } from './golden.js';
import { inventoryGroups, type InventoryJson } from './ansible.js';

/** kubernetes-sigs/kubespray at tag v2.26.0, the files vendored under test/fixtures/upstream (Apache-2.0). */
export const KUBESPRAY_DIR = join(TEST_ROOT, 'fixtures', 'upstream', 'kubespray-v2.26.0');

export const kubesprayText = (path: string): string => readFileSync(join(KUBESPRAY_DIR, path), 'utf8');
/** Kubespray's YAML, read as Ansible's YAML 1.1 loader reads it. */
export const kubesprayYaml = <T = any>(path: string): T => parse(kubesprayText(path), { version: '1.1' }) as T;

/** Role defaults, the lowest-precedence variables: kubespray-defaults plus the roles the tests look into. */
export const ROLE_DEFAULTS = [
  'roles/kubespray-defaults/defaults/main/main.yml',
  'roles/adduser/defaults/main.yml',
  'roles/kubernetes/preinstall/defaults/main.yml',
  'roles/kubernetes/node/defaults/main.yml',
  'roles/network_plugin/cni/defaults/main.yml',
  'roles/kubernetes-apps/kubelet-csr-approver/defaults/main.yml',
];

export function roleDefaults(): Record<string, unknown> {
  return Object.assign({}, ...ROLE_DEFAULTS.map((f) => kubesprayYaml<Record<string, unknown>>(f)));
}

/**
 * The variables a task on `host` sees: role defaults, overridden by the inventory's group and host
 * vars (as ansible-inventory merged them), plus Ansible's magic variables.
 */
export function hostVars(inv: InventoryJson, host: string, defaults = roleDefaults()): Record<string, unknown> {
  const hostvars = inv._meta.hostvars;
  if (!(host in hostvars)) throw new Error(`no host ${host} in the inventory`);
  return { ...defaults, ...hostvars[host], inventory_hostname: host, groups: inventoryGroups(inv), hostvars, fallback_ips: {} };
}

interface Task {
  name?: string;
  when?: string | string[];
  [module: string]: unknown;
}

/** A named task of a tasks file (or a play's role list entry). */
export function kubesprayTask(path: string, name: string): Task {
  const tasks = kubesprayYaml<Task[]>(path);
  const task = tasks.find((t) => t.name === name);
  if (!task) throw new Error(`no task "${name}" in ${path}: ${tasks.map((t) => t.name).join(', ')}`);
  return task;
}

/** A `when:` list as one Jinja expression (Ansible ANDs the list). */
export const whenExpr = (when: string | string[] | undefined): string => (when === undefined ? 'true' : [when].flat().map((w) => `(${w})`).join(' and '));

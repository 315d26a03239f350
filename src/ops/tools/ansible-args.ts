import { join } from 'node:path';

export interface KubesprayRun {
  /** The Kubespray v2.26 checkout (its cluster.yml is the playbook). */
  kubespray: string;
  /** The rendered inventory folder of one cluster (…/<cluster>/kubespray, holding hosts.yaml and group_vars/). */
  inventory: string;
  /** `--become` (Kubespray's docs run cluster.yml with it: it installs packages and writes /etc). */
  become: boolean;
  extraArgs?: readonly string[];
}

/**
 * `ansible-playbook -i <inventory>/hosts.yaml --become cluster.yml`, run in the Kubespray checkout
 * (Kubespray v2.26.0 docs/getting_started/getting-started.md: "ansible-playbook -i
 * inventory/mycluster/hosts.yaml --become --become-user=root cluster.yml"). The group_vars folder
 * beside hosts.yaml is found by Ansible itself.
 */
export function ansiblePlaybookArgs(r: KubesprayRun): { cwd: string; args: string[] } {
  return {
    cwd: r.kubespray,
    args: ['-i', join(r.inventory, 'hosts.yaml'), ...(r.become ? ['--become', '--become-user=root'] : []), ...(r.extraArgs ?? []), 'cluster.yml'],
  };
}

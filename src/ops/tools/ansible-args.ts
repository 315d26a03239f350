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
 * `ansible-playbook -i <inventory>/hosts.yaml --become --become-user=root cluster.yml`, run in the
 * Kubespray checkout: the command of Kubespray's README quick start ("ansible-playbook -i
 * inventory/mycluster/hosts.yaml --become --become-user=root cluster.yml"; read in copies of the
 * README, not in the v2.26.0 tag itself). Ansible finds the group_vars folder beside hosts.yaml.
 */
export function ansiblePlaybookArgs(r: KubesprayRun): { cwd: string; args: string[] } {
  return {
    cwd: r.kubespray,
    args: ['-i', join(r.inventory, 'hosts.yaml'), ...(r.become ? ['--become', '--become-user=root'] : []), ...(r.extraArgs ?? []), 'cluster.yml'],
  };
}

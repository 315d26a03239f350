/** Where Kubespray's kubeadm leaves the cluster admin's kubeconfig on a control-plane node. */
export const REMOTE_ADMIN_CONF = '/etc/kubernetes/admin.conf';

export interface AdminConfFetch {
  /** The control-plane node as ssh reaches it (its address in the spec, as the inventory's ansible_host). */
  host: string;
  /** ssh login; root reads admin.conf (0600 root) itself, anyone else through `sudo -n`. */
  user: string;
}

/**
 * `ssh` reading a control plane's admin.conf to stdout: the notebook's `scp` of
 * /etc/kubernetes/admin.conf, as one command whose output meshwright writes 0600 itself (no
 * remote path juggling, no file readable by others for a moment). BatchMode: never a password
 * prompt (ssh_config(5) BatchMode, ConnectTimeout); the user's own ssh config, keys and agent apply.
 */
export function sshAdminConfArgs(f: AdminConfFetch): string[] {
  const read = f.user === 'root' ? ['cat', REMOTE_ADMIN_CONF] : ['sudo', '-n', 'cat', REMOTE_ADMIN_CONF];
  return ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', `${f.user}@${f.host}`, '--', ...read];
}

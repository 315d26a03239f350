/** Where Kubespray's kubeadm leaves the cluster admin's kubeconfig on a control-plane node. */
export const REMOTE_ADMIN_CONF = '/etc/kubernetes/admin.conf';

export interface AdminConfFetch {
  /** The control-plane node as ssh reaches it (its address in the spec, as the inventory's ansible_host). */
  host: string;
  /**
   * ssh login (`--ssh-user`); root reads admin.conf (0600 root) itself, anyone else through
   * `sudo -n`. Unset: the login ssh chooses (~/.ssh/config's User, else the local user name) —
   * Ansible's default remote_user, so the login Kubespray used — and sudo only if cat is refused.
   */
  user?: string;
}

/** `user@host`, or the host alone when ssh picks the login. */
export function sshTarget(f: AdminConfFetch): string {
  return f.user ? `${f.user}@${f.host}` : f.host;
}

/**
 * `ssh` reading a control plane's admin.conf to stdout: the notebook's `scp` of
 * /etc/kubernetes/admin.conf, as one command whose output meshwright writes 0600 itself (no
 * remote path juggling, no file readable by others for a moment). BatchMode: never a password
 * prompt (ssh_config(5) BatchMode, ConnectTimeout); the user's own ssh config, keys and agent apply.
 */
export function sshAdminConfArgs(f: AdminConfFetch): string[] {
  // ssh hands the words after `--` to the login's shell as one command line (ssh(1)), so `||` is the remote shell's
  const read = f.user === 'root' ? ['cat', REMOTE_ADMIN_CONF] : f.user ? ['sudo', '-n', 'cat', REMOTE_ADMIN_CONF] : [`cat ${REMOTE_ADMIN_CONF} 2>/dev/null || sudo -n cat ${REMOTE_ADMIN_CONF}`];
  return ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', sshTarget(f), '--', ...read];
}

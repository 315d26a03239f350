import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { MeshwrightError } from '../../diag/index.js';
import { makeFolder } from '../../source/index.js';
// state/atomic.js itself, not state's index: that one loads pki, which a no-op apply never needs
import { writeFileAtomic } from '../../state/atomic.js';
import { REMOTE_ADMIN_CONF, sshAdminConfArgs, sshTarget, type AdminConfFetch } from '../tools/ssh-args.js';

/**
 * Fetches a control plane's admin kubeconfig over ssh into `dest` (0600, atomically). Fails with
 * exit 3 when ssh is missing, the host refuses or cannot be reached (ssh exits 255), or the file
 * cannot be read there; the message names the host and what ssh said. `ssh` is the binary found on
 * PATH (or `bin`): the tests run a stand-in, never a real ssh.
 */
export async function fetchAdminConf(f: AdminConfFetch & { cluster: string; dest: string; env: NodeJS.ProcessEnv; timeoutMs: number; bin?: string }): Promise<void> {
  const args = sshAdminConfArgs(f);
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean; timedOut: boolean }>((resolve) => {
    const child = spawn(f.bin ?? 'ssh', args, { env: f.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, f.timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: err.message, missing: err.code === 'ENOENT', timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, missing: false, timedOut });
    });
  });
  const where = `${sshTarget(f)}:${REMOTE_ADMIN_CONF}`;
  if (r.missing) throw new MeshwrightError({ severity: 'error', code: 'SSH_MISSING', message: `ssh is not installed (needed to fetch ${where} for ${f.cluster})`, hint: 'install the OpenSSH client (apt-get install openssh-client), or copy the file to the path Kubespray uses (kubeconfig_localhost)' }, 3);
  const said = r.stderr.trim().split('\n').slice(-2).join(' ');
  if (r.timedOut) throw new MeshwrightError({ severity: 'error', code: 'SSH_FAILED', message: `ssh to ${sshTarget(f)} for ${f.cluster}'s admin.conf did not finish within ${Math.round(f.timeoutMs / 1000)}s`, hint: `try: ssh ${args.join(' ')}` }, 3);
  if (r.code !== 0) {
    const why = r.code === 255 ? `ssh could not log in to ${sshTarget(f)}` : `reading ${REMOTE_ADMIN_CONF} on ${f.host} failed (exit ${r.code})`;
    throw new MeshwrightError({ severity: 'error', code: 'SSH_FAILED', message: `${why} for ${f.cluster}: ${said || 'no message'}`, hint: `check with: ssh ${args.join(' ')}` }, 3);
  }
  if (!/^\s*apiVersion:|clusters:/m.test(r.stdout)) throw new MeshwrightError({ severity: 'error', code: 'SSH_FAILED', message: `${where} read over ssh for ${f.cluster} is not a kubeconfig`, hint: `look at it with: ssh ${args.join(' ')}` }, 3);
  makeFolder(dirname(f.dest), 0o700);
  writeFileAtomic(f.dest, r.stdout);
}

import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MeshwrightError, type Diagnostic } from '../diag/index.js';
import type { Platform } from '../spec/index.js';
import { runTool } from './tools/run-tool.js';

/** The range Kubespray v2.26.0 accepts (kubernetes-sigs/kubespray v2.26.0 playbooks/ansible_version.yml asserts 2.16.4 ≤ ansible-core < 2.17.0; requirements.txt pins ansible==9.8.0). */
export const ANSIBLE_CORE_MIN = [2, 16, 4] as const;
export const ANSIBLE_CORE_MAX_EXCLUSIVE = [2, 17, 0] as const;

/** A tool on PATH (as execvp would find it), or undefined. */
export function findTool(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `ansible-playbook --version`'s first line: "ansible-playbook [core 2.16.4]" (ansible-core ≥ 2.11). */
export function parseAnsibleCoreVersion(output: string): [number, number, number] | undefined {
  const m = /\[core (\d+)\.(\d+)\.(\d+)/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

const cmp = (a: readonly number[], b: readonly number[]): number => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

export function ansibleCoreSupported(v: readonly number[]): boolean {
  return cmp(v, ANSIBLE_CORE_MIN) >= 0 && cmp(v, ANSIBLE_CORE_MAX_EXCLUSIVE) < 0;
}

export interface RealTools {
  helm: string;
  ansiblePlaybook?: string;
  kubespray?: string;
}

/**
 * Before any change on real clusters: helm; for Kubespray clusters also ansible-playbook (an
 * ansible-core Kubespray 2.26 accepts), ssh and a Kubespray checkout. Every missing piece is named
 * at once, with how to install it; exit 3. Nothing is downloaded.
 */
export async function preflightReal(platform: Platform, opts: { env: NodeJS.ProcessEnv; kubespray?: string; timeoutMs?: number }): Promise<RealTools> {
  const problems: Diagnostic[] = [];
  const miss = (code: string, message: string, hint: string) => problems.push({ severity: 'error', code, message, hint });
  const helm = findTool('helm', opts.env);
  if (!helm) miss('TOOL_MISSING', 'helm is not on PATH (apply installs Cilium and metrics-server with it)', 'install Helm 3 (https://helm.sh/docs/intro/install/), e.g. from your distribution or the release tarball, and put it on PATH');
  const kubesprayClusters = platform.spec.kubernetes.provisioner === 'kubespray';
  let ansiblePlaybook: string | undefined;
  if (kubesprayClusters) {
    ansiblePlaybook = findTool('ansible-playbook', opts.env);
    if (!ansiblePlaybook) miss('TOOL_MISSING', 'ansible-playbook is not on PATH (Kubespray provisions the clusters with it)', "install Kubespray's requirements in a virtualenv: pip install -r <kubespray>/requirements.txt (ansible-core 2.16.x)");
    else {
      const r = await runTool(ansiblePlaybook, ['--version'], { env: opts.env, timeoutMs: opts.timeoutMs ?? 30_000 });
      const v = parseAnsibleCoreVersion(r.head);
      if (r.code !== 0 || !v) miss('TOOL_VERSION', `could not read the ansible-core version from \`ansible-playbook --version\` (exit ${r.code}${r.timedOut ? ', timed out' : ''})`, 'run it by hand; Kubespray v2.26 needs ansible-core 2.16.4 or a later 2.16');
      else if (!ansibleCoreSupported(v)) miss('TOOL_VERSION', `ansible-core ${v.join('.')} is outside what Kubespray v2.26 accepts (2.16.4 ≤ version < 2.17)`, "pip install -r <kubespray>/requirements.txt (ansible 9.8.0, which brings ansible-core 2.16)");
    }
    if (!findTool('ssh', opts.env)) miss('TOOL_MISSING', 'ssh is not on PATH (Ansible reaches the nodes with it)', 'install the OpenSSH client (apt-get install openssh-client)');
    if (!opts.kubespray) miss('KUBESPRAY_MISSING', 'no Kubespray checkout given', 'git clone --branch v2.26.0 https://github.com/kubernetes-sigs/kubespray and pass --kubespray <dir>');
    else if (!existsSync(join(opts.kubespray, 'cluster.yml'))) miss('KUBESPRAY_MISSING', `${opts.kubespray} is not a Kubespray checkout (no cluster.yml)`, 'pass the folder of a Kubespray v2.26.0 checkout with --kubespray');
  }
  if (problems.length) throw new MeshwrightError(problems, 3);
  return { helm: helm!, ...(ansiblePlaybook ? { ansiblePlaybook } : {}), ...(opts.kubespray ? { kubespray: opts.kubespray } : {}) };
}

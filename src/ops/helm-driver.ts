import { MeshwrightError } from '../diag/index.js';
import { ensureLabPki, labHelm, labPaths } from '../lab/index.js';
import type { ClusterClient } from './kube/client.js';
import { chartSource, type ChartName } from './tools/charts.js';
import { helmUpgradeArgs } from './tools/helm-args.js';
import { runTool } from './tools/run-tool.js';
import { testKill } from './test-kill.js';

export interface ChartInstall {
  release: string;
  chart: ChartName;
  namespace: string;
  /** The rendered values files (absolute), later ones win. */
  valuesFiles: string[];
  /** Their contents, parsed. */
  values: Array<Record<string, unknown>>;
}

/** `helm upgrade --install` on one cluster: the helm binary on real clusters, `lab helm` on the lab. */
export interface HelmDriver {
  /** `interrupted`: an earlier apply died in this step (ClusterHandle); a release it left pending may be taken over. */
  upgradeInstall(c: ClusterClient, kubeconfig: string, install: ChartInstall, timeoutMs: number, interrupted?: { since: Date; pid: number }): Promise<void>;
}

const IN_PROGRESS = 'another operation (install/upgrade/rollback) is in progress';

/** How the lab's helm names the apply that records a revision (in its pending description). */
const runner = (pid: number): string => `meshwright apply pid ${pid}`;

/** The lab's helm (src/lab/helm), which records the release Secret exactly as helm 3 does. */
export function labHelmDriver(cwd: string, now: () => Date, env: NodeJS.ProcessEnv = {}): HelmDriver {
  return {
    async upgradeInstall(c, _kubeconfig, install, _timeoutMs, interrupted) {
      const server = c.kc.getCurrentCluster()?.server ?? '';
      const port = Number(new URL(server).port);
      const pki = await ensureLabPki(labPaths(cwd).pki, now());
      try {
        await labHelm.upgradeInstall(port, pki, { release: install.release, chart: install.chart, namespace: install.namespace, values: install.values, now: now().getTime(), runner: runner(process.pid), afterPending: () => testKill(env, 'helm-pending', c.cluster), ...(interrupted ? { takeOver: { since: interrupted.since.getTime(), runner: runner(interrupted.pid) } } : {}) });
      } catch (err) {
        if (err instanceof labHelm.HelmError) throw new MeshwrightError({ severity: 'error', code: 'HELM', message: `helm upgrade --install ${install.release} on ${c.cluster}: ${err.message}`, hint: 'see .meshwright/lab/lab.log' }, 3);
        throw err;
      }
    },
  };
}

/** The user's helm binary, with the command line of tools/helm-args.ts. */
export function realHelmDriver(opts: { helm: string; ciliumVersion: string; charts: Partial<Record<ChartName, string>>; env: NodeJS.ProcessEnv; onLine?: (l: string) => void }): HelmDriver {
  return {
    async upgradeInstall(c, kubeconfig, install, timeoutMs, interrupted) {
      const args = helmUpgradeArgs({ release: install.release, chart: chartSource(install.chart, opts.ciliumVersion, opts.charts), namespace: install.namespace, valuesFiles: install.valuesFiles, kubeconfig, kubeContext: c.context });
      const r = await runTool(opts.helm, args, { env: opts.env, timeoutMs, ...(opts.onLine ? { onLine: opts.onLine } : {}) });
      if (r.timedOut) throw new MeshwrightError({ severity: 'error', code: 'HELM', message: `helm upgrade --install ${install.release} on ${c.cluster} did not finish within ${timeoutMs / 1000}s`, hint: 'raise --timeout, or run the command by hand to see where it hangs' }, 3);
      if (r.code !== 0 && r.tail.includes(IN_PROGRESS)) {
        // helm has no unlock; its own remedy is a rollback (or, for a first install, an uninstall) by hand
        const ctx = `--kubeconfig ${kubeconfig} --kube-context ${c.context} -n ${install.namespace}`;
        const why = interrupted ? `an earlier meshwright apply was stopped during this helm run (${interrupted.since.toISOString()}) and left the release pending` : 'another helm operation holds the release';
        throw new MeshwrightError({ severity: 'error', code: 'HELM', message: `helm upgrade --install ${install.release} on ${c.cluster}: ${IN_PROGRESS} — ${why}`, hint: `see its revisions with \`helm history ${install.release} ${ctx}\`; then \`helm rollback ${install.release} ${ctx}\` (or \`helm uninstall ${install.release} ${ctx}\` when it was never deployed) and apply again` }, 3);
      }
      if (r.code !== 0) throw new MeshwrightError({ severity: 'error', code: 'HELM', message: `helm upgrade --install ${install.release} on ${c.cluster} failed (exit ${r.code}): ${r.tail}`, hint: `helm ${args.join(' ')}` }, 3);
    },
  };
}

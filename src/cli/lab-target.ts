import { MeshwrightError } from '../diag/index.js';
import { ensureLabPki, labPaths, requestCurl, runningLab, type CurlOutcome, type CurlRequest } from '../lab/index.js';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';

/** A lab cluster the CLI sends curl requests through (`lab curl`, `lab traffic`). */
export interface LabCurlTarget {
  cluster: string;
  /** Runs one request batch in the lab process; its refusals are errors with `code`, exit 1 for bad input. */
  send(req: Omit<CurlRequest, 'cluster'>): Promise<CurlOutcome[]>;
}

/** The running lab's cluster `context` (default: the first), or why there is none. */
export async function labCurlTarget(io: CliIO, context: string | undefined, code: string): Promise<LabCurlTarget> {
  const state = runningLab(io.cwd);
  if (!state) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: 'no lab is running in this folder', hint: 'start one with: meshwright lab up [platform.yaml]' }, EXIT.unreachable);
  const cluster = context ? state.clusters.find((c) => c.name === context) : state.clusters[0];
  if (!cluster) throw new MeshwrightError({ severity: 'error', code: 'LAB', message: `the lab has no cluster ${context}`, hint: `contexts: ${state.clusters.map((c) => c.name).join(', ')}` }, EXIT.invalid);
  const pki = await ensureLabPki(labPaths(io.cwd).pki, new Date());
  return {
    cluster: cluster.name,
    send: async (req) => {
      let r: Awaited<ReturnType<typeof requestCurl>>;
      try {
        r = await requestCurl(cluster.port, pki, { cluster: cluster.name, ...req });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') throw new MeshwrightError({ severity: 'error', code: 'LAB', message: `lab cluster ${cluster.name} does not answer`, hint: 'meshwright lab status' }, EXIT.unreachable);
        throw err;
      }
      if ('error' in r) throw new MeshwrightError({ severity: 'error', code, message: r.error, ...(r.hint ? { hint: r.hint } : {}) }, r.status === 400 ? EXIT.invalid : EXIT.software);
      return r.results;
    },
  };
}

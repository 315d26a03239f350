import { join } from 'node:path';

/** The lab's folder under the current directory: state, logs and kubeconfig (issue 13). */
export const LAB_DIR = '.meshwright/lab';

export interface LabPaths {
  dir: string;
  /** Written by the running lab when every API server answers; removed when it stops. */
  state: string;
  /** Ports by cluster name, kept across down/up and reset so kubeconfigs keep working. */
  ports: string;
  kubeconfig: string;
  log: string;
  pki: string;
  data: string;
  lock: string;
}

export function labPaths(cwd: string): LabPaths {
  const dir = join(cwd, LAB_DIR);
  return {
    dir,
    state: join(dir, 'lab.json'),
    ports: join(dir, 'ports.json'),
    kubeconfig: join(dir, 'kubeconfig'),
    log: join(dir, 'lab.log'),
    pki: join(dir, 'pki'),
    data: join(dir, 'data'),
    lock: join(dir, 'up.lock'),
  };
}

export const storePath = (paths: LabPaths, cluster: string): string => join(paths.data, `${cluster}.log`);

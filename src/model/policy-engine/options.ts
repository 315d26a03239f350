/**
 * Cilium's default of policy-default-local-cluster for a version: added in 1.18, on by default
 * from 1.19 (unqualified selectors then match the local cluster only).
 */
export function defaultLocalClusterFor(ciliumVersion: string): boolean {
  const m = /^(\d+)\.(\d+)\./.exec(ciliumVersion);
  return m ? Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 19) : false;
}

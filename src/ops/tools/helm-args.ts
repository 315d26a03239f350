/** A chart as the user names it for real clusters: a repository chart, an OCI reference or a local .tgz. */
export interface ChartSource {
  /** `cilium/cilium` (a repository added with `helm repo add`), `oci://…/cilium`, or a path to `cilium-1.16.5.tgz`. */
  ref: string;
  version: string;
}

export interface HelmUpgrade {
  release: string;
  chart: ChartSource;
  namespace: string;
  valuesFiles: readonly string[];
  kubeconfig: string;
  kubeContext: string;
}

/**
 * `helm upgrade --install` as apply runs it (helm v3 pkg/cmd/upgrade.go flags). No `--wait`: the
 * LoadBalancer Services cannot get an address before the pool exists, and the pool's CRD is
 * registered by the Cilium operator (issue 15, step 3); apply waits itself. A local .tgz carries
 * its version, so `--version` is only given for repository and OCI charts.
 */
export function helmUpgradeArgs(u: HelmUpgrade): string[] {
  const local = /\.tgz$/.test(u.chart.ref);
  return [
    'upgrade',
    '--install',
    u.release,
    u.chart.ref,
    ...(local ? [] : ['--version', u.chart.version]),
    '--namespace',
    u.namespace,
    ...u.valuesFiles.flatMap((f) => ['--values', f]),
    '--kubeconfig',
    u.kubeconfig,
    '--kube-context',
    u.kubeContext,
  ];
}

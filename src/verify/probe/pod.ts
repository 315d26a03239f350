/**
 * verify's probe pod: a short-lived pod of a curl image that in-cluster requests leave from on
 * real clusters (one per client cluster and run; one more per source pod a check sends "from").
 */

/** The label every probe pod (and the namespace verify makes for them) carries; its value is the run's id. */
export const PROBE_LABEL = 'meshwright.io/probe';
/** Who made it ("host/pid") and when: how a later run tells a killed run's leftover from a live run's probe. */
export const PROBE_OWNER_ANNOTATION = 'meshwright.io/probe-owner';
/** For a probe that stands in for a pod: "namespace/name" of that pod. */
export const PROBE_FROM_ANNOTATION = 'meshwright.io/probe-from';

/**
 * cilium-cli's connectivity-test client image (cilium/cilium cilium-cli/defaults/defaults.go,
 * ConnectivityCheckImagesTest["ConnectivityCheckAlpineCurlImage"], vendored in cilium/cilium-cli
 * e694be3; its `--curl-image` flag defaults to it): a small Alpine with curl, pinned by tag and digest.
 */
export const DEFAULT_PROBE_IMAGE = 'quay.io/cilium/alpine-curl:v1.10.0@sha256:913e8c9f3d960dde03882defa0edd3a919d529c2eb167caa7f54194528bde364';

/**
 * The namespace verify creates for its probes and deletes afterwards, as cilium-cli's connectivity
 * test creates `cilium-test-N` (defaults.ConnectivityCheckNamespace "cilium-test", check/
 * deployment.go deployNamespace) and deletes it when done (deleteDeployments): no policy of an
 * application namespace applies to the probe unless meant to, and nothing is left behind.
 */
export const DEFAULT_PROBE_NAMESPACE = 'meshwright-probe';

/** What to do when a request could not be sent because the probe pod could not be made or run. */
export const PROBE_HINT = (context: string): string =>
  `kubectl --context ${context} get pods,events -n NAMESPACE (the probe's, ${DEFAULT_PROBE_NAMESPACE} by default); the probe pod needs RBAC to create pods and pods/exec there (and namespaces, without --probe-namespace), an image the nodes can pull (--probe-image; pre-pull it where registries have no internet) and room in the namespace's quota`;

/** How long a probe pod may live: the kubelet ends it (activeDeadlineSeconds) even if meshwright was killed. */
export const PROBE_LIFETIME_SECONDS = 3600;

export interface ProbePodOptions {
  namespace: string;
  image: string;
  /** The run's id: the probe label's value. */
  run: string;
  /** "host/pid" of this process. */
  owner: string;
  /** When the probe stands in for a pod: that pod (its labels, service account, uid). */
  from?: { namespace: string; name: string; uid: string; labels: Record<string, string>; serviceAccountName?: string };
}

/**
 * The probe pod. It sleeps (curl runs by exec), dies by itself after PROBE_LIFETIME_SECONDS,
 * goes at once when deleted (grace 0), mounts no token, and satisfies the `restricted` Pod
 * Security Standard (non-root, no privilege escalation, all capabilities dropped, RuntimeDefault
 * seccomp), so it is admitted wherever a workload would be. No tolerations: like cilium-cli's
 * clients (check/deployment.go: only the `--tolerations` the user names), it runs on a worker.
 *
 * A probe standing in for a pod (`from`) runs in that pod's namespace with a copy of its labels
 * and its service account — the labels Cilium derives an identity from, plus PROBE_LABEL (which
 * Cilium's default label filter counts too: every policy that selects the pod by its labels
 * selects the probe) — and a readiness probe that always fails, so that no Service ever counts it
 * among its ready endpoints. Its controller owner is that pod, so no ReplicaSet adopts it (its
 * labels match the ReplicaSet's selector) and it goes with the pod.
 */
export function probePod(o: ProbePodOptions): Record<string, any> {
  const labels = { ...(o.from?.labels ?? {}), [PROBE_LABEL]: o.run };
  const annotations: Record<string, string> = { [PROBE_OWNER_ANNOTATION]: o.owner, ...(o.from ? { [PROBE_FROM_ANNOTATION]: `${o.from.namespace}/${o.from.name}` } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'meshwright-probe-',
      namespace: o.namespace,
      labels,
      annotations,
      ...(o.from ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: o.from.name, uid: o.from.uid, controller: true, blockOwnerDeletion: false }] } : {}),
    },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      activeDeadlineSeconds: PROBE_LIFETIME_SECONDS,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(o.from?.serviceAccountName ? { serviceAccountName: o.from.serviceAccountName } : {}),
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: o.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', String(PROBE_LIFETIME_SECONDS)],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
          // `false` exits 1: never Ready, never a Service's backend
          ...(o.from ? { readinessProbe: { exec: { command: ['false'] }, periodSeconds: 60 } } : {}),
        },
      ],
    },
  };
}

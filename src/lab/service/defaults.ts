/**
 * The defaults the apiserver fills in on create and update (kubernetes pkg/apis/core/v1/
 * defaults.go, pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go), for the fields
 * users see in `kubectl get -o yaml` and that controllers and `kubectl diff` compare.
 */
export function applyDefaults(groupResource: string, obj: any): void {
  switch (groupResource) {
    case 'core/pods':
      podSpec(obj.spec);
      obj.status ??= { phase: 'Pending', qosClass: qosClass(obj.spec) };
      break;
    case 'apps/deployments':
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      obj.spec.strategy ??= { type: 'RollingUpdate' };
      if (obj.spec.strategy.type === 'RollingUpdate') obj.spec.strategy.rollingUpdate ??= { maxUnavailable: '25%', maxSurge: '25%' };
      obj.spec.revisionHistoryLimit ??= 10;
      obj.spec.progressDeadlineSeconds ??= 600;
      template(obj.spec.template);
      break;
    case 'apps/replicasets':
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      template(obj.spec.template);
      break;
    case 'apps/daemonsets':
      obj.spec ??= {};
      obj.spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (obj.spec.updateStrategy.type === 'RollingUpdate') obj.spec.updateStrategy.rollingUpdate ??= { maxUnavailable: 1, maxSurge: 0 };
      obj.spec.revisionHistoryLimit ??= 10;
      template(obj.spec.template);
      break;
    case 'apps/statefulsets':
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      obj.spec.podManagementPolicy ??= 'OrderedReady';
      obj.spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      obj.spec.revisionHistoryLimit ??= 10;
      obj.spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      template(obj.spec.template);
      break;
    case 'batch/jobs':
      obj.spec ??= {};
      obj.spec.parallelism ??= 1;
      obj.spec.completions ??= obj.spec.parallelism === 1 ? 1 : undefined;
      obj.spec.backoffLimit ??= 6;
      obj.spec.completionMode ??= 'NonIndexed';
      obj.spec.suspend ??= false;
      obj.spec.podReplacementPolicy ??= 'TerminatingOrFailed';
      if (obj.spec.template?.spec) obj.spec.template.spec.restartPolicy ??= 'Never';
      template(obj.spec.template);
      break;
    case 'core/services':
      service(obj.spec ??= {});
      obj.status ??= { loadBalancer: {} };
      break;
    case 'core/namespaces':
      obj.spec ??= {};
      obj.spec.finalizers ??= ['kubernetes'];
      obj.status ??= { phase: 'Active' };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    case 'core/secrets':
      obj.type ??= 'Opaque';
      break;
    case 'networking.k8s.io/networkpolicies':
      obj.spec ??= {};
      obj.spec.policyTypes ??= obj.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
      break;
  }
}

function template(t: any): void {
  if (t?.spec) podSpec(t.spec);
}

function podSpec(spec: any): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.imagePullPolicy ??= pullPolicy(c.image);
    c.resources ??= {};
    for (const p of c.ports ?? []) p.protocol ??= 'TCP';
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) probeDefaults(probe);
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap) v.configMap.defaultMode ??= 420;
    if (v.secret) v.secret.defaultMode ??= 420;
  }
}

function probeDefaults(p: any): void {
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) p.httpGet.scheme ??= 'HTTP';
}

/** `:latest` or no tag pulls Always, anything else IfNotPresent (core/v1 SetDefaults_Container). */
function pullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

function service(spec: any): void {
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
}

function qosClass(spec: any): string {
  const cs: any[] = spec?.containers ?? [];
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? l;
    return l.cpu && l.memory && String(r.cpu) === String(l.cpu) && String(r.memory) === String(l.memory);
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

import { AGE, NAME, age, col, type Printer } from './format.js';

/** Nodes: Name Status Roles Age Version + Internal-IP External-IP OS-Image Kernel-Version Container-Runtime. */
export const nodes: Printer = {
  columns: [NAME, col('Status'), col('Roles'), AGE, col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
  row(n, now) {
    const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
    const states = [ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown'];
    if (n.spec?.unschedulable) states.push('SchedulingDisabled');
    const roles = new Set<string>();
    for (const [k, v] of Object.entries<string>(n.metadata.labels ?? {})) {
      if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
      else if (k === 'kubernetes.io/role' && v) roles.add(v);
    }
    const addr = (t: string) => (n.status?.addresses ?? []).find((a: any) => a.type === t)?.address ?? '<none>';
    const info = n.status?.nodeInfo ?? {};
    return [n.metadata.name, states.join(','), roles.size ? [...roles].sort().join(',') : '<none>', age(n.metadata.creationTimestamp, now), info.kubeletVersion ?? '', addr('InternalIP'), addr('ExternalIP'), info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>'];
  },
};

export const namespaces: Printer = {
  columns: [NAME, col('Status'), AGE],
  row: (n, now) => [n.metadata.name, n.status?.phase ?? 'Active', age(n.metadata.creationTimestamp, now)],
};

export const configmaps: Printer = {
  columns: [NAME, col('Data', 'integer'), AGE],
  row: (c, now) => [c.metadata.name, Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, age(c.metadata.creationTimestamp, now)],
};

export const secrets: Printer = {
  columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
  row: (s, now) => [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length, age(s.metadata.creationTimestamp, now)],
};

export const serviceaccounts: Printer = {
  columns: [NAME, col('Secrets', 'integer'), AGE],
  row: (s, now) => [s.metadata.name, (s.secrets ?? []).length, age(s.metadata.creationTimestamp, now)],
};

/** Events: Last Seen Type Reason Object Message + Subobject Source First Seen Count Name. */
export const events: Printer = {
  columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message'), col('First Seen', 'string', 1), col('Count', 'string', 1), col('Name', 'string', 1, 'name')],
  row(e, now) {
    const first = e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
    const last = e.lastTimestamp ?? e.eventTime ?? first;
    const src = e.source?.component ? `${e.source.component}${e.source.host ? `, ${e.source.host}` : ''}` : e.reportingComponent ?? '';
    const obj = e.involvedObject ?? {};
    return [age(last, now), e.type ?? '', e.reason ?? '', `${String(obj.kind ?? '').toLowerCase()}/${obj.name ?? ''}`, obj.fieldPath ?? '', src, (e.message ?? '').trim(), age(first, now), String(e.count ?? 1), e.metadata.name];
  },
};

export const leases: Printer = {
  columns: [NAME, col('Holder'), AGE],
  row: (l, now) => [l.metadata.name, l.spec?.holderIdentity ?? '', age(l.metadata.creationTimestamp, now)],
};

export const poddisruptionbudgets: Printer = {
  columns: [NAME, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), AGE],
  row: (p, now) => [p.metadata.name, p.spec?.minAvailable !== undefined ? String(p.spec.minAvailable) : 'N/A', p.spec?.maxUnavailable !== undefined ? String(p.spec.maxUnavailable) : 'N/A', p.status?.disruptionsAllowed ?? 0, age(p.metadata.creationTimestamp, now)],
};

const bindingRow = (b: any, now: number) => {
  const subjects: any[] = b.subjects ?? [];
  const of = (kind: string) => subjects.filter((s) => s.kind === kind).map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)).join(', ');
  return [b.metadata.name, `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, age(b.metadata.creationTimestamp, now), of('User'), of('Group'), of('ServiceAccount')];
};

export const rolebindings: Printer = { columns: [NAME, col('Role'), AGE, col('Users', 'string', 1), col('Groups', 'string', 1), col('ServiceAccounts', 'string', 1)], row: bindingRow };

export const storageclasses: Printer = {
  columns: [NAME, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion', 'boolean'), AGE],
  row(s, now) {
    const isDefault = s.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
    return [isDefault ? `${s.metadata.name} (default)` : s.metadata.name, s.provisioner ?? '', s.reclaimPolicy ?? 'Delete', s.volumeBindingMode ?? 'Immediate', s.allowVolumeExpansion ?? false, age(s.metadata.creationTimestamp, now)];
  },
};

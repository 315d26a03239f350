import { badRequest } from './status.js';

type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | '!' | '=' | '!='; values: string[] };

/** A label selector in kubectl's string form (apimachinery labels.Parse): `a=b,c!=d,e in (f,g),h,!i`. */
export function parseLabelSelector(text: string | null): (labels: Record<string, string> | undefined) => boolean {
  if (!text) return () => true;
  const reqs: Requirement[] = [];
  for (const part of splitTop(text)) {
    const p = part.trim();
    if (!p) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) });
    else if ((m = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(p))) reqs.push({ key: m[1]!, op: '!=', values: [m[2]!] });
    else if ((m = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(p))) reqs.push({ key: m[1]!, op: '=', values: [m[2]!] });
    else if ((m = /^!\s*([^\s!=]+)$/.exec(p))) reqs.push({ key: m[1]!, op: '!', values: [] });
    else if ((m = /^([^\s!=(),]+)$/.exec(p))) reqs.push({ key: m[1]!, op: 'exists', values: [] });
    else throw badRequest(`unable to parse requirement: ${JSON.stringify(p)}`);
  }
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

function matches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case '=':
      return has && v === r.values[0];
    case '!=':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v!);
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!':
      return !has;
  }
}

/** Splits on commas outside parentheses. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Field selectors each kind supports (the registries' GetAttrs / AddFieldLabelConversionFunc;
 * every kind has metadata.name and metadata.namespace). An unsupported field is the apiserver's
 * 400: `field label not supported: <field>`.
 */
const FIELDS: Record<string, Record<string, (o: any) => unknown>> = {
  'core/pods': {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  'core/events': {
    'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
    'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
    'involvedObject.name': (o) => o.involvedObject?.name ?? '',
    'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component ?? '',
    type: (o) => o.type ?? '',
  },
  'core/secrets': { type: (o) => o.type ?? '' },
  'core/nodes': { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  'core/namespaces': { 'status.phase': (o) => o.status?.phase ?? '' },
  'core/replicationcontrollers': { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  'apps/replicasets': { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  'batch/jobs': { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  'core/services': { 'spec.clusterIP': (o) => o.spec?.clusterIP ?? '', 'spec.type': (o) => o.spec?.type ?? '' },
};

export function parseFieldSelector(text: string | null, groupResource: string): (obj: any) => boolean {
  if (!text) return () => true;
  const tests: Array<(o: any) => boolean> = [];
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const m = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(p);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${p}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = field === 'metadata.name' ? (o: any) => o.metadata?.name : field === 'metadata.namespace' ? (o: any) => o.metadata?.namespace ?? '' : FIELDS[groupResource]?.[field];
    if (!get) throw badRequest(`field label not supported: ${field}`);
    tests.push(op === '!=' ? (o) => String(get(o)) !== value : (o) => String(get(o)) === value);
  }
  return (o) => tests.every((t) => t(o));
}

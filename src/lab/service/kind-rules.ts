import type { FieldError } from '../api/status.js';
import { checkLabels } from './names.js';

/**
 * The kind-specific checks of the apiserver's validation.go that users meet first (the schema's
 * `required` lists are checked generically): a workload's selector must match its template's
 * labels, every container needs an image, a Service needs ports, ports are in range.
 */
export function kindRules(groupResource: string, obj: any): FieldError[] {
  const errs: FieldError[] = [...checkLabels(obj.metadata?.labels, 'metadata.labels')];
  switch (groupResource) {
    case 'core/pods':
      errs.push(...podSpec(obj.spec, 'spec'));
      break;
    case 'apps/deployments':
    case 'apps/replicasets':
    case 'apps/daemonsets':
    case 'apps/statefulsets':
      errs.push(...workload(obj.spec, 'spec'));
      if (typeof obj.spec?.replicas === 'number' && obj.spec.replicas < 0) errs.push(invalid('spec.replicas', obj.spec.replicas, 'must be greater than or equal to 0'));
      break;
    case 'batch/jobs':
      errs.push(...podSpec(obj.spec?.template?.spec, 'spec.template.spec'));
      break;
    case 'batch/cronjobs':
      errs.push(...podSpec(obj.spec?.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec'));
      break;
    case 'core/services':
      errs.push(...service(obj.spec ?? {}));
      break;
  }
  return errs;
}

function workload(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec?.selector?.matchLabels as Record<string, string> | undefined;
  const labels = (spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
  if (spec?.selector && selector && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push({ type: 'FieldValueInvalid', field: `${path}.template.metadata.labels`, message: `${path}.template.metadata.labels: Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\`` });
  }
  errs.push(...podSpec(spec?.template?.spec, `${path}.template.spec`));
  return errs;
}

function podSpec(spec: any, path: string): FieldError[] {
  if (!spec) return [];
  const errs: FieldError[] = [];
  const containers: any[] = spec.containers ?? [];
  if (!containers.length) errs.push({ type: 'FieldValueRequired', field: `${path}.containers`, message: `${path}.containers: Required value` });
  const seen = new Set<string>();
  for (const [kind, list] of [['containers', containers], ['initContainers', spec.initContainers ?? []]] as const) {
    list.forEach((c: any, i: number) => {
      const p = `${path}.${kind}[${i}]`;
      if (!c.image) errs.push({ type: 'FieldValueRequired', field: `${p}.image`, message: `${p}.image: Required value` });
      if (c.name && seen.has(c.name)) errs.push({ type: 'FieldValueDuplicate', field: `${p}.name`, message: `${p}.name: Duplicate value: ${JSON.stringify(c.name)}` });
      if (c.name) seen.add(c.name);
      (c.ports ?? []).forEach((port: any, j: number) => {
        if (typeof port.containerPort === 'number' && (port.containerPort < 1 || port.containerPort > 65535)) errs.push(invalid(`${p}.ports[${j}].containerPort`, port.containerPort, 'must be between 1 and 65535, inclusive'));
      });
    });
  }
  return errs;
}

function service(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ports: any[] = spec.ports ?? [];
  if (type !== 'ExternalName' && !headless && !ports.length) errs.push({ type: 'FieldValueRequired', field: 'spec.ports', message: 'spec.ports: Required value' });
  ports.forEach((p, i) => {
    if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) errs.push(invalid(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
    if (ports.length > 1 && !p.name) errs.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name`, message: `spec.ports[${i}].name: Required value` });
  });
  if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
    errs.push({ type: 'FieldValueNotSupported', field: 'spec.type', message: `spec.type: Unsupported value: ${JSON.stringify(type)}: supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"` });
  }
  return errs;
}

function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

/** Go's %#v of a map[string]string, as the apiserver prints it in this message. */
function goMap(m: Record<string, string>): string {
  const entries = Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1));
  return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`;
}

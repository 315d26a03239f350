import type { Diagnostic } from '../diag/index.js';
import { readCount, reader, readStringMap } from './fields.js';
import { Findings, isRecord, namespaceOf, type ModelObject } from './objects.js';

export interface ServicePort {
  port: number;
  protocol: string;
}

export interface ServiceSpec {
  namespace: string;
  name: string;
  /** namespace/name: the same Service in every cluster. */
  key: string;
  type: string;
  headless: boolean;
  selector: Record<string, string> | undefined;
  annotations: Record<string, string>;
  loadBalancerIP?: string;
  loadBalancerClass?: string;
  ports: ServicePort[];
  /** Cluster unless set (the API server's default for NodePort and LoadBalancer Services). */
  externalTrafficPolicy: string;
  publishNotReadyAddresses: boolean;
  /** Fixes its manifest needs (an unquoted annotation value …), see ModelObject.fixes. */
  fixes: Diagnostic[];
}

const read = new WeakMap<ModelObject, { spec: ServiceSpec | undefined; diagnostics: Diagnostic[] }>();

/**
 * A core/v1 Service as the model reads it, once per object however many clusters hold it;
 * its findings go to `findings` each time (they are reported once).
 */
export function serviceOf(o: ModelObject, findings: Findings): ServiceSpec | undefined {
  if (o.object.kind !== 'Service' || o.object.apiVersion !== 'v1') return undefined;
  let entry = read.get(o);
  if (!entry) {
    const own = new Findings();
    entry = { spec: readService(o, own), diagnostics: own.list };
    read.set(o, entry);
  }
  for (const d of entry.diagnostics) findings.add(d);
  return entry.spec;
}

function readService(o: ModelObject, findings: Findings): ServiceSpec | undefined {
  const r = reader();
  const spec = isRecord(o.object.spec) ? o.object.spec : {};
  const annotations = readStringMap(r, o, findings, ['metadata', 'annotations'], o.object.metadata.annotations, 'annotation');
  const selector = isRecord(spec.selector) ? readStringMap(r, o, findings, ['spec', 'selector'], spec.selector, 'selector') : undefined;
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).flatMap((p, i): ServicePort[] => (isRecord(p) ? [{ port: readCount(r, o, findings, ['spec', 'ports', i, 'port'], p.port, 0), protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' }] : []));
  if (r.refused) return undefined;
  return {
    namespace: namespaceOf(o.object),
    name: o.object.metadata.name,
    key: `${namespaceOf(o.object)}/${o.object.metadata.name}`,
    type: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
    headless: spec.clusterIP === 'None',
    selector,
    annotations,
    ...(typeof spec.loadBalancerIP === 'string' ? { loadBalancerIP: spec.loadBalancerIP } : {}),
    ...(typeof spec.loadBalancerClass === 'string' ? { loadBalancerClass: spec.loadBalancerClass } : {}),
    ports,
    externalTrafficPolicy: typeof spec.externalTrafficPolicy === 'string' ? spec.externalTrafficPolicy : 'Cluster',
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    fixes: [...(o.fixes ?? []), ...r.fixes],
  };
}

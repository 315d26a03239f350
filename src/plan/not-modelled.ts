import { objectLine, type LoadedObject } from '../manifests/index.js';
import type { NotModelled } from './types.js';

/** Kinds whose effect on traffic the plan does not predict: said out loud, never silently dropped. */
const NOT_MODELLED: Record<string, string> = {
  ServiceExport: 'MCS-API services are not modelled (Cilium ships MCS-API from 1.17; the 1.16 chart only has the switch)',
  ServiceImport: 'MCS-API services are not modelled (Cilium ships MCS-API from 1.17; the 1.16 chart only has the switch)',
  Gateway: 'Gateway API load balancers are not modelled',
  CiliumEgressGatewayPolicy: 'egress gateway policies are not modelled',
};

export function notModelled(objects: readonly LoadedObject[]): NotModelled[] {
  const seen = new Set<string>();
  const out: NotModelled[] = [];
  for (const { object, source } of objects) {
    const reason = NOT_MODELLED[object.kind];
    const key = `${source.file}:${object.kind}/${object.metadata.name}`;
    if (!reason || seen.has(key)) continue;
    seen.add(key);
    const line = objectLine(source);
    out.push({ file: source.file, ...(line ? { line } : {}), kind: object.kind, name: object.metadata.name, reason });
  }
  return out;
}

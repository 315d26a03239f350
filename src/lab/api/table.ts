import { printerFor } from '../printers/index.js';
import type { Obj } from '../store/log-store.js';
import type { ResourceDef } from './catalog.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Does the Accept header ask for a meta.k8s.io Table (kubectl get always does)? */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function wantsPartialMetadata(accept: string | undefined): 'one' | 'list' | undefined {
  if (!accept || !/g=meta\.k8s\.io/.test(accept)) return undefined;
  if (/as=PartialObjectMetadataList/.test(accept)) return 'list';
  if (/as=PartialObjectMetadata(?!List)/.test(accept)) return 'one';
  return undefined;
}

export function partialMetadata(o: Obj): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/**
 * Objects as a meta.k8s.io/v1 Table, the way the apiserver's TableConvertor answers: all
 * columns (wide ones have priority 1), cells formatted by the server, each row carrying the
 * object's metadata (kubectl takes NAMESPACE from it with -A).
 */
export function toTable(def: ResourceDef, objects: Obj[], now: number, opts: { resourceVersion?: string; continueToken?: string; remaining?: number; include?: IncludeObject; headers?: boolean } = {}): Obj {
  const printer = printerFor(def);
  const include = opts.include ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { ...(opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {}), ...(opts.continueToken ? { continue: opts.continueToken, remainingItemCount: opts.remaining } : {}) },
    columnDefinitions: opts.headers === false ? [] : printer.columns,
    rows: objects.map((o) => ({
      cells: printer.row(o, now),
      ...(include === 'None' ? {} : { object: include === 'Object' ? o : partialMetadata(o) }),
    })),
  };
}

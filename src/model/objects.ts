import type { Diagnostic } from '../diag/index.js';
import { locate, type KubeObject, type ObjectSource } from '../manifests/index.js';

/**
 * An object the model reads: from a manifest (with its source, so findings point at the line)
 * or from the lab's store (no source). LoadedObject is one.
 */
export interface ModelObject {
  object: KubeObject;
  source?: ObjectSource;
  /** The cluster it was placed in; undefined means every cluster. */
  cluster?: string;
  /** Rendered by meshwright itself rather than given by the user. */
  origin?: 'platform';
  /**
   * What the API server would refuse in this object as written, each a positioned warning whose
   * hint is the exact fix (always set); the model reads the object as its author evidently meant it.
   */
  fixes?: Diagnostic[];
}

/** A finding at `path` inside the object, positioned when the object came from a file. */
export function findingAt(o: Pick<ModelObject, 'source'>, d: Omit<Diagnostic, 'file'>, path: (string | number)[], key = false): Diagnostic {
  return o.source ? locate(d, o.source, path, key) : d;
}

export function namespaceOf(o: KubeObject): string {
  return o.metadata.namespace ?? 'default';
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `file:line:column`, or the object's name when it has no file. */
export function whereOf(d: Diagnostic, fallback: string): string {
  if (!d.file) return fallback;
  return d.start ? `${d.file}:${d.start.line}:${d.start.column}` : d.file;
}

/**
 * Findings about the same spot are reported once, however many clusters read the object.
 * The key is the spot and the message, so two different findings at one place both stay.
 */
export class Findings {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Map<string, Diagnostic>();

  /** Records a finding; returns the one recorded first for that spot (the same object each time). */
  add(d: Diagnostic): Diagnostic {
    const key = `${d.file ?? ''}\u0000${d.range?.[0] ?? ''}\u0000${d.code}\u0000${d.message}`;
    const known = this.seen.get(key);
    if (known) return known;
    this.seen.set(key, d);
    this.list.push(d);
    return d;
  }
}

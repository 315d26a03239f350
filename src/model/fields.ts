import type { Diagnostic } from '../diag/index.js';
import { findingAt, isRecord, type Findings, type ModelObject } from './objects.js';
import type { ContainerPort, Protocol } from './workload-types.js';

type Path = (string | number)[];

/**
 * Reading fields the API server types strictly. A value it would refuse but whose meaning is
 * evident (`replicas: "3"`, `service.cilium.io/global: true`) is read as meant, with a warning
 * whose hint is the exact fix; the fix is returned so whatever rests on it can say so. A value
 * with no evident meaning refuses the whole object, as the API server would.
 */
export interface FieldReader {
  fixes: Diagnostic[];
  /** Set when the API server would refuse the object and no meaning is evident: it creates nothing. */
  refused?: Diagnostic;
}

export function reader(): FieldReader {
  return { fixes: [] };
}

function fix(r: FieldReader, o: ModelObject, findings: Findings, path: Path, code: string, message: string, hint: string): void {
  r.fixes.push(findings.add(findingAt(o, { severity: 'warning', code, message, hint }, path)));
}

function refuse(r: FieldReader, o: ModelObject, findings: Findings, path: Path, message: string, hint: string): void {
  const d = findings.add(findingAt(o, { severity: 'warning', code: 'OBJECT_REFUSED', message: `${message}: the API server refuses this ${o.object.kind}, so meshwright leaves it out`, hint }, path));
  r.refused ??= d;
}

const dotted = (path: Path) => path.join('.');

/** An integer count (replicas, parallelism): absent → fallback. */
export function readCount(r: FieldReader, o: ModelObject, findings: Findings, path: Path, raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
  if (typeof raw === 'string' && /^\d+$/.test(raw.trim())) {
    const n = Number(raw); // Number() ignores the spaces around the digits
    fix(r, o, findings, path, 'FIELD_TYPE', `${dotted(path)}: ${JSON.stringify(raw)} is a string; the API server refuses it (an integer field). Read as ${n}, which it evidently means`, `write ${n} without quotes`);
    return n;
  }
  refuse(r, o, findings, path, `${dotted(path)}: ${JSON.stringify(raw)} is not a count`, 'write a whole number, e.g. 3');
  return 0;
}

/** A map of strings (labels, annotations, a selector): a bare true or 3 is meant as its text. */
export function readStringMap(r: FieldReader, o: ModelObject, findings: Findings, path: Path, raw: unknown, what: 'label' | 'annotation' | 'selector'): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(raw)) return out;
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') {
      out[k] = String(v);
      const code = what === 'annotation' ? 'ANNOTATION_VALUE' : 'LABEL_VALUE';
      fix(r, o, findings, [...path, k], code, `${k}: ${JSON.stringify(v)} is not a string; the API server refuses this object (${what} values are strings). Read as "${String(v)}", which it evidently means`, `quote it: "${String(v)}"`);
    } else if (v !== null && v !== undefined) refuse(r, o, findings, [...path, k], `${k}: a ${what} value must be a string`, `write ${k}: "<text>"`);
  }
  return out;
}

const PROTOCOLS = new Set<string>(['TCP', 'UDP', 'SCTP']);

/** containers[].ports of a pod spec at `path`. */
export function readContainerPorts(r: FieldReader, o: ModelObject, findings: Findings, path: Path, podSpec: Record<string, unknown>): ContainerPort[] {
  const out: ContainerPort[] = [];
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  containers.forEach((c, ci) => {
    if (!isRecord(c) || !Array.isArray(c.ports)) return;
    c.ports.forEach((p, pi) => {
      const at = [...path, 'containers', ci, 'ports', pi];
      if (!isRecord(p)) return refuse(r, o, findings, at, `ports[${pi}]: ${JSON.stringify(p)} is not a port`, 'write a port as - containerPort: 8080');
      const port = readPort(r, o, findings, [...at, 'containerPort'], p.containerPort);
      const protocol = readProtocol(r, o, findings, [...at, 'protocol'], p.protocol);
      if (port !== undefined && protocol) out.push({ ...(typeof p.name === 'string' ? { name: p.name } : {}), port, protocol });
    });
  });
  return out;
}

function readPort(r: FieldReader, o: ModelObject, findings: Findings, path: Path, raw: unknown): number | undefined {
  const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
  if (typeof raw === 'number' && valid(raw)) return raw;
  if (typeof raw === 'string' && /^\d+$/.test(raw.trim()) && valid(Number(raw))) {
    const n = Number(raw);
    fix(r, o, findings, path, 'FIELD_TYPE', `containerPort: ${JSON.stringify(raw)} is a string; the API server refuses it (an integer field). Read as ${n}, which it evidently means`, `write ${n} without quotes`);
    return n;
  }
  refuse(r, o, findings, path, `containerPort: ${JSON.stringify(raw)} is not a port number (1-65535)`, 'a container port is a number; a named port goes in ports[].name');
  return undefined;
}

function readProtocol(r: FieldReader, o: ModelObject, findings: Findings, path: Path, raw: unknown): Protocol | undefined {
  if (raw === undefined || raw === null) return 'TCP';
  const text = String(raw);
  if (PROTOCOLS.has(text)) return text as Protocol;
  if (PROTOCOLS.has(text.toUpperCase())) {
    fix(r, o, findings, path, 'FIELD_VALUE', `protocol: ${JSON.stringify(raw)} is refused by the API server (supported values: "SCTP", "TCP", "UDP"). Read as ${text.toUpperCase()}, which it evidently means`, `write protocol: ${text.toUpperCase()}`);
    return text.toUpperCase() as Protocol;
  }
  refuse(r, o, findings, path, `protocol: ${JSON.stringify(raw)} is not TCP, UDP or SCTP`, 'write protocol: TCP, UDP or SCTP');
  return undefined;
}

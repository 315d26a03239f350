import { contains, parseCidr } from '../../net/index.js';
import type { PeerSpec } from './rule.js';
import type { Path, Reporter } from './report.js';
import { CLUSTER_KEY } from './labels.js';
import type { Requirement } from './selectors.js';
import { MAX_PORT, type PortEntry, type PortProtocol } from './ports.js';

// Shared by the K8s and Cilium parsers: CIDR peers, selector peers, one port entry.

/** A list or mapping where a CIDR goes: the field check has said so already (POLICY_FIELD_TYPE), once is enough. */
const isShapeError = (v: unknown): boolean => typeof v === 'object' && v !== null;

export function cidrPeer(cidrText: unknown, except: unknown, path: Path, r: Reporter, exceptPath: Path): PeerSpec {
  const range = typeof cidrText === 'string' ? parseCidr(cidrText) : undefined;
  if (!range) {
    if (isShapeError(cidrText)) return { kind: 'nothing' };
    r.error('POLICY_CIDR_INVALID', `invalid CIDR ${JSON.stringify(cidrText ?? null)}`, path, 'write an address and a prefix length, e.g. 10.0.0.0/8');
    return { kind: 'nothing' };
  }
  const out: PeerSpec & { kind: 'cidr' } = { kind: 'cidr', range, except: [] };
  if (Array.isArray(except)) {
    except.forEach((x, i) => {
      const e = typeof x === 'string' ? parseCidr(x) : undefined;
      if (isShapeError(x)) return;
      if (!e) r.error('POLICY_CIDR_INVALID', `invalid CIDR ${JSON.stringify(x ?? null)} in except`, [...exceptPath, i]);
      else if (!contains(range, e)) r.error('POLICY_CIDR_INVALID', `except ${String(x)} is not inside ${String(cidrText)}`, [...exceptPath, i], 'every except entry must lie within the cidr');
      else out.except.push(e);
    });
  }
  return out;
}

export function selectorPeer(reqs: Requirement[] | undefined): PeerSpec {
  if (!reqs) return { kind: 'nothing' };
  return { kind: 'selector', reqs, namesCluster: reqs.some((q) => q.key === CLUSTER_KEY), reserved: reqs.some((q) => q.key.startsWith('reserved:')) };
}

/**
 * One port: a number (or numeric string in Cilium), a range with endPort, or a name; `0` in
 * Cilium means every port. Returns undefined (reported) when invalid.
 */
export function portEntry(raw: { port?: unknown; endPort?: unknown }, protocol: PortProtocol, path: Path, r: Reporter, named: { name: string; path: Path }[], numericStrings: boolean): PortEntry | undefined {
  const { port, endPort } = raw;
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null) {
      r.error('POLICY_PORT_INVALID', 'endPort needs a numeric port', [...path, 'endPort']);
      return undefined;
    }
    return { protocol, first: 1, last: MAX_PORT };
  }
  if (typeof port === 'object') return undefined; // a list or mapping: checkShape has said so at this field
  let num: number | undefined;
  if (typeof port === 'number') num = port;
  else if (typeof port === 'string' && /^\d+$/.test(port)) {
    if (!numericStrings) r.error('POLICY_PORT_INVALID', `port "${port}" is a string; a NetworkPolicy port number is written without quotes`, [...path, 'port']);
    num = Number(port);
  }
  if (num === undefined) {
    if (typeof port !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(port) || port.length > 15) {
      r.error('POLICY_PORT_INVALID', `invalid port ${JSON.stringify(port)}`, [...path, 'port'], 'a port is a number 1-65535 or a container port name (up to 15 letters, digits and dashes)');
      return undefined;
    }
    named.push({ name: port, path: [...path, 'port'] });
    return { protocol, name: port };
  }
  if (!Number.isInteger(num) || num < 0 || num > MAX_PORT || (num === 0 && !numericStrings)) {
    r.error('POLICY_PORT_INVALID', `port ${num} is out of range 1-65535`, [...path, 'port']);
    return undefined;
  }
  if (num === 0) return { protocol, first: 1, last: MAX_PORT };
  let last = num;
  if (endPort !== undefined && endPort !== null) {
    // endPort is an int32 in both schemas (networking/v1 and cilium.io/v2): a quoted number is refused, unlike Cilium's port.
    if (typeof endPort === 'string' && /^\d+$/.test(endPort)) {
      r.error('POLICY_PORT_INVALID', `endPort "${endPort}" is a string; endPort is written as a number, without quotes`, [...path, 'endPort']);
      return undefined;
    }
    const e = typeof endPort === 'number' ? endPort : NaN;
    if (!Number.isInteger(e) || e < num || e > MAX_PORT) {
      r.error('POLICY_PORT_INVALID', `endPort ${String(endPort)} must be a number from port (${num}) to 65535`, [...path, 'endPort']);
      return undefined;
    }
    last = e;
  }
  return { protocol, first: num, last };
}

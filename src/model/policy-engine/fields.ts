import { closest } from '../../spec/suggest.js';
import { isRecord, type Path, type Reporter } from './report.js';

/**
 * The field vocabulary of each policy section, so a typo (`fromEndpoint`, `matchLabel`) is an
 * error at its line instead of a rule that silently means something else, and a field the
 * engine does not model is a warning instead of being ignored.
 */
type Field = 'scalar' | 'scalars' | 'map' | Shape | { each: Shape; orScalar?: true } | { notModelled: string };
export interface Shape {
  what: string;
  fields: Record<string, Field>;
}

const REQUIREMENT: Shape = { what: 'a selector requirement', fields: { key: 'scalar', operator: 'scalar', values: 'scalars' } };
export const LABEL_SELECTOR: Shape = { what: 'a label selector', fields: { matchLabels: 'map', matchExpressions: { each: REQUIREMENT } } };

export const NP_PEER: Shape = { what: 'a NetworkPolicy peer', fields: { podSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR, ipBlock: { what: 'an ipBlock', fields: { cidr: 'scalar', except: 'scalars' } } } };
const NP_PORT: Shape = { what: 'a NetworkPolicy port', fields: { protocol: 'scalar', port: 'scalar', endPort: 'scalar' } };
export const NP_SPEC: Shape = {
  what: 'a NetworkPolicy spec',
  fields: {
    podSelector: LABEL_SELECTOR,
    policyTypes: 'scalars',
    ingress: { each: { what: 'a NetworkPolicy ingress rule', fields: { from: { each: NP_PEER }, ports: { each: NP_PORT } } } },
    egress: { each: { what: 'a NetworkPolicy egress rule', fields: { to: { each: NP_PEER }, ports: { each: NP_PORT } } } },
  },
};

const nm = (why: string) => ({ notModelled: why });
const PORT_PROTOCOL: Shape = { what: 'a port', fields: { port: 'scalar', endPort: 'scalar', protocol: 'scalar' } };
const HEADER_MATCH: Shape = { what: 'a headerMatch', fields: { name: 'scalar', value: 'scalar', mismatch: 'scalar', secret: nm('the secret\'s value is unknown offline: a request carrying this header gets the verdict unknown') } };
const HTTP: Shape = { what: 'an HTTP rule', fields: { method: 'scalar', path: 'scalar', host: 'scalar', headers: 'scalars', headerMatches: { each: HEADER_MATCH } } };
const L7_NM = 'only HTTP L7 rules are modelled: requests on this port get the verdict unknown';
const L7: Shape = { what: 'L7 rules', fields: { http: { each: HTTP }, kafka: nm(L7_NM), dns: nm(L7_NM), l7proto: nm(L7_NM), l7: nm(L7_NM) } };
const TLS_NM = 'TLS interception is not modelled: ignored (it decides nothing by itself)';
const PORT_RULE: Shape = {
  what: 'a toPorts entry',
  fields: { ports: { each: PORT_PROTOCOL }, rules: L7, terminatingTLS: nm(TLS_NM), originatingTLS: nm(TLS_NM), serverNames: nm('SNI matching is not modelled: connections on this port get the verdict unknown'), listener: nm('Envoy listeners are not modelled: traffic on this port gets the verdict unknown') },
};
const PORT_DENY: Shape = { what: 'a deny toPorts entry', fields: { ports: { each: PORT_PROTOCOL } } };
const CIDR_RULE: Shape = { what: 'a CIDR rule', fields: { cidr: 'scalar', except: 'scalars', cidrGroupRef: nm('CiliumCIDRGroup is not modelled: outside addresses this entry could match get the verdict unknown') } };
const PEER_NM = 'this peer is not modelled: a verdict it could decide is unknown';
const REQUIRES_NM = 'not modelled: every allow of the endpoints it selects becomes unknown (a requirement can only take away)';
// pkg/policy/rule.go (v1.16): the Requires of deny rules are ANDed into the deny rules' peers only.
const REQUIRES_DENY_NM = 'not modelled: every deny of the endpoints it selects becomes unknown (a requirement narrows the deny rules)';
const ICMP_NM = 'ICMP is not modelled: an entry with only icmps allows no TCP/UDP/SCTP';
const AUTH_NM = 'mutual authentication is not modelled: what this rule allows gets the verdict unknown';

function ciliumSection(dir: 'from' | 'to', deny: boolean): Shape {
  const fields: Record<string, Field> = {
    [`${dir}Endpoints`]: { each: LABEL_SELECTOR },
    [`${dir}Requires`]: nm(deny ? REQUIRES_DENY_NM : REQUIRES_NM),
    [`${dir}CIDR`]: 'scalars',
    [`${dir}CIDRSet`]: { each: CIDR_RULE },
    [`${dir}Entities`]: 'scalars',
    [`${dir}Groups`]: nm(PEER_NM),
    [`${dir}Nodes`]: nm(PEER_NM),
    toPorts: { each: deny ? PORT_DENY : PORT_RULE },
    icmps: nm(ICMP_NM),
  };
  if (dir === 'to') {
    fields.toServices = nm(PEER_NM);
    if (!deny) fields.toFQDNs = nm(PEER_NM);
  }
  if (!deny) fields.authentication = nm(AUTH_NM);
  const what = `${dir === 'from' ? 'an ingress' : 'an egress'}${deny ? ' deny' : ''} rule`;
  return { what, fields };
}

export const CILIUM_RULE: Shape = {
  what: 'a Cilium policy rule',
  fields: {
    endpointSelector: LABEL_SELECTOR,
    nodeSelector: nm('host policies (nodeSelector) are not modelled: verdicts on traffic to or from nodes are unknown'),
    ingress: { each: ciliumSection('from', false) },
    ingressDeny: { each: ciliumSection('from', true) },
    egress: { each: ciliumSection('to', false) },
    egressDeny: { each: ciliumSection('to', true) },
    // labels.LabelArray: the CRD schema declares {key, value, source} objects; Cilium's decoder also takes "source:key=value".
    labels: { each: { what: 'a label', fields: { key: 'scalar', value: 'scalar', source: 'scalar' } }, orScalar: true },
    description: 'scalar',
    enableDefaultDeny: { what: 'enableDefaultDeny', fields: { ingress: 'scalar', egress: 'scalar' } },
  },
};

/**
 * How a null list item reads: a CRD's API server refuses it (its schema wants an object or a
 * string there, and pruning drops null fields but not null items); a built-in type decodes it
 * as the zero value, so a NetworkPolicy's `ingress: [null]` is an empty rule.
 */
export type NullItems = 'refused' | 'empty';

/** Reports unknown fields (with "did you mean"), wrong shapes and fields not modelled. */
export function checkShape(value: unknown, shape: Shape, path: Path, r: Reporter, nulls: NullItems): void {
  if (!isRecord(value)) {
    if (value !== null && value !== undefined) r.error('POLICY_FIELD_TYPE', `expected ${shape.what} (a mapping)`, path);
    return;
  }
  const known = Object.keys(shape.fields);
  for (const [name, v] of Object.entries(value)) {
    const field = shape.fields[name];
    const at = [...path, name];
    if (field === undefined) {
      const guess = closest(name, known);
      r.error('POLICY_UNKNOWN_FIELD', `unknown field "${name}" in ${shape.what}${guess ? `; did you mean "${guess}"?` : ''}`, at, `known fields: ${known.join(', ')}`, true);
      continue;
    }
    if (v === null || v === undefined) continue;
    checkField(v, field, at, name, r, nulls);
  }
}

function checkField(v: unknown, field: Field, at: Path, name: string, r: Reporter, nulls: NullItems): void {
  checkValue(v, field, at, name, r, nulls);
  if (Array.isArray(v) && nulls === 'refused') v.forEach((x, i) => x === null && refusedNull(name, i, [...at, i], r));
}

function checkValue(v: unknown, field: Field, at: Path, name: string, r: Reporter, nulls: NullItems): void {
  if (field === 'scalar') {
    if (typeof v === 'object') r.error('POLICY_FIELD_TYPE', `${name} must be a single value`, at);
  } else if (field === 'scalars') {
    if (!Array.isArray(v)) r.error('POLICY_FIELD_TYPE', `${name} must be a list`, at);
    else v.forEach((x, i) => typeof x === 'object' && x !== null && r.error('POLICY_FIELD_TYPE', `${name}[${i}] must be a single value`, [...at, i]));
  } else if (field === 'map') {
    if (!isRecord(v)) r.error('POLICY_FIELD_TYPE', `${name} must be a mapping`, at);
  } else if ('notModelled' in field) {
    r.warning('POLICY_NOT_MODELLED', `${name}: ${field.notModelled}`, at, undefined, true);
  } else if ('each' in field) {
    if (!Array.isArray(v)) r.error('POLICY_FIELD_TYPE', `${name} must be a list`, at);
    else v.forEach((x, i) => (field.orScalar && typeof x !== 'object' ? undefined : checkShape(x, field.each, [...at, i], r, nulls)));
  } else checkShape(v, field, at, r, nulls);
}

/** A null list item of a Cilium policy: the API server refuses the whole policy. */
export function refusedNull(name: string, i: number, at: Path, r: Reporter): void {
  r.error('POLICY_FIELD_TYPE', `${name}[${i}] is null: the API server refuses the policy (its CRD schema has no nullable list items)`, at, 'remove the empty list item or fill it in');
}

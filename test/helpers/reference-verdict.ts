import type { LoadedObject } from '../../src/manifests/index.js';
import { parseAddress, parseCidr, type IpRange } from '../../src/net/index.js';
import { isIdentityLabel, type HttpRequest, type PeerRef, type PolicyEndpoint, type PolicyInput, type PolicyRequest, type Protocol, type Verdict } from '../../src/model/policy-engine/index.js';

/**
 * A plain per-pod evaluator, written straight from policy-semantics.md with no identities, no
 * selector cache and no compiled rules: for one request it walks every policy of the cluster,
 * reading the manifests as written. The engine is tested against it (test/model/policy-engine) and
 * timed against it (bench/policy). Only the identity-label filter is shared with the engine.
 */
export interface ReferenceDecision {
  verdict: Verdict['verdict'];
  stage?: 'l3-l4' | 'l7';
  /** "Kind ns/name section[i]" of the rule that decided each side (absent: not enforced, default deny). */
  egressRule?: string;
  ingressRule?: string;
}

export function referenceVerdict(input: PolicyInput, req: PolicyRequest): Verdict['verdict'] {
  return referenceDecision(input, req).verdict;
}

export function referenceDecision(input: PolicyInput, req: PolicyRequest): ReferenceDecision {
  // "A pod cannot block access to itself" (Kubernetes NetworkPolicy docs).
  if (req.from.kind === 'endpoint' && req.to.kind === 'endpoint' && req.from.endpoint.cluster === req.to.endpoint.cluster && req.from.endpoint.namespace === req.to.endpoint.namespace && req.from.endpoint.name === req.to.endpoint.name) return { verdict: 'allowed' };
  const dst = req.to.kind === 'endpoint' ? req.to.endpoint : undefined;
  const egress = req.from.kind === 'endpoint' ? side(input, 'egress', req.from.endpoint, req.to, req, dst) : OPEN;
  const ingress = req.to.kind === 'endpoint' ? side(input, 'ingress', req.to.endpoint, req.from, req, dst) : OPEN;
  const rules = { ...(egress.rule ? { egressRule: egress.rule } : {}), ...(ingress.rule ? { ingressRule: ingress.rule } : {}) };
  if (!egress.allowed || !ingress.allowed) return { verdict: 'denied', stage: 'l3-l4', ...rules };
  if (egress.l7Denied || ingress.l7Denied) return { verdict: 'denied', stage: 'l7', ...rules };
  return { verdict: 'allowed', ...rules };
}

interface Side {
  allowed: boolean;
  l7Denied: boolean;
  rule?: string;
}
const OPEN: Side = { allowed: true, l7Denied: false };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

interface Hit {
  label: string;
  http?: unknown[];
}

function side(input: PolicyInput, dir: 'ingress' | 'egress', pod: PolicyEndpoint, peer: PeerRef, req: PolicyRequest, dst: PolicyEndpoint | undefined): Side {
  let enforced = false;
  let deniedBy: string | undefined;
  const hits: Hit[] = [];
  for (const o of prepared(input).policies) {
    if (o.cluster !== undefined && o.cluster !== pod.cluster) continue;
    const k = o.object;
    const ctx: Ctx = { input, cluster: pod.cluster, policyNs: k.metadata.namespace ?? 'default', dst, req };
    if (k.kind === 'NetworkPolicy' && k.apiVersion.startsWith('networking.k8s.io/')) {
      const spec = obj(k.spec);
      if (!selectorMatches(spec.podSelector, (key) => podLabel(input, pod, key)) || pod.namespace !== ctx.policyNs) continue;
      const types = arr(spec.policyTypes).length ? arr(spec.policyTypes) : arr(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
      if (!types.includes(dir === 'ingress' ? 'Ingress' : 'Egress')) continue;
      enforced = true;
      arr(spec[dir]).forEach((rule, i) => {
        const r = obj(rule);
        const peers = arr(r[dir === 'ingress' ? 'from' : 'to']);
        const ports = arr(r.ports);
        if ((peers.length === 0 || peers.some((p) => k8sPeer(obj(p), peer, ctx))) && (ports.length === 0 || ports.some((p) => k8sPort(obj(p), ctx)))) hits.push({ label: `NetworkPolicy ${ctx.policyNs}/${k.metadata.name} ${dir}[${i}]` });
      });
    } else if ((k.kind === 'CiliumNetworkPolicy' || k.kind === 'CiliumClusterwideNetworkPolicy') && k.apiVersion.startsWith('cilium.io/')) {
      const cnp = k.kind === 'CiliumNetworkPolicy';
      for (const spec of [...(k.spec ? [obj(k.spec)] : []), ...arr(k.specs).map(obj)]) {
        if (spec.nodeSelector !== undefined || spec.endpointSelector === undefined) continue;
        const sel = obj(spec.endpointSelector);
        const withoutNs = cnp ? { matchLabels: Object.fromEntries(Object.entries(obj(sel.matchLabels)).filter(([key]) => bare(key) !== NS)), matchExpressions: arr(sel.matchExpressions).filter((e) => bare(String(obj(e).key)) !== NS) } : sel;
        if (!selectorMatches(withoutNs, (key) => podLabel(input, pod, key)) || (cnp && pod.namespace !== ctx.policyNs)) continue;
        const allow = arr(spec[dir]);
        const deny = arr(spec[`${dir}Deny`]);
        if (allow.length === 0 && deny.length === 0) continue;
        if (obj(spec.enableDefaultDeny)[dir] !== false) enforced = true;
        const label = `${k.kind} ${cnp ? `${ctx.policyNs}/` : ''}${k.metadata.name}`;
        deny.forEach((rule, i) => {
          if (!deniedBy && ciliumPeer(obj(rule), dir, peer, ctx, cnp) && ciliumPorts(obj(rule), ctx).length > 0) deniedBy = `${label} ${dir}Deny[${i}]`;
        });
        allow.forEach((rule, i) => {
          if (!ciliumPeer(obj(rule), dir, peer, ctx, cnp)) return;
          for (const pr of ciliumPorts(obj(rule), ctx)) hits.push({ label: `${label} ${dir}[${i}]`, ...(pr.http ? { http: pr.http } : {}) });
        });
      }
    }
  }
  if (deniedBy) return { allowed: false, l7Denied: false, rule: deniedBy };
  if (dir === 'ingress' && peer.kind === 'entity' && peer.entity === 'host' && peer.cluster === pod.cluster) return OPEN;
  if (hits.length === 0) return { allowed: !enforced, l7Denied: false };
  const plain = hits.find((h) => !h.http || req.protocol !== 'TCP');
  const rule = enforced ? { rule: (plain ?? hits[0]!).label } : {};
  if (plain || !req.http) return { allowed: true, l7Denied: false, ...rule };
  const ok = hits.some((h) => h.http!.some((x) => httpRuleMatches(obj(x), req.http!)));
  return { allowed: true, l7Denied: !ok, ...rule };
}

interface Ctx {
  input: PolicyInput;
  /** The cluster whose policy is judging. */
  cluster: string;
  policyNs: string;
  dst: PolicyEndpoint | undefined;
  req: PolicyRequest;
}

const NS = 'io.kubernetes.pod.namespace';
const CLUSTER = 'io.cilium.k8s.policy.cluster';
const NS_LABELS = 'io.cilium.k8s.namespace.labels.';
const bare = (key: string) => (key.startsWith('k8s:') || key.startsWith('any:') ? key.slice(4) : key);

/** A label of the peer as Cilium would see it: pod labels Cilium keeps, namespace, service account, cluster, namespace labels; `reserved:<name>` for reserved identities. */
function peerLabel(input: PolicyInput, peer: PeerRef, key: string, judging: string): string | undefined {
  if (peer.kind === 'endpoint') return podLabel(input, peer.endpoint, key);
  if (peer.kind === 'external') return key === 'reserved:world' ? '' : undefined;
  if (peer.kind === 'node') return undefined; // the differential generator makes no node peers
  return key === `reserved:${seenFrom(peer, judging)}` ? '' : undefined;
}

function seenFrom(peer: PeerRef & { kind: 'entity' }, judging: string): string {
  return peer.cluster !== judging && (peer.entity === 'host' || peer.entity === 'kube-apiserver') ? 'remote-node' : peer.entity;
}

function podLabel(input: PolicyInput, pod: PolicyEndpoint, key: string): string | undefined {
  if (key === NS) return pod.namespace;
  if (key === CLUSTER) return pod.cluster;
  if (key === 'io.cilium.k8s.policy.serviceaccount') return pod.serviceAccount;
  if (key.startsWith(NS_LABELS)) return namespaceLabels(input, pod.cluster, pod.namespace)[key.slice(NS_LABELS.length)];
  return isIdentityLabel(key) ? pod.labels[key] : undefined;
}

function namespaceLabels(input: PolicyInput, cluster: string, ns: string): Record<string, string> {
  const o = prepared(input).namespaces.find((x) => x.object.metadata.name === ns && (x.cluster ?? cluster) === cluster);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(o?.object.metadata.labels ?? {})) labels[k] = String(v);
  return { ...labels, 'kubernetes.io/metadata.name': ns };
}

/** The input's policy and Namespace objects, picked out once per input (a filter, not a semantic cache). */
const picked = new WeakMap<PolicyInput, { policies: LoadedObject[]; namespaces: LoadedObject[] }>();
function prepared(input: PolicyInput): { policies: LoadedObject[]; namespaces: LoadedObject[] } {
  let p = picked.get(input);
  if (!p) {
    p = { policies: input.objects.filter((o) => /NetworkPolicy$/.test(o.object.kind)), namespaces: input.objects.filter((o) => o.object.kind === 'Namespace') };
    picked.set(input, p);
  }
  return p;
}

function selectorMatches(sel: unknown, get: (key: string) => string | undefined, prefix = ''): boolean {
  const s = obj(sel);
  for (const [k, v] of Object.entries(obj(s.matchLabels))) if (get(prefix + bare(k)) !== String(v)) return false;
  for (const e of arr(s.matchExpressions).map(obj)) {
    const v = get(prefix + bare(String(e.key)));
    const values = arr(e.values).map(String);
    if (e.operator === 'In' && (v === undefined || !values.includes(v))) return false;
    if (e.operator === 'NotIn' && v !== undefined && values.includes(v)) return false;
    if (e.operator === 'Exists' && v === undefined) return false;
    if (e.operator === 'DoesNotExist' && v !== undefined) return false;
  }
  return true;
}

function names(sel: unknown, test: (key: string) => boolean): boolean {
  const s = obj(sel);
  return Object.keys(obj(s.matchLabels)).some((k) => test(bare(k))) || arr(s.matchExpressions).some((e) => test(bare(String(obj(e).key))));
}

/** policy-default-local-cluster: a selector that does not name the cluster matches the judging cluster only. */
function clusterOk(ctx: Ctx, peer: PeerRef, ...sels: unknown[]): boolean {
  if (!ctx.input.options.policyDefaultLocalCluster || sels.some((s) => names(s, (k) => k === CLUSTER))) return true;
  return peer.kind === 'endpoint' && peer.endpoint.cluster === ctx.cluster;
}

function k8sPeer(p: Obj, peer: PeerRef, ctx: Ctx): boolean {
  if (p.ipBlock !== undefined) {
    const b = obj(p.ipBlock);
    return inCidrs(peer, [String(b.cidr)], arr(b.except).map(String));
  }
  if (p.podSelector === undefined && p.namespaceSelector === undefined) return false;
  const get = (key: string) => peerLabel(ctx.input, peer, key, ctx.cluster);
  if (!clusterOk(ctx, peer, p.podSelector, p.namespaceSelector)) return false;
  if (p.podSelector !== undefined && !selectorMatches(p.podSelector, get)) return false;
  if (p.namespaceSelector === undefined) return get(NS) === ctx.policyNs;
  const ns = obj(p.namespaceSelector);
  // A namespaceSelector only ever selects pods (something in a namespace), never the world.
  return get(NS) !== undefined && selectorMatches(ns, get, NS_LABELS);
}

function k8sPort(p: Obj, ctx: Ctx): boolean {
  const protocol = (p.protocol ?? 'TCP') as Protocol;
  if (protocol !== ctx.req.protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) return namedPort(p.port, protocol, ctx);
  const first = Number(p.port);
  const last = p.endPort === undefined ? first : Number(p.endPort);
  return ctx.req.port >= first && ctx.req.port <= last;
}

function namedPort(name: string, protocol: Protocol | 'ANY', ctx: Ctx): boolean {
  return (ctx.dst?.ports ?? []).some((c) => c.name === name && c.port === ctx.req.port && c.protocol === ctx.req.protocol && (protocol === 'ANY' || protocol === c.protocol));
}

function inCidrs(peer: PeerRef, cidrs: string[], except: string[]): boolean {
  if (peer.kind !== 'external') return false;
  const ip = parseAddress(peer.ip);
  const within = (c: string) => {
    const r: IpRange | undefined = parseCidr(c.includes('/') ? c : `${c}/${c.includes(':') ? 128 : 32}`);
    return r !== undefined && ip !== undefined && r.family === ip.family && ip.first >= r.first && ip.first <= r.last;
  };
  return cidrs.some(within) && !except.some(within);
}

function ciliumPeer(rule: Obj, dir: 'ingress' | 'egress', peer: PeerRef, ctx: Ctx, cnp: boolean): boolean {
  const f = dir === 'ingress' ? 'from' : 'to';
  const l3 = [`${f}Endpoints`, `${f}CIDR`, `${f}CIDRSet`, `${f}Entities`, `${f}Groups`, `${f}Nodes`, ...(dir === 'egress' ? ['toServices', 'toFQDNs'] : [])];
  if (!l3.some((x) => arr(rule[x]).length > 0)) return arr(rule.toPorts).length > 0 || arr(rule.icmps).length > 0;
  const get = (key: string) => peerLabel(ctx.input, peer, key, ctx.cluster);
  for (const sel of arr(rule[`${f}Endpoints`])) {
    const implied = !names(sel, (k) => k === NS || k.startsWith(NS_LABELS) || k.startsWith('reserved:'));
    const reserved = names(sel, (k) => k.startsWith('reserved:'));
    if (!selectorMatches(sel, get)) continue;
    if (implied && (cnp ? get(NS) !== ctx.policyNs : get(NS) === undefined)) continue;
    if (!reserved && !clusterOk(ctx, peer, sel)) continue;
    return true;
  }
  if (inCidrs(peer, arr(rule[`${f}CIDR`]).map(String), [])) return true;
  for (const set of arr(rule[`${f}CIDRSet`]).map(obj)) if (set.cidr !== undefined && inCidrs(peer, [String(set.cidr)], arr(set.except).map(String))) return true;
  return arr(rule[`${f}Entities`]).some((e) => entityMatches(String(e), peer, ctx.cluster));
}

function entityMatches(e: string, peer: PeerRef, judging: string): boolean {
  if (e === 'all') return true;
  if (peer.kind === 'external') return e === 'world' || e === `world-ipv${peer.ip.includes(':') ? 6 : 4}`;
  if (peer.kind === 'endpoint') return e === 'cluster' && peer.endpoint.cluster === judging;
  if (peer.kind === 'node') return false; // the differential generator makes no node peers
  const seen = seenFrom(peer, judging);
  return e === seen || (e === 'cluster' && ['host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver'].includes(seen));
}

/** The toPorts entries of a Cilium rule that match the request ({} for a rule on every port). */
function ciliumPorts(rule: Obj, ctx: Ctx): { http?: unknown[] }[] {
  const toPorts = arr(rule.toPorts).map(obj);
  if (toPorts.length === 0) return arr(rule.icmps).length > 0 ? [] : [{}];
  const out: { http?: unknown[] }[] = [];
  for (const pr of toPorts) {
    const ports = arr(pr.ports).map(obj);
    const hit = ports.some((p) => ciliumPort(p, ctx));
    const http = arr(obj(pr.rules).http);
    if (hit) out.push(http.length ? { http } : {});
  }
  return out;
}

function ciliumPort(p: Obj, ctx: Ctx): boolean {
  const protocol = String(p.protocol ?? 'ANY').toUpperCase() as Protocol | 'ANY';
  if (protocol !== 'ANY' && protocol !== ctx.req.protocol) return false;
  const port = p.port === undefined ? '0' : String(p.port);
  if (!/^\d+$/.test(port)) return namedPort(port, protocol, ctx);
  if (Number(port) === 0) return true;
  const last = p.endPort === undefined ? Number(port) : Number(p.endPort);
  return ctx.req.port >= Number(port) && ctx.req.port <= last;
}

function httpRuleMatches(r: Obj, req: HttpRequest): boolean {
  // Envoy's RE2, whole-value; its inline (?i) is JavaScript's i flag.
  const full = (re: unknown, v: string | undefined) => {
    if (re === undefined || re === '') return true;
    const [source, flags] = String(re).startsWith('(?i)') ? [String(re).slice(4), 'i'] : [String(re), ''];
    return v !== undefined && new RegExp(`^(?:${source})$`, flags).test(v);
  };
  if (!full(r.method, req.method) || !full(r.path, req.path) || !full(r.host, req.host)) return false;
  const headers = new Map(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  if (req.host !== undefined && !headers.has('host')) headers.set('host', req.host);
  for (const h of arr(r.headers).map(String)) {
    const i = h.indexOf(' ');
    const name = (i === -1 ? h : h.slice(0, i)).replace(/:+$/, '').toLowerCase();
    const v = headers.get(name);
    if (v === undefined || (i !== -1 && v !== h.slice(i + 1))) return false;
  }
  for (const m of arr(r.headerMatches).map(obj)) {
    const v = headers.get(String(m.name).toLowerCase());
    const ok = m.value === undefined || m.value === '' ? v !== undefined : v === String(m.value);
    if (!ok && (m.mismatch ?? '') === '') return false;
  }
  return true;
}

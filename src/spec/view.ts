import type * as z from 'zod';
import type { DocPath } from '../source/index.js';
import { ApiServerLoadBalancerSchema, CiliumSchema, ClusterSchema, KubeconfigRefSchema, KubernetesSchema, MeshSchema, NodeSchema, type CiliumSpec, type MeshSpec } from './schema.js';

/**
 * What the mesh rules read: every field that is individually valid, with defaults applied,
 * and nothing that is not. A cluster with one bad field still takes part in every rule that
 * does not need that field, so one run reports everything.
 */
export interface NodeView {
  index: number;
  name?: string;
  address?: string;
  role?: 'control-plane' | 'worker';
}

export interface ClusterView {
  index: number;
  path: DocPath;
  /** Keys the user wrote (as opposed to defaults), to point findings at what is on the page. */
  written: Set<string>;
  name?: string;
  id?: number;
  podCIDR?: string;
  podCIDRMaskSize?: number;
  serviceCIDR?: string;
  nodes: NodeView[];
  nodesValid: boolean;
  loadBalancerIPs: { index: number; text: string }[];
  nodeNetwork?: string;
  apiServerLoadBalancer?: z.output<typeof ApiServerLoadBalancerSchema>;
  ingressHost?: string;
  kubeconfig?: z.output<typeof KubeconfigRefSchema>;
}

export interface PlatformView {
  provisioner?: 'kubespray' | 'existing';
  kubernetesVersion?: string;
  cilium: Partial<CiliumSpec>;
  /** Keys of spec.cilium the user wrote (as opposed to defaults). */
  ciliumWritten: Set<string>;
  mesh: MeshSpec;
  clusters: ClusterView[];
}

const MESH_DEFAULTS = MeshSchema.parse({});

export function buildView(raw: unknown): PlatformView {
  const spec = record(record(raw).spec);
  const kubernetes = record(spec.kubernetes);
  const provisioner = kubernetes.provisioner === undefined ? 'kubespray' : kubernetes.provisioner;
  return {
    ...(provisioner === 'kubespray' || provisioner === 'existing' ? { provisioner } : {}),
    ...fieldAs('kubernetesVersion', KubernetesSchema.shape.version, kubernetes.version),
    cilium: fields(CiliumSchema.shape, spec.cilium),
    ciliumWritten: new Set(Object.keys(record(spec.cilium))),
    mesh: { ...MESH_DEFAULTS, ...fields(MeshSchema.shape, spec.mesh) },
    clusters: Array.isArray(spec.clusters) ? spec.clusters.map((c, i) => clusterView(c, i)) : [],
  };
}

function clusterView(raw: unknown, index: number): ClusterView {
  const obj = record(raw);
  const { nodes: _nodes, loadBalancerIPs: _lb, ...scalars } = ClusterSchema.shape;
  const view: ClusterView = {
    index,
    path: ['spec', 'clusters', index],
    written: new Set(Object.keys(obj)),
    ...fields(scalars, obj),
    nodes: Array.isArray(obj.nodes) ? obj.nodes.map((n, i) => ({ index: i, ...fields(NodeSchema.shape, n) })) : [],
    nodesValid: Array.isArray(obj.nodes) && obj.nodes.length > 0,
    loadBalancerIPs: [],
  };
  const lb = obj.loadBalancerIPs;
  if (Array.isArray(lb)) {
    view.loadBalancerIPs = lb.flatMap((text, i) => (typeof text === 'string' ? [{ index: i, text }] : []));
  }
  return view;
}

function fieldAs<K extends string, T>(key: K, schema: z.ZodType<T>, raw: unknown): Partial<Record<K, T>> {
  const r = schema.safeParse(raw);
  return r.success ? ({ [key]: r.data } as Record<K, T>) : {};
}

/** Parses each field of `raw` on its own; a field that fails is left out. */
function fields<S extends Record<string, z.ZodType>>(shape: S, raw: unknown): Partial<{ [K in keyof S]: z.output<S[K]> }> {
  const obj = record(raw);
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const r = schema.safeParse(obj[key]);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  return out as Partial<{ [K in keyof S]: z.output<S[K]> }>;
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

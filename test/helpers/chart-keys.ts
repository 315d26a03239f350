import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './golden.js';

/** The upstream chart's own files, vendored in ../shared (Apache-2.0). */
const CHART = join(REPO_ROOT, '..', 'shared', 'reference', 'cilium-chart-1.16.5');

/**
 * Keys the 1.16.5 templates read although values.yaml leaves them commented out (or shows
 * only an empty list), so neither values.yaml nor the schema lists them.
 */
export const TEMPLATE_ONLY_KEYS = new Set([
  // values.yaml:1882 comments it out; templates/cilium-configmap.yaml fails unless it is true or false.
  'kubeProxyReplacement',
  // values.yaml shows `clusters: []` with a commented example entry {name, address|ips, port, tls}.
  'clustermesh.config.clusters[].name',
  'clustermesh.config.clusters[].ips',
  'clustermesh.config.clusters[].port',
]);

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
}

export function loadChart(): { values: unknown; schema: SchemaNode } {
  return {
    values: parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as unknown,
    schema: JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as SchemaNode,
  };
}

/** Every key path of `rendered` the chart does not know, or whose type its schema refuses. */
export function unknownChartKeys(rendered: unknown, chart = loadChart()): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, defaults: unknown, schema: SchemaNode | undefined, path: string) => {
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const p = path ? `${path}.${key}` : key;
      const def = isObject(defaults) ? defaults[key] : undefined;
      const sch = schema?.properties?.[key];
      if (TEMPLATE_ONLY_KEYS.has(p)) continue;
      if (def === undefined && !sch) {
        problems.push(`${p}: not a key of the chart`);
        continue;
      }
      if (sch && !typeMatches(sch.type, child)) problems.push(`${p}: ${JSON.stringify(child)} is not ${String(sch.type)}`);
      // An empty map in values.yaml (annotations, labels) takes any keys.
      if (isObject(def) && Object.keys(def).length === 0 && !sch?.properties) continue;
      if (Array.isArray(child)) child.forEach((item) => walkItem(item, `${p}[]`));
      else walk(child, def, sch, p);
    }
  };
  const walkItem = (item: unknown, path: string) => {
    if (!isObject(item)) return;
    for (const key of Object.keys(item)) if (!TEMPLATE_ONLY_KEYS.has(`${path}.${key}`)) problems.push(`${path}.${key}: not a key of the chart`);
  };
  walk(rendered, chart.values, chart.schema, '');
  return problems;
}

function typeMatches(type: string | string[] | undefined, v: unknown): boolean {
  if (!type) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => (t === 'integer' ? Number.isInteger(v) : t === 'null' ? v === null : t === 'array' ? Array.isArray(v) : t === 'object' ? isObject(v) : typeof v === t));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

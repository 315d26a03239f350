import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_ROOT } from '../helpers/golden.js';

type Schema = { $ref?: string; type?: string; enum?: unknown[]; format?: string; properties?: Record<string, Schema>; additionalProperties?: boolean | Schema; items?: Schema };

const MODELS = JSON.parse(readFileSync(join(TEST_ROOT, 'fixtures', 'cilium-api-v1.16', 'status-models.json'), 'utf8')) as { definitions: Record<string, Schema> };

/**
 * Checks a value against one of Cilium's API models (the vendored transcription): types, enums,
 * date-time formats, and no key the model lacks. Returns the problems, empty when it conforms.
 */
export function checkModel(value: unknown, model: string): string[] {
  const out: string[] = [];
  walk(value, { $ref: `#/definitions/${model}` }, model, out);
  return out;
}

function walk(v: unknown, s: Schema, path: string, out: string[]): void {
  if (s.$ref) return walk(v, MODELS.definitions[s.$ref.replace('#/definitions/', '')]!, path, out);
  if (s.type === 'object') {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return void out.push(`${path}: ${JSON.stringify(v)} is not an object`);
    for (const [k, x] of Object.entries(v)) {
      const p = s.properties?.[k];
      if (p) walk(x, p, `${path}.${k}`, out);
      else if (typeof s.additionalProperties === 'object') walk(x, s.additionalProperties, `${path}.${k}`, out);
      else if (s.additionalProperties === false) out.push(`${path}: unknown property "${k}"`);
    }
  } else if (s.type === 'array') {
    if (!Array.isArray(v)) return void out.push(`${path}: ${JSON.stringify(v)} is not an array`);
    if (s.items) v.forEach((x, i) => walk(x, s.items!, `${path}[${i}]`, out));
  } else if (s.type === 'integer') {
    if (!Number.isInteger(v)) out.push(`${path}: ${JSON.stringify(v)} is not an integer`);
  } else if (s.type === 'boolean') {
    if (typeof v !== 'boolean') out.push(`${path}: ${JSON.stringify(v)} is not a boolean`);
  } else if (s.type === 'string') {
    if (typeof v !== 'string') out.push(`${path}: ${JSON.stringify(v)} is not a string`);
    else if (s.format === 'date-time' && Number.isNaN(Date.parse(v))) out.push(`${path}: ${v} is not a date-time`);
  }
  if (s.enum && !s.enum.includes(v)) out.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
}

import { VERIFY_SCHEMA_VERSION } from '../runner.js';

const STATUS = { type: 'string', enum: ['pass', 'fail', 'skip', 'error'] };

/** The JSON Schema (draft 2020-12) of `meshwright verify -o json`, published by `meshwright schema verify`. */
export function verifyReportJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://meshwright.dev/schemas/verify-report.json',
    title: 'meshwright verify report',
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'schemaVersion', 'platform', 'target', 'simulated', 'seed', 'requests', 'alpha', 'summary', 'checks', 'results'],
    properties: {
      apiVersion: { const: 'meshwright/v1alpha1' },
      kind: { const: 'VerifyReport' },
      schemaVersion: { const: VERIFY_SCHEMA_VERSION },
      platform: { type: 'string', minLength: 1 },
      target: { type: 'string', enum: ['lab', 'real'] },
      simulated: { type: 'boolean' },
      seed: { type: 'integer', minimum: 0 },
      requests: { type: 'integer', minimum: 1 },
      alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      summary: {
        type: 'object',
        additionalProperties: false,
        required: ['pass', 'fail', 'skip', 'error'],
        properties: { pass: { type: 'integer', minimum: 0 }, fail: { type: 'integer', minimum: 0 }, skip: { type: 'integer', minimum: 0 }, error: { type: 'integer', minimum: 0 } },
      },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'title', 'status', 'durationMs'],
          properties: { id: { type: 'string', pattern: '^[a-z0-9-]+$' }, title: { type: 'string' }, status: STATUS, durationMs: { type: 'number', minimum: 0 } },
        },
      },
      results: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['check', 'subject', 'status', 'expected', 'observed'],
          properties: {
            check: { type: 'string', pattern: '^[a-z0-9-]+$' },
            cluster: { type: 'string' },
            subject: { type: 'string' },
            status: STATUS,
            expected: { type: 'string' },
            observed: { type: 'string' },
            hint: { type: 'string' },
          },
        },
      },
    },
  };
}

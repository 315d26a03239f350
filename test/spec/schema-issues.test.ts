import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as z from 'zod';
import { YamlSource } from '../../src/source/index.js';
import { schemaDiagnostics } from '../../src/spec/schema-issues.js';

/**
 * The converter from zod's issues to findings, on small schemas of its own: the platform schema
 * reaches only some of zod's issue kinds today, and a field added tomorrow (a nested enum without
 * a default, a string with a length limit) must still come out as a positioned finding, not be lost.
 */
/** As validate parses: with reportInput, so that findings can quote the value. */
function findings(schema: z.ZodType, text: string) {
  const src = new YamlSource('t.yaml', text);
  const { value } = src.load();
  const parsed = schema.safeParse(value, { reportInput: true });
  assert.equal(parsed.success, false, 'the schema must refuse the text');
  return schemaDiagnostics(schema, parsed.error!.issues, src).map((d) => [d.code, `${d.start?.line}:${d.start?.column}`, d.message, d.hint]);
}

describe('zod issues the platform schema does not raise today', () => {
  test('a missing enum field below the top names its parent and the allowed values', () => {
    const schema = z.strictObject({ spec: z.strictObject({ mode: z.enum(['shared', 'dedicated']) }) });
    assert.deepEqual(findings(schema, 'spec:\n  {}\n'), [['MISSING_FIELD', '2:3', 'missing required field "mode" in spec', 'add mode: shared | dedicated']]);
    const deeper = z.strictObject({ spec: z.strictObject({ ingress: z.strictObject({ mode: z.enum(['shared']) }) }) });
    assert.deepEqual(findings(deeper, 'spec:\n  ingress: {}\n'), [['MISSING_FIELD', '2:12', 'missing required field "mode" in spec.ingress', 'add mode: shared']]);
  });

  test('a string over its length limit is measured in characters, a number is not', () => {
    const schema = z.strictObject({ name: z.string().max(5), replicas: z.number().max(3) });
    assert.deepEqual(findings(schema, 'name: abcdefg\nreplicas: 4\n'), [
      ['INVALID_VALUE', '1:7', 'name must be at most 5 characters long', undefined],
      ['INVALID_VALUE', '2:11', 'replicas must be at most 3', undefined],
    ]);
  });

  test('a refinement without a code of its own is INVALID_FORMAT, quoting the value', () => {
    const schema = z.strictObject({ colour: z.string().refine(() => false, { message: 'not a colour' }) });
    assert.deepEqual(findings(schema, 'colour: mauve\n'), [['INVALID_FORMAT', '1:9', 'colour: "mauve" is not a colour', undefined]]);
  });

  test("any other issue keeps zod's own message at the value", () => {
    const schema = z.strictObject({ port: z.number().multipleOf(5, 'must be a multiple of 5') });
    assert.deepEqual(findings(schema, 'port: 7\n'), [['INVALID_VALUE', '1:7', 'port: must be a multiple of 5', undefined]]);
  });

  test('a union of types, not of values, says what it got and offers no values', () => {
    const schema = z.strictObject({ id: z.union([z.string(), z.number()]) });
    assert.deepEqual(findings(schema, 'id: [1]\n'), [['INVALID_TYPE', '1:5', 'id: unexpected a list', undefined]]);
  });

  test('an unknown field inside a transformed mapping is still offered the fields known there', () => {
    // zod 4 wraps a .transform() in a pipe whose input schema holds the shape.
    const schema = z.strictObject({ spec: z.strictObject({ replicas: z.number() }).transform((s) => s) });
    assert.deepEqual(findings(schema, 'spec:\n  replicas: 1\n  replica: 2\n'), [['UNKNOWN_FIELD', '3:3', 'unknown field "replica" in spec', 'did you mean "replicas"?']]);
    assert.deepEqual(findings(schema, 'spec:\n  replicas: 1\n  image: nginx\n'), [['UNKNOWN_FIELD', '3:3', 'unknown field "image" in spec', 'known fields here: replicas']]);
  });
});

import type * as z from 'zod';

type AnyDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType };

function def(schema: z.ZodType): AnyDef {
  return (schema as unknown as { _zod: { def: AnyDef } })._zod.def;
}

/** Strips optional/default/pipe wrappers down to the schema that decides the shape. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const d = def(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The object shape found by following `path` through objects and arrays, if any. */
export function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, z.ZodType> | undefined {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    const d = def(s);
    if (d.type === 'object' && typeof seg === 'string') s = d.shape?.[seg];
    else if (d.type === 'array' && typeof seg === 'number') s = d.element;
    else return undefined;
    if (!s) return undefined;
    s = unwrap(s);
  }
  const d = def(s);
  return d.type === 'object' ? d.shape : undefined;
}

export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  return Object.keys(shapeAt(schema, path) ?? {});
}

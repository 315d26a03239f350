import type { PrinterColumn, ResourceDef } from '../api/catalog.js';
import { cluster } from './registry.js';
import { AGE, NAME, age, col, type Cell, type Column, type Printer } from './format.js';
import { evalJsonPath } from './jsonpath.js';

export type { Cell, Column, Printer } from './format.js';
export { humanDuration } from './format.js';

/** The printer the apiserver would use for a resource: its kind's, a CRD's columns, or the default. */
export function printerFor(def: ResourceDef): Printer {
  if (def.crd) return customPrinter(def.crd.columns);
  return cluster[`${def.group || 'core'}/${def.resource}`] ?? DEFAULT;
}

/** apiserver pkg/registry/rest/table.go defaultTableConvertor: Name and Created At (RFC 3339). */
const DEFAULT: Printer = {
  columns: [NAME, col('Created At', 'date')],
  row: (o) => [o.metadata?.name ?? '', o.metadata?.creationTimestamp ?? ''],
};

/** Custom resources: Name, then the CRD's additionalPrinterColumns (apiextensions tableconvertor). */
function customPrinter(columns: PrinterColumn[]): Printer {
  const defs: Column[] = [NAME, ...columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 }))];
  return {
    columns: defs,
    row(o, now) {
      const cells: Cell[] = [o.metadata?.name ?? ''];
      for (const c of columns) {
        const values = evalJsonPath(o, c.jsonPath);
        const v = values[0];
        if (v === undefined || v === null) cells.push(null);
        else if (c.type === 'date') cells.push(typeof v === 'string' ? age(v, now) : null);
        else if (c.type === 'integer' || c.type === 'number') cells.push(typeof v === 'number' ? v : Number(v));
        else if (c.type === 'boolean') cells.push(typeof v === 'boolean' ? v : String(v) === 'true');
        else cells.push(values.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(','));
      }
      return cells;
    },
  };
}

/** The columns a CRD gets when it declares none: Age from creationTimestamp (apiextensions defaulting). */
export const DEFAULT_CRD_COLUMNS: PrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];

export { AGE };

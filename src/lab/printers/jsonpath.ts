/**
 * The subset of kubectl's JSONPath that CRD additionalPrinterColumns use: `.a.b`, `.a[0]`,
 * `.a[*].b` and filters `.a[?(@.type=="X")].status` (k8s.io/client-go/util/jsonpath).
 * Returns every match, in document order.
 */
export function evalJsonPath(obj: unknown, path: string): unknown[] {
  let cur: unknown[] = [obj];
  const re = /\.([A-Za-z0-9_$-]+)|\[(\d+|\*)\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|([^\])]+))\)\]/gy;
  const text = path.replace(/^\{|\}$/g, '');
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < text.length && (m = re.exec(text))) {
    pos = re.lastIndex;
    const next: unknown[] = [];
    for (const v of cur) {
      if (m[1] !== undefined) {
        if (v && typeof v === 'object' && !Array.isArray(v) && m[1] in v) next.push((v as Record<string, unknown>)[m[1]]);
      } else if (m[2] !== undefined) {
        if (!Array.isArray(v)) continue;
        if (m[2] === '*') next.push(...v);
        else if (Number(m[2]) < v.length) next.push(v[Number(m[2])]);
      } else if (m[3] !== undefined && Array.isArray(v)) {
        const want = m[5] ?? m[6] ?? m[7]?.trim();
        for (const item of v) {
          const got = m[3].split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), item);
          if ((String(got) === want) === (m[4] === '==')) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur.filter((v) => v !== undefined);
}

/** kubectl's borderless table: uppercase headers, columns padded by 3 spaces, no trailing blanks. */
export function table(headers: string[], rows: (string | number)[][], upper = true): string {
  const cells = [upper ? headers.map((h) => h.toUpperCase()) : headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  return cells
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c) + 3))).join('').trimEnd())
    .join('\n');
}

/** Display width, ignoring ANSI styling. */
function width(s: string): number {
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

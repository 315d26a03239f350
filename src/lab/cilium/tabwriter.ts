/**
 * Go's text/tabwriter as cilium-dbg uses it (`tabwriter.NewWriter(os.Stdout, 2, 0, 3, ' ', 0)`,
 * cilium-dbg/cmd/status.go): a cell is text ended by a tab; the cells of one column in
 * consecutive lines form a block padded to its widest cell plus `padding`, at least `minWidth`;
 * the last cell of a line (not tab-terminated) is not aligned. Same algorithm as Go's
 * `Writer.format`, which recurses column by column over runs of lines.
 */
export function tabwrite(text: string, minWidth = 2, padding = 3): string {
  const lines = text.split('\n');
  const trailingNewline = text.endsWith('\n');
  if (trailingNewline) lines.pop();
  const cells = lines.map((l) => l.split('\t'));
  const widths: number[][] = cells.map((c) => new Array(Math.max(0, c.length - 1)).fill(0));
  format(cells, widths, 0, cells.length, 0, minWidth, padding);
  const out = cells.map((c, i) => c.map((cell, j) => (j < c.length - 1 ? cell.padEnd(widths[i]![j]!, ' ') : cell)).join(''));
  return out.join('\n') + (trailingNewline ? '\n' : '');
}

function format(cells: string[][], widths: number[][], line0: number, line1: number, column: number, minWidth: number, padding: number): void {
  let line = line0;
  while (line < line1) {
    // a line with a tab-terminated cell in this column starts a block
    if (cells[line]!.length - 1 <= column) {
      line++;
      continue;
    }
    const start = line;
    let width = minWidth;
    for (; line < line1 && cells[line]!.length - 1 > column; line++) {
      const w = [...cells[line]![column]!].length + padding;
      if (w > width) width = w;
    }
    for (let l = start; l < line; l++) widths[l]![column] = width;
    format(cells, widths, start, line, column + 1, minWidth, padding);
  }
}

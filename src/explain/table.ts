/** A plain-text table with columns padded to their widest cell (code points, not UTF-16 units). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string {
  const width = (text: string) => [...text].length;
  const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column] ?? ''))));
  const line = (cells: readonly string[]) =>
    indent + cells.map((cell, column) => cell + ' '.repeat(widths[column]! - width(cell))).join('  ').trimEnd();
  const rule = indent + widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

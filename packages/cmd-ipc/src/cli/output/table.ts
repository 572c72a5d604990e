/**
 * Formats rows as a plain-text table with a header line; cells are padded to the widest in each
 * column, and a column may be capped, its longer cells cut with an ellipsis.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], maxWidths: readonly (number | undefined)[] = []): string {
  const cap = (text: string, column: number): string => {
    const max = maxWidths[column];
    return max !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text;
  };
  const cells = [header, ...rows].map((row) => row.map((cell, column) => cap(cell, column)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Rendering of result CSV lines. Every value is quoted: jsforce parses ingest results treating all
 * six Bulk delimiters as delimiters at once, so an unquoted `;` or `|` would split a cell.
 */
export function quoteCell(value: string): string {
  return value.includes('"') ? '"' + value.replace(/"/g, '""') + '"' : '"' + value + '"';
}

/** A row of cells; null is rendered empty (unquoted), as Salesforce writes nulls in query results. */
export function renderLine(cells: ReadonlyArray<string | null>, delimiter: string): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += delimiter;
    const cell = cells[i];
    if (cell !== null) line += quoteCell(cell);
  }
  return line;
}

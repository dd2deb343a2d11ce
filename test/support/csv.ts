/**
 * The rows of a CSV file's text as RFC 4180 reads them (https://www.rfc-editor.org/rfc/rfc4180#section-2),
 * with `separator` between cells: a quoted cell may hold the separator, a line break and doubled quotes. The
 * byte order mark, if any, is left on the first cell: a test asks for it apart. Every row ends in CRLF; a
 * bare LF or CR outside quotes fails, as no row of the API's files holds one.
 */
export function csvRows(text: string, separator = ';'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let at = 0;
  while (at < text.length) {
    if (text[at] === '"' && cell === '') {
      const end = closingQuote(text, at);
      cell = text.slice(at + 1, end).replaceAll('""', '"');
      at = end + 1;
      if (at < text.length && text[at] !== separator && !text.startsWith('\r\n', at))
        throw new Error(`text after a quoted cell at ${at}`);
      if (at === text.length) throw new Error('the last row ends in no CRLF');
      continue;
    }
    if (text[at] === separator) {
      row.push(cell);
      cell = '';
      at++;
    } else if (text.startsWith('\r\n', at)) {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      at += 2;
    } else if (text[at] === '\r' || text[at] === '\n' || text[at] === '"') {
      throw new Error(`a bare ${JSON.stringify(text[at])} outside quotes at ${at}`);
    } else {
      cell += text[at];
      at++;
    }
  }
  if (cell !== '' || row.length > 0) throw new Error('the last row ends in no CRLF');
  return rows;
}

function closingQuote(text: string, opening: number): number {
  let at = opening + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) throw new Error(`a quote opened at ${opening} is never closed`);
    if (text[quote + 1] !== '"') return quote;
    at = quote + 2;
  }
}

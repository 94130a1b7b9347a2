/**
 * A small RFC 4180 reader for the tests that read exports back: quoted fields with doubled quotes,
 * commas and line breaks inside, records ended by CRLF.
 */

/** The records of a CSV text; `strict` (the default) throws when the last record lacks its CRLF. */
export function parseCsv(text: string, options: { strict?: boolean } = {}): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    if (options.strict !== false) throw new Error('last record not terminated by CRLF');
    rows.push([...row, field]);
  }
  return rows;
}

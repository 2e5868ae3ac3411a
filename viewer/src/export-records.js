// The selected images as records (id, title, url, then every configured field), written as CSV
// (RFC 4180) or JSON for download. Pure: no DOM.

/**
 * A cell that a spreadsheet would take for a formula (OWASP's list: `=`, `+`, `-`, `@`, a tab or
 * a carriage return first) gets a leading `'`, so that opening the file runs nothing: the CSV
 * holds data, and `-3.5` then reads `'-3.5`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The columns exported: `id`, `title`, `url`, then the metadata's fields in display order. */
export function recordColumns(meta) {
  return [...new Set(['id', 'title', 'url', ...meta.fields])];
}

/** One object per item, column -> text ('' where empty or missing), in the order of `items`. */
export function recordsOf(meta, items) {
  const columns = recordColumns(meta);
  return [...items].map((item) =>
    Object.fromEntries(columns.map((c) => {
      const v = meta.items[c] ? meta.items[c][item] : null;
      return [c, v == null ? '' : String(v)];
    })),
  );
}

/** One CSV field: quoted where it holds a comma, a quote or a line break, guarded against formulas. */
export function csvCell(value) {
  let s = String(value ?? '');
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The records as CSV: a header row, CRLF line ends (RFC 4180), and a UTF-8 byte-order mark so
 * that Excel reads the accents right (other readers skip it).
 */
export function toCsv(meta, items) {
  const columns = recordColumns(meta);
  const lines = [columns, ...recordsOf(meta, items).map((r) => columns.map((c) => r[c]))];
  return `\ufeff${lines.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/**
 * The records as JSON: `{collection, title, link, fields, count, items: [{id, title, url, ...}]}`;
 * `link` is the page that shows the selection (null where the selection is too large for a link).
 */
export function toJson(meta, items, link = null) {
  const records = recordsOf(meta, items);
  const doc = {
    collection: String(meta.collection ?? ''),
    title: String(meta.title || meta.collection || ''),
    link,
    fields: [...meta.fields],
    count: records.length,
    items: records,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

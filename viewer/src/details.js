// What the details panel shows for an image. Pure: the panel (panel.js) only copies it as text.

import { titleOf } from './metadata.js';

/** Absolute http(s) links only: never javascript:, data: or a path relative to the viewer. */
export function safeUrl(value) {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value.trim())) return null;
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A column name as a label: "culture_period" -> "Culture period", "objectName" -> "Object name". */
export function fieldLabel(name) {
  const s = String(name)
    .replace(/[_-]+/g, ' ')
    .replace(/(\p{Ll})(\p{Lu})(?=\p{Ll})/gu, (_, a, b) => `${a} ${b.toLowerCase()}`) // camelCase, never "URL"
    .trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The panel's content for `item`: its configured fields in order, empty ones left out.
 * @returns {{id: string, title: string, rows: {label: string, value: string}[], url: string | null}}
 */
export function detailsOf(meta, item) {
  const { items, fields } = meta;
  const rows = [];
  for (const f of fields) {
    const v = items[f][item];
    if (v == null || v === '') continue;
    rows.push({ label: fieldLabel(f), value: String(v) });
  }
  return { id: String(items.id[item]), title: titleOf(meta, item), rows, url: safeUrl(items.url && items.url[item]) };
}

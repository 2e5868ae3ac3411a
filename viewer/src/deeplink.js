// Deep links: the URL hash `#item=<id>&q=<query>&view=timeline&f.<field>=<value>` holds the
// selected image, the search, the arrangement and the facet filters.

/** @returns {{item: string | null, q: string}} the item's id (null for none) and the query */
export function parseHash(hash) {
  const p = new URLSearchParams(String(hash).replace(/^#/, ''));
  return { item: p.get('item'), q: p.get('q') || '' };
}

/** The facet filters in a hash: `f.<field>=<value>` pairs, {field: [value, ...]} (filters.js reads them). */
export function parseFilters(hash) {
  /** @type {Record<string, string[]>} */
  const filters = {};
  for (const [key, value] of new URLSearchParams(String(hash).replace(/^#/, ''))) {
    if (key.startsWith('f.') && key.length > 2) (filters[key.slice(2)] ??= []).push(value);
  }
  return filters;
}

/** The arrangement a hash names (`view=timeline`), or null for the default (the similarity map). */
export function parseView(hash) {
  return new URLSearchParams(String(hash).replace(/^#/, '')).get('view') || null;
}

/**
 * The hash for a selection, a query, the arrangement (`view`; null: the default) and facet
 * filters ({field: [value, ...]}): '' when there is none.
 */
export function formatHash({ item = null, q = '', filters = {}, view = null }) {
  const p = new URLSearchParams();
  if (item !== null) p.set('item', item);
  if (q) p.set('q', q);
  if (view) p.set('view', view);
  for (const [field, values] of Object.entries(filters)) for (const v of values) p.append(`f.${field}`, v);
  const s = p.toString();
  return s ? `#${s}` : '';
}

/** Whether `hash` is what the URL already says ('' and '#' both mean no hash). */
export function sameHash(hash, current) {
  return hash === current || (hash === '' && (current === '' || current === '#'));
}

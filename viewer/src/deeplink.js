// Deep links: the URL hash `#item=<id>&q=<query>` holds the selected image and the search.

/** @returns {{item: string | null, q: string}} the item's id (null for none) and the query */
export function parseHash(hash) {
  const p = new URLSearchParams(String(hash).replace(/^#/, ''));
  return { item: p.get('item'), q: p.get('q') || '' };
}

/** The hash for a selection and a query: '' when there is neither. */
export function formatHash({ item = null, q = '' }) {
  const p = new URLSearchParams();
  if (item !== null) p.set('item', item);
  if (q) p.set('q', q);
  const s = p.toString();
  return s ? `#${s}` : '';
}

/** Whether `hash` is what the URL already says ('' and '#' both mean no hash). */
export function sameHash(hash, current) {
  return hash === current || (hash === '' && (current === '' || current === '#'));
}

// Case- and accent-insensitive search over the columnar item metadata.

const MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const FOLDS = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i' };
const FOLD_RE = /[ßæœøđðþłı]/g;

/** Lower-case, strip accents and fold a few letters so that "Déjà" matches "deja". */
export function normalize(text) {
  return String(text ?? '')
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(FOLD_RE, (c) => FOLDS[c])
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A searcher over `items` (columns `title` plus `fields`). The haystack is built lazily on the
 * first search, so that opening a 100,000-image map costs nothing until someone types.
 */
export function createSearcher(items, fields) {
  let haystack = null;
  const build = () => {
    const n = items.id.length;
    const columns = [items.title, ...fields.map((f) => items[f])].filter(Array.isArray);
    haystack = new Array(n);
    for (let i = 0; i < n; i++) {
      let s = '';
      for (const col of columns) s += '\u0001' + normalize(col[i]);
      haystack[i] = s;
    }
  };
  /** Indices of matching items for `query` (all of its words must occur), or null for no query. */
  return function search(query) {
    const terms = normalize(query).split(' ').filter(Boolean);
    if (terms.length === 0) return null;
    if (haystack === null) build();
    const out = [];
    outer: for (let i = 0; i < haystack.length; i++) {
      const h = haystack[i];
      for (const t of terms) if (!h.includes(t)) continue outer;
      out.push(i);
    }
    return out;
  };
}

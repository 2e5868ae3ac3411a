// Facet filters (metadata.json `facets`, core/facets.py): which images pass, and the counts each
// facet shows. Pure: no DOM. Each image's value is a number in a typed array, prepared once, so a
// click costs a few passes over typed arrays and no string work, even at 100,000 images.
//
// The rules of faceted search: values of one field combine with OR, fields with AND, and the
// search with AND. A field's counts ignore its own choice (they say what choosing one more value
// would add) but follow every other filter and the search.

/**
 * @typedef {object} CategoricalFacet
 * @property {string} field
 * @property {'categorical'} kind
 * @property {string[]} values  every value, most frequent first
 * @property {Int32Array} codes  each image's value index, -1 for none
 * @property {Map<string, number>} index  value -> index
 *
 * @typedef {object} RangeFacet
 * @property {string} field
 * @property {'numeric' | 'date'} kind  dates count in days since 1970-01-01
 * @property {number} min
 * @property {number} max
 * @property {number[]} edges  the histogram's bar edges (bars + 1)
 * @property {Float64Array} numbers  each image's value, NaN for none
 * @property {Int32Array} bars  each image's bar, -1 for none
 *
 * @typedef {CategoricalFacet | RangeFacet} Facet
 *
 * A filter: the chosen values of a categorical facet, or the inclusive range [low, high] of a
 * numeric or date facet. The state maps a field to its filter; a field without one is absent.
 * @typedef {Set<string> | [number, number]} Filter
 * @typedef {Map<string, Filter>} FilterState
 */

/** The bar (of `edges`) that `x` falls in: the last bar includes its upper edge. */
export function barOf(x, edges) {
  let lo = 0;
  let hi = edges.length - 2;
  if (!(x >= edges[0] && x <= edges[hi + 1])) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (x >= edges[mid]) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The facets of `meta.facets` ready to filter `itemCount` images; a facet whose per-image
 * column is missing or of the wrong length is left out (an older or damaged metadata.json).
 * @returns {Facet[]}
 */
export function prepareFacets(facets, itemCount) {
  const out = [];
  for (const f of Array.isArray(facets) ? facets : []) {
    if (!f || typeof f.field !== 'string') continue;
    if (f.kind === 'categorical' && Array.isArray(f.codes) && f.codes.length === itemCount && Array.isArray(f.values)) {
      const values = f.values.map(String);
      out.push({ field: f.field, kind: 'categorical', values, codes: Int32Array.from(f.codes), index: new Map(values.map((v, i) => [v, i])) });
    } else if ((f.kind === 'numeric' || f.kind === 'date') && Array.isArray(f.numbers) && f.numbers.length === itemCount && Array.isArray(f.edges) && f.edges.length >= 2) {
      const numbers = Float64Array.from(f.numbers, (x) => (x === null ? NaN : x));
      const bars = Int32Array.from(numbers, (x) => barOf(x, f.edges));
      out.push({ field: f.field, kind: f.kind, min: f.min, max: f.max, edges: f.edges, numbers, bars });
    }
  }
  return out;
}

/** Whether `state` filters anything. */
export function isFiltering(state) {
  for (const filter of state.values()) if (!(filter instanceof Set) || filter.size > 0) return true;
  return false;
}

/**
 * @typedef {object} Evaluation
 * @property {Uint8Array} pass  1 for each image on the map that passes the search and filters
 * @property {number} shown  how many pass
 * @property {number} total  images on the map
 * @property {Int32Array[]} counts  per facet: per value (categorical) or bar (range), the images
 *   that pass the search and every other facet's filter
 */

/**
 * Evaluates `state` with the search's hits (`hits`: a 0/1 per image, or null for no search)
 * over the images on the map (`onMap`: 0/1 per image).
 * @param {Facet[]} facets
 * @param {FilterState} state
 * @param {Uint8Array | null} hits
 * @param {Uint8Array} onMap
 * @returns {Evaluation}
 */
export function evaluate(facets, state, hits, onMap) {
  const n = onMap.length;
  // Per image, how many constraints it fails and the last one it failed: an image counts for
  // facet k when it fails none, or only k's own filter. Search is constraint facets.length.
  const fails = new Uint8Array(n);
  const failed = new Uint16Array(n);
  for (let i = 0; i < n; i++) if (!onMap[i]) fails[i] = 2; // never shown, never counted
  if (hits) {
    const k = facets.length;
    for (let i = 0; i < n; i++) if (!hits[i]) (fails[i]++, (failed[i] = k));
  }
  facets.forEach((facet, k) => {
    const filter = state.get(facet.field);
    if (!filter) return;
    if (facet.kind === 'categorical') {
      if (!(filter instanceof Set) || filter.size === 0) return;
      const chosen = new Uint8Array(facet.values.length);
      for (const v of filter) if (facet.index.has(v)) chosen[facet.index.get(v)] = 1;
      const codes = facet.codes;
      for (let i = 0; i < n; i++) {
        const c = codes[i];
        if (c < 0 || !chosen[c]) (fails[i]++, (failed[i] = k));
      }
    } else if (Array.isArray(filter)) {
      const [low, high] = filter;
      const numbers = facet.numbers;
      for (let i = 0; i < n; i++) {
        const x = numbers[i];
        if (!(x >= low && x <= high)) (fails[i]++, (failed[i] = k)); // NaN (no value) fails
      }
    }
  });
  const pass = new Uint8Array(n);
  let shown = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (onMap[i]) total++;
    if (fails[i] === 0) (pass[i] = 1), shown++;
  }
  const counts = facets.map((facet, k) => {
    const of = facet.kind === 'categorical' ? facet.codes : facet.bars;
    const out = new Int32Array(facet.kind === 'categorical' ? facet.values.length : facet.edges.length - 1);
    for (let i = 0; i < n; i++) {
      const f = fails[i];
      if (f === 0 || (f === 1 && failed[i] === k)) {
        const c = of[i];
        if (c >= 0) out[c]++;
      }
    }
    return out;
  });
  return { pass, shown, total, counts };
}

/** The passing images in cell (reading) order: `cells` maps each cell to its image or -1. */
export function passingInCellOrder(pass, cells) {
  const out = [];
  for (let c = 0; c < cells.length; c++) {
    const item = cells[c];
    if (item >= 0 && pass[item]) out.push(item);
  }
  return out;
}

/** "N of M shown". */
export function shownText(shown, total) {
  return `${shown.toLocaleString('en')} of ${total.toLocaleString('en')} shown`;
}

/**
 * The values a categorical facet lists: the first `limit` values (most frequent first) whose
 * normalised text contains `text`, then every chosen value not among them, so that a ticked
 * value never disappears from the list.
 * @param {CategoricalFacet} facet
 * @param {string[] | null} normalized  `facet.values` normalised like `text` (search.js); only read when `text` is set
 * @param {string} text  the value search, normalised; '' lists the most frequent
 * @param {Iterable<string>} chosen  the values ticked
 * @returns {{shown: number[], matching: number}}  value indices to list, and how many values match `text`
 */
export function listedValues(facet, normalized, text, chosen, limit) {
  const shown = [];
  let matching = 0;
  for (let i = 0; i < facet.values.length; i++) {
    if (text && !normalized[i].includes(text)) continue;
    matching++;
    if (shown.length < limit) shown.push(i);
  }
  for (const v of chosen) {
    const i = facet.index.get(v);
    if (i !== undefined && !shown.includes(i)) shown.push(i);
  }
  return { shown, matching };
}

/**
 * What a range facet's From / To inputs ask for, given the range in force (`current`, null for
 * none): `{clear: true}` when both are empty and a range was set (images without a value come
 * back); `{range: [low, high]}`, ordered, when both ends read as numbers (an empty end is the
 * facet's own) and differ from `current`; null when there is nothing to do.
 * @param {RangeFacet} facet
 * @returns {{clear: true} | {range: [number, number]} | null}
 */
export function rangeRequest(facet, fromText, toText, current) {
  if (fromText === '' && toText === '') return current ? { clear: true } : null;
  const low = fromText === '' ? facet.min : parseBound(facet, fromText);
  const high = toText === '' ? facet.max : parseBound(facet, toText);
  const range = [Math.min(low, high), Math.max(low, high)];
  if (!range.every(Number.isFinite) || (current && range[0] === current[0] && range[1] === current[1])) return null;
  return { range };
}

// Deep links (deeplink.js carries `f.<field>=<value>` pairs): a categorical filter is one pair per
// chosen value, a range one `low..high` pair, with dates as ISO days (YYYY-MM-DD) and the facet's
// own ends left empty (`-500..`).

const DAY_MS = 86_400_000;

/** A range bound as text: a number as is, a date facet's day as YYYY-MM-DD. */
export function formatBound(facet, x) {
  return facet.kind === 'date' ? new Date(x * DAY_MS).toISOString().slice(0, 10) : String(x);
}

/** A range bound as text, '' at the facet's own end `end` (an open end: "-500.." is "from -500"). */
export function boundText(facet, x, end) {
  return x === end ? '' : formatBound(facet, x);
}

/** The number for text in a range: a number, or for a date facet an ISO day; NaN when neither. */
export function parseBound(facet, text) {
  const s = String(text).trim();
  if (s === '') return NaN;
  if (facet.kind === 'date') {
    const m = /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return NaN;
    const day = new Date(0);
    day.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3])); // Date.UTC reads year 50 as 1950
    return day.getTime() / DAY_MS;
  }
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
}

/** The state as deep-link pairs: {field: [text, ...]}, facets in their order. */
export function encodeState(facets, state) {
  /** @type {Record<string, string[]>} */
  const out = {};
  for (const facet of facets) {
    const filter = state.get(facet.field);
    if (!filter) continue;
    if (filter instanceof Set) {
      if (filter.size) out[facet.field] = facet.values.filter((v) => filter.has(v));
    } else {
      out[facet.field] = [`${boundText(facet, filter[0], facet.min)}..${boundText(facet, filter[1], facet.max)}`];
    }
  }
  return out;
}

/**
 * The state that deep-link pairs describe. Unknown fields and values, malformed ranges and a
 * range with low > high are ignored: a link from another build opens with what still applies.
 * An empty side of a range (`..200`) is the facet's own end.
 * @returns {FilterState}
 */
export function decodeState(facets, pairs) {
  /** @type {FilterState} */
  const state = new Map();
  for (const facet of facets) {
    const texts = pairs[facet.field];
    if (!Array.isArray(texts) || texts.length === 0) continue;
    if (facet.kind === 'categorical') {
      const chosen = new Set(texts.filter((t) => facet.index.has(t)));
      if (chosen.size) state.set(facet.field, chosen);
      continue;
    }
    const m = /^(.*?)\.\.(.*)$/.exec(texts[0]);
    if (!m) continue;
    const low = m[1].trim() === '' ? facet.min : parseBound(facet, m[1]);
    const high = m[2].trim() === '' ? facet.max : parseBound(facet, m[2]);
    if (Number.isFinite(low) && Number.isFinite(high) && low <= high) state.set(facet.field, [low, high]);
  }
  return state;
}

/** Whether two states filter the same way (field order aside). */
export function sameState(a, b) {
  const active = (s) => [...s].filter(([, f]) => !(f instanceof Set) || f.size > 0);
  const x = active(a);
  const y = new Map(active(b));
  if (x.length !== y.size) return false;
  return x.every(([field, f]) => {
    const g = y.get(field);
    if (f instanceof Set) return g instanceof Set && g.size === f.size && [...f].every((v) => g.has(v));
    return Array.isArray(g) && g[0] === f[0] && g[1] === f[1];
  });
}

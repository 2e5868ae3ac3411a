// The similar images' table (similar.bin beside metadata.json): for each item its `k` most
// similar items, nearest first, as little-endian int32. Pure: no DOM; fetching is injectable.

/**
 * @typedef {object} SimilarTable
 * @property {number} k  neighbours per item
 * @property {Int32Array} data  row-major, `k` per item
 */

/** Where the table is, or null: `meta.similar = {path, k}`, relative to the metadata's folder. */
export function similarSource(meta, baseHref) {
  const s = meta && meta.similar;
  if (!s || typeof s.path !== 'string' || !(Number.isInteger(s.k) && s.k > 0)) return null;
  return { url: new URL(s.path, baseHref).href, k: s.k };
}

/** The table from its bytes; throws a readable Error where the size does not fit `n` items. */
export function parseSimilar(buffer, k, n) {
  if (buffer.byteLength !== n * k * 4) {
    throw new Error(`similar.bin holds ${buffer.byteLength} bytes, not ${n} × ${k} × 4`);
  }
  const view = new DataView(buffer);
  const data = new Int32Array(n * k);
  for (let i = 0; i < data.length; i++) data[i] = view.getInt32(i * 4, true); // little-endian on any CPU
  return { k, data };
}

/** `item`'s similar items, nearest first: only real items other than itself. */
export function similarOf(table, item) {
  const n = table.data.length / table.k;
  if (!(item >= 0 && item < n)) return [];
  const row = table.data.subarray(item * table.k, (item + 1) * table.k);
  return Array.from(row).filter((other) => other >= 0 && other < n && other !== item);
}

/** Fetches and parses the table. @returns {Promise<SimilarTable>} */
export async function loadSimilar(source, n, fetchBytes = (url) => fetch(url).then(okBytes)) {
  return parseSimilar(await fetchBytes(source.url), source.k, n);
}

async function okBytes(response) {
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

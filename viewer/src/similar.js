// The similar images' table (similar.bin beside metadata.json): for each item its `k` most
// similar items, nearest first, as little-endian int32. The viewer reads one row at a time
// with an HTTP Range request (48 bytes for k = 12), so a 100,000-image map never downloads
// the whole table (4.8 MB); a server that ignores Range sends the whole table once instead.
// Pure: no DOM; fetching is injectable.

/**
 * @typedef {object} SimilarSource
 * @property {string} url
 * @property {number} k  neighbours per item
 */

/** Where the table is, or null: `meta.similar = {path, k}`, relative to the metadata's folder. */
export function similarSource(meta, baseHref) {
  const s = meta && meta.similar;
  if (!s || typeof s.path !== 'string' || !(Number.isInteger(s.k) && s.k > 0)) return null;
  return { url: new URL(s.path, baseHref).href, k: s.k };
}

/** Little-endian int32 values of `buffer` (on any CPU). */
function int32s(buffer) {
  const view = new DataView(buffer);
  const out = new Int32Array(buffer.byteLength >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/** The Range header that asks for `item`'s row: bytes [item·k·4, (item+1)·k·4 - 1]. */
export function rowRange(item, k) {
  return `bytes=${item * k * 4}-${(item + 1) * k * 4 - 1}`;
}

/** `item`'s similar items from its row: only real items other than itself, nearest first. */
export function cleanRow(row, item, n) {
  return Array.from(row).filter((other) => other >= 0 && other < n && other !== item);
}

/**
 * Reads rows of the table for `n` items, each once.
 *
 * `fetchRange(url, range)` resolves to `{partial, buffer}`: `partial` when the server answered
 * the range (HTTP 206), else `buffer` is the whole table, which then answers every later row.
 */
export class SimilarRows {
  /**
   * @param {SimilarSource} source
   * @param {number} n  items on the map
   * @param {(url: string, range: string) => Promise<{partial: boolean, buffer: ArrayBuffer}>} [fetchRange]
   */
  constructor(source, n, fetchRange = fetchRangeHttp) {
    this.source = source;
    this.n = n;
    this.fetchRange = fetchRange;
    this.whole = null; // the table, where the server sent it whole
    this.rows = new Map(); // item -> Promise of its similar items
  }

  /** `item`'s similar items, nearest first. Rejects with a readable Error on a bad answer. */
  of(item) {
    if (!(Number.isInteger(item) && item >= 0 && item < this.n)) return Promise.resolve([]);
    if (!this.rows.has(item)) {
      const row = this.read(item);
      row.catch(() => this.rows.delete(item)); // a failed read is tried again next time
      this.rows.set(item, row);
    }
    return this.rows.get(item);
  }

  async read(item) {
    const { url, k } = this.source;
    if (this.whole === null) {
      const { partial, buffer } = await this.fetchRange(url, rowRange(item, k));
      if (partial) {
        if (buffer.byteLength !== k * 4) throw new Error(`similar.bin: row ${item} holds ${buffer.byteLength} bytes, not ${k * 4}`);
        return cleanRow(int32s(buffer), item, this.n);
      }
      if (buffer.byteLength !== this.n * k * 4) {
        throw new Error(`similar.bin holds ${buffer.byteLength} bytes, not ${this.n} × ${k} × 4`);
      }
      this.whole = int32s(buffer);
    }
    return cleanRow(this.whole.subarray(item * k, (item + 1) * k), item, this.n);
  }
}

async function fetchRangeHttp(url, range) {
  const response = await fetch(url, { headers: { Range: range } });
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  return { partial: response.status === 206, buffer: await response.arrayBuffer() };
}

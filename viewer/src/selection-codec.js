// The selection in a link (`sel=` in the hash): sorted item indices as gaps in LEB128 varints,
// or as a bitset where the selection is dense, whichever is shorter, in base64url (no padding),
// so the value needs no escaping in a URL. Pure: no DOM.
//
//   'd' + base64url(varint(i0), varint(i1 - i0 - 1), ...)   gaps: a dense run costs a byte an item
//   'b' + base64url(varint(i0), bits: bit k of byte k >> 3 set for item i0 + k)  a bit per index
//                                                           from the first item to the last
//
// Item indices, not cells, so a link means the same images in every arrangement of the map.

/** The longest `sel=` value a link carries (see viewer/README.md, "Selection and export"). */
export const LINK_LIMIT = 8000;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** @param {Uint8Array} bytes @returns {string} base64url without padding */
export function toBase64Url(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** @param {string} text @returns {Uint8Array | null} null where `text` is not base64url */
export function fromBase64Url(text) {
  if (text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let j = 0;
  for (const c of text) {
    const v = VALUE.get(c);
    if (v === undefined) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[j++] = (acc >> bits) & 0xff;
    }
  }
  return bytes;
}

/** Appends `value` (≥ 0) to `bytes` as a LEB128 varint: 7 bits a byte, low bits first. */
function pushVarint(bytes, value) {
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
}

function varints(sorted) {
  const bytes = [];
  let previous = -1;
  for (const item of sorted) {
    pushVarint(bytes, item - previous - 1);
    previous = item;
  }
  return Uint8Array.from(bytes);
}

function bitset(sorted) {
  const head = [];
  const first = sorted[0];
  pushVarint(head, first);
  const bytes = new Uint8Array(head.length + ((sorted[sorted.length - 1] - first) >> 3) + 1);
  bytes.set(head);
  for (const item of sorted) bytes[head.length + ((item - first) >> 3)] |= 1 << ((item - first) & 7);
  return bytes;
}

/**
 * The varints in `bytes` from `start`, up to `max` of them.
 * @returns {{values: number[], end: number} | null}  null where one is cut short or too large
 */
function readVarints(bytes, start = 0, max = Infinity) {
  const values = [];
  let value = 0;
  let shift = 1;
  let i = start;
  for (; i < bytes.length && values.length < max; i++) {
    value += (bytes[i] & 0x7f) * shift;
    if (bytes[i] & 0x80) {
      shift *= 0x80;
      if (shift > 2 ** 35) return null; // no index is that far
      continue;
    }
    values.push(value);
    value = 0;
    shift = 1;
  }
  return shift === 1 ? { values, end: i } : null;
}

/**
 * The link value of `sorted` (ascending, distinct item indices ≥ 0), '' for none.
 * @param {ArrayLike<number>} sorted
 */
export function encodeSelection(sorted) {
  if (!sorted.length) return '';
  const gaps = varints(sorted);
  const bits = bitset(sorted);
  return gaps.length <= bits.length ? `d${toBase64Url(gaps)}` : `b${toBase64Url(bits)}`;
}

/**
 * The item indices a link value names, ascending, those at or past `size` left out; null for a
 * value that is not an encoding (the link then selects nothing).
 * @param {string} code
 * @param {number} size  the collection's number of items
 * @returns {number[] | null}
 */
export function decodeSelection(code, size) {
  if (!code) return [];
  const bytes = fromBase64Url(code.slice(1));
  if (!bytes) return null;
  const items = [];
  if (code[0] === 'b') {
    const head = readVarints(bytes, 0, 1);
    if (!head || head.values.length !== 1) return null;
    const [first] = head.values;
    for (let i = head.end; i < bytes.length; i++) {
      for (let b = 0; b < 8; b++) if (bytes[i] & (1 << b)) items.push(first + (i - head.end) * 8 + b);
    }
  } else if (code[0] === 'd') {
    const gaps = readVarints(bytes);
    if (!gaps) return null;
    let previous = -1;
    for (const gap of gaps.values) items.push((previous += gap + 1));
  } else {
    return null;
  }
  return items.filter((i) => i < size);
}

/** The `sel=` value of a URL hash ('' for none). */
export function selectionOfHash(hash) {
  return new URLSearchParams(String(hash).replace(/^#/, '')).get('sel') || '';
}

/** `hash` (deeplink.js formatHash, '' or '#...') with the selection's value `code` added ('' adds none). */
export function withSelection(hash, code) {
  if (!code) return hash;
  return `${hash ? `${hash}&` : '#'}sel=${code}`;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LINK_LIMIT, decodeSelection, encodeSelection, fromBase64Url, selectionOfHash, toBase64Url, withSelection,
} from '../src/selection-codec.js';

/** A seeded generator (mulberry32): the same "random" selections on every run. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(n, size, seed = 1) {
  const next = random(seed);
  const chosen = new Set();
  while (chosen.size < n) chosen.add(Math.floor(next() * size));
  return Int32Array.from(chosen).sort();
}

test('base64url round-trips every length and uses only URL-safe characters', () => {
  for (let n = 0; n < 20; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 255) & 255);
    const text = toBase64Url(bytes);
    assert.match(text, /^[A-Za-z0-9_-]*$/);
    assert.equal(text, Buffer.from(bytes).toString('base64url'));
    assert.deepEqual(fromBase64Url(text), bytes);
  }
  assert.equal(fromBase64Url('a+b/'), null);
  assert.equal(fromBase64Url('abcde'), null);
});

test('selections round-trip: empty, one, the first and large indices, runs, sparse and dense', () => {
  const cases = [[], [0], [7], [8], [99999], [0, 1, 2, 3, 4], [3, 200, 16384, 2097151, 2097152], [5000, 5001, 5003, 5009]];
  cases.push([...sample(500, 100000)], [...sample(9000, 10000)]);
  for (const items of cases) {
    const code = encodeSelection(items);
    assert.deepEqual(decodeSelection(code, 1e7), items, code.slice(0, 40));
  }
  assert.equal(encodeSelection([]), '');
});

test('the shorter encoding wins: gaps for sparse selections, a bitset for dense ones', () => {
  assert.equal(encodeSelection(sample(100, 100000))[0], 'd');
  assert.equal(encodeSelection(sample(9000, 10000))[0], 'b');
  // Five consecutive items from 0: five one-byte gaps against one byte of bits.
  assert.equal(encodeSelection([0, 1, 2, 3, 4]), `b${Buffer.from([0, 31]).toString('base64url')}`);
  assert.equal(encodeSelection([1000, 1001, 1002, 1003, 1004]), `b${Buffer.from([0xe8, 0x07, 31]).toString('base64url')}`);
});

test('decoding drops indices past the collection and refuses what is no encoding', () => {
  assert.deepEqual(decodeSelection(encodeSelection([1, 5, 50]), 10), [1, 5]);
  for (const bad of ['x123', 'd$$', 'dgA', 'd_____w', 'bgA']) assert.equal(decodeSelection(bad, 100), null, bad);
  assert.deepEqual(decodeSelection('', 10), []);
});

test('link lengths on a 100,000-image map: 100 and 1,000 random items fit a link, 10,000 do not', () => {
  const lengths = [100, 1000, 10000].map((n) => encodeSelection(sample(n, 100000, n)).length);
  // Measured: about 2.7, 1.8 and 1.7 characters per item (see viewer/README.md).
  assert.ok(lengths[0] < 300, `100 items: ${lengths[0]}`);
  assert.ok(lengths[1] < 2000, `1,000 items: ${lengths[1]}`);
  assert.ok(lengths[2] > LINK_LIMIT, `10,000 items: ${lengths[2]}`);
  // A block of 10,000 consecutive items (one bit each) still fits.
  const block = Int32Array.from({ length: 10000 }, (_, i) => 50000 + i);
  assert.ok(encodeSelection(block).length < LINK_LIMIT);
  console.log(`sel= lengths for 100 / 1,000 / 10,000 random items of 100,000: ${lengths.join(' / ')}; a block of 10,000: ${encodeSelection(block).length}`);
});

test('the hash carries the value as sel=, beside the other keys, and reads it back', () => {
  const code = encodeSelection([3, 40, 41]);
  assert.equal(withSelection('#q=amphora', code), `#q=amphora&sel=${code}`);
  assert.equal(withSelection('', code), `#sel=${code}`);
  assert.equal(withSelection('#q=a', ''), '#q=a');
  assert.equal(selectionOfHash(`#item=x&sel=${code}&q=a`), code);
  assert.equal(selectionOfHash('#q=a'), '');
});

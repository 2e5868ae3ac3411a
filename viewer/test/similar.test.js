import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSimilar, parseSimilar, similarOf, similarSource } from '../src/similar.js';
import { sampleMeta } from './fixtures.js';

const BASE = 'https://maps.example.org/site/vases/versions/v1/tiles.dzi';

/** Little-endian int32 bytes of `values`, as the pipeline writes them. */
function bytesOf(values) {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return view.buffer;
}

test('the table is found beside the metadata, or not at all', () => {
  const meta = { ...sampleMeta(), similar: { path: 'similar.bin', k: 2 } };
  assert.deepEqual(similarSource(meta, BASE), { url: 'https://maps.example.org/site/vases/versions/v1/similar.bin', k: 2 });
  assert.equal(similarSource(sampleMeta(), BASE), null);
  assert.equal(similarSource({ similar: { path: 'similar.bin', k: 0 } }, BASE), null);
  assert.equal(similarSource({ similar: { path: 7, k: 2 } }, BASE), null);
});

test('rows are read little-endian, nearest first, without the item itself or invalid indices', () => {
  const table = parseSimilar(bytesOf([1, 2, 0, 300, 4, -1, 3, 3, 0, 1]), 2, 5);
  assert.deepEqual(similarOf(table, 0), [1, 2]);
  assert.deepEqual(similarOf(table, 1), [0]); // 300 is no item
  assert.deepEqual(similarOf(table, 2), [4]);
  assert.deepEqual(similarOf(table, 3), []); // itself only
  assert.deepEqual(similarOf(table, 7), []);
  assert.deepEqual(similarOf(table, -1), []);
});

test('a table of the wrong size is refused, saying so', () => {
  assert.throws(() => parseSimilar(bytesOf([1, 2, 3]), 2, 2), /holds 12 bytes, not 2 × 2 × 4/);
});

test('loadSimilar fetches the source and parses it for n items', async () => {
  const urls = [];
  const table = await loadSimilar({ url: 'u', k: 1 }, 2, async (url) => {
    urls.push(url);
    return bytesOf([1, 0]);
  });
  assert.deepEqual(urls, ['u']);
  assert.deepEqual(similarOf(table, 1), [0]);
});

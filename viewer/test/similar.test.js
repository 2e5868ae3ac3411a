import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimilarRows, cleanRow, rowRange, similarSource } from '../src/similar.js';
import { sampleMeta } from './fixtures.js';

const BASE = 'https://maps.example.org/site/vases/versions/v1/tiles.dzi';

/** Little-endian int32 bytes of `values`, as the pipeline writes them. */
function bytesOf(values) {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return view.buffer;
}

/** A server over `table` (k per row) that answers ranges (or not), recording what was asked. */
function server(table, { ranges = true } = {}) {
  const asked = [];
  const bytes = bytesOf(table);
  const fetchRange = async (url, range) => {
    asked.push(range);
    if (!ranges) return { partial: false, buffer: bytes };
    const [, start, end] = range.match(/^bytes=(\d+)-(\d+)$/).map(Number);
    return { partial: true, buffer: bytes.slice(start, end + 1) };
  };
  return { asked, fetchRange };
}

test('the table is found beside the metadata, or not at all', () => {
  const meta = { ...sampleMeta(), similar: { path: 'similar.bin', k: 2 } };
  assert.deepEqual(similarSource(meta, BASE), { url: 'https://maps.example.org/site/vases/versions/v1/similar.bin', k: 2 });
  assert.equal(similarSource(sampleMeta(), BASE), null);
  assert.equal(similarSource({ similar: { path: 'similar.bin', k: 0 } }, BASE), null);
  assert.equal(similarSource({ similar: { path: 7, k: 2 } }, BASE), null);
});

test("a row's range covers exactly its k little-endian int32 values", () => {
  assert.equal(rowRange(0, 12), 'bytes=0-47');
  assert.equal(rowRange(3, 2), 'bytes=24-31');
});

test('rows keep the order, without the item itself or invalid indices', () => {
  assert.deepEqual(cleanRow([1, 2], 0, 5), [1, 2]);
  assert.deepEqual(cleanRow([0, 300], 1, 5), [0]); // 300 is no item
  assert.deepEqual(cleanRow([4, -1], 2, 5), [4]);
  assert.deepEqual(cleanRow([3, 3], 3, 5), []); // itself only
});

test('each row is fetched alone, once, by its range', async () => {
  const { asked, fetchRange } = server([1, 2, 0, 300, 1, -1], { ranges: true });
  const rows = new SimilarRows({ url: 'u', k: 2 }, 3, fetchRange);
  assert.deepEqual(await rows.of(2), [1]);
  assert.deepEqual(await rows.of(1), [0]); // 300 is no item
  assert.deepEqual(await rows.of(2), [1]);
  assert.deepEqual(asked, ['bytes=16-23', 'bytes=8-15']);
  assert.deepEqual(await rows.of(7), []); // no such item: nothing asked
  assert.equal(asked.length, 2);
});

test('a server that ignores ranges sends the table once, which answers every later row', async () => {
  const { asked, fetchRange } = server([1, 2, 0, 300, 1, -1], { ranges: false });
  const rows = new SimilarRows({ url: 'u', k: 2 }, 3, fetchRange);
  assert.deepEqual(await rows.of(0), [1, 2]);
  assert.deepEqual(await rows.of(2), [1]);
  assert.equal(asked.length, 1);
});

test('answers of the wrong size are refused, saying so, and the row is asked again next time', async () => {
  let calls = 0;
  const short = async () => ({ partial: true, buffer: bytesOf([calls++ ? 0 : 1]) });
  const rows = new SimilarRows({ url: 'u', k: 2 }, 3, short);
  await assert.rejects(rows.of(1), /row 1 holds 4 bytes, not 8/);
  await assert.rejects(rows.of(1), /row 1 holds 4 bytes/);
  assert.equal(calls, 2);
  const whole = new SimilarRows({ url: 'u', k: 2 }, 3, async () => ({ partial: false, buffer: bytesOf([1, 2, 3]) }));
  await assert.rejects(whole.of(0), /holds 12 bytes, not 3 × 2 × 4/);
});

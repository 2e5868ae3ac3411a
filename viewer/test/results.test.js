import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepMatch } from '../src/matches.js';
import { PAGE_SIZE, moreText, nextPageEnd, resultPlace } from '../src/results.js';

test('the results list grows a page at a time, never past the results', () => {
  assert.equal(nextPageEnd(100_000, 0), PAGE_SIZE);
  assert.equal(nextPageEnd(100_000, 50), 100);
  assert.equal(nextPageEnd(120, 100), 120);
  assert.equal(nextPageEnd(0, 0), 0);
  assert.equal(nextPageEnd(7, 0, 3), 3);
});

test('the "more" button says how many come next and how many are shown, and goes when all are', () => {
  assert.equal(moreText(100_000, 50), `Show 50 more (50 of ${(100_000).toLocaleString()} shown)`);
  assert.equal(moreText(120, 100), 'Show 20 more (100 of 120 shown)');
  assert.equal(moreText(120, 120), '');
  assert.equal(moreText(0, 0), '');
});

test('resultPlace says where the selected item stands in the result set', () => {
  assert.deepEqual(resultPlace([7, 8, 9], 8), { pos: 1, text: '2 of 3 results' });
  assert.deepEqual(resultPlace([7], 7), { pos: 0, text: '1 of 1 result' });
  assert.deepEqual(resultPlace(Int32Array.from([7, 8, 9]), 9), { pos: 2, text: '3 of 3 results' });
  assert.deepEqual(resultPlace([7, 8, 9], 4), { pos: -1, text: '3 results' }); // not a result
});

test('resultPlace has nothing to step through without a result set or with an empty one', () => {
  assert.deepEqual(resultPlace(null, 3), { pos: -1, text: '' });
  assert.deepEqual(resultPlace([], 3), { pos: -1, text: '' });
});

test('previous and next go through every result from the selected one and wrap around', () => {
  const results = [7, 8, 9];
  let selected = 8;
  const seen = [];
  for (let i = 0; i < 4; i++) {
    selected = results[stepMatch(results, resultPlace(results, selected).pos, selected, 1)];
    seen.push(resultPlace(results, selected).text);
  }
  assert.deepEqual(seen, ['3 of 3 results', '1 of 3 results', '2 of 3 results', '3 of 3 results']);
  selected = results[stepMatch(results, -1, 4, -1)]; // from outside the set: the last one backwards
  assert.equal(resultPlace(results, selected).text, '3 of 3 results');
});

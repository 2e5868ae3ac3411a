import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countText, orderMatches, stepMatch } from '../src/matches.js';

// item -> cell: item 0 in cell 5, item 1 nowhere, item 2 in cell 0, item 3 in cell 2
const CELL_OF_ITEM = Int32Array.from([5, -1, 0, 2]);

test('orderMatches puts matches in cell order and drops items not on the map', () => {
  assert.deepEqual(orderMatches([0, 1, 2, 3], CELL_OF_ITEM), [2, 3, 0]);
  assert.deepEqual(orderMatches([], CELL_OF_ITEM), []);
});

test('orderMatches keeps "no search" (null) apart from "no matches"', () => {
  assert.equal(orderMatches(null, CELL_OF_ITEM), null);
});

test('stepMatch starts at the first match forwards and the last backwards', () => {
  assert.equal(stepMatch([7, 8, 9], -1, -1, 1), 0);
  assert.equal(stepMatch([7, 8, 9], -1, -1, -1), 2);
  assert.equal(stepMatch([7, 8, 9], -1, 4, 1), 0); // the selected item is not a match
});

test('stepMatch starts from the selected item when it is a match', () => {
  assert.equal(stepMatch([7, 8, 9], -1, 8, 1), 2);
  assert.equal(stepMatch([7, 8, 9], -1, 8, -1), 0);
  assert.equal(stepMatch([7, 8, 9], -1, 9, 1), 0);
});

test('stepMatch moves from the current position, wrapping around both ends', () => {
  assert.equal(stepMatch([7, 8, 9], 0, 7, 1), 1);
  assert.equal(stepMatch([7, 8, 9], 2, -1, 1), 0);
  assert.equal(stepMatch([7, 8, 9], 0, -1, -1), 2);
  assert.equal(stepMatch([7], 0, 7, 1), 0);
});

test('countText says nothing without a search, and counts matches in English', () => {
  assert.equal(countText(null, -1), '');
  assert.equal(countText([], -1), 'No matches');
  assert.equal(countText([4], -1), '1 match');
  assert.equal(countText([4, 5], -1), '2 matches');
  assert.equal(countText([4, 5], 1), '2 of 2 matches');
  assert.equal(countText([4], 0), '1 of 1 match');
});

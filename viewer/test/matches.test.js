import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countText, stepMatch } from '../src/matches.js';

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

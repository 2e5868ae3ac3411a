import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Grid } from '../src/grid.js';
import { sampleMeta } from './fixtures.js';

const grid = () => new Grid(sampleMeta());

test('cellOfItem inverts cells, with -1 for an item that is not on the map', () => {
  assert.deepEqual([...grid().cellOfItem], [2, 4, 0, 3, -1]);
});

test('cellOfItem ignores cells that name an item index past the items', () => {
  const meta = sampleMeta();
  meta.cells[5] = 99;
  assert.deepEqual([...new Grid(meta).cellOfItem], [2, 4, 0, 3, -1]);
});

test('cellAt maps image pixels to row-major cells of non-square size', () => {
  const g = grid();
  assert.equal(g.cellAt(0, 0), 0);
  assert.equal(g.cellAt(99.9, 49.9), 0);
  assert.equal(g.cellAt(100, 0), 1);
  assert.equal(g.cellAt(250, 10), 2);
  assert.equal(g.cellAt(50, 50), 3);
  assert.equal(g.cellAt(299.9, 99.9), 5);
});

test('cellAt is -1 outside the grid on every side', () => {
  const g = grid();
  for (const [x, y] of [[-0.1, 10], [10, -0.1], [300, 10], [10, 100]]) assert.equal(g.cellAt(x, y), -1, `${x},${y}`);
});

test('itemInCell gives the item, or -1 for an empty cell and for no cell', () => {
  const g = grid();
  assert.equal(g.itemInCell(0), 2);
  assert.equal(g.itemInCell(4), 1);
  assert.equal(g.itemInCell(1), -1);
  assert.equal(g.itemInCell(-1), -1);
  assert.equal(g.itemInCell(6), -1);
});

test('cellRect gives the cell rectangle in image pixels', () => {
  assert.deepEqual(grid().cellRect(5), { x: 200, y: 50, w: 100, h: 50 });
  assert.deepEqual(grid().cellRect(0), { x: 0, y: 0, w: 100, h: 50 });
});

test('nearestItem is the item under the point when its cell holds one', () => {
  const g = grid();
  assert.equal(g.nearestItem(250, 10), 0); // cell 2
  assert.equal(g.nearestItem(201, 49), 0); // cell 2's corner, beside empty cells 1 and 5
});

test('nearestItem from an empty cell is the item of the nearest cell centre, within reach', () => {
  const g = grid();
  // Cell 1 (x 100-200, y 0-50) is empty: its left part is nearest cell 0's item (2), its
  // right part cell 2's (0), its lower part cell 4's (1), straight below.
  assert.equal(g.nearestItem(110, 25), 2);
  assert.equal(g.nearestItem(190, 25), 0);
  assert.equal(g.nearestItem(150, 45), 1);
  assert.equal(g.nearestItem(150, 45, 0), -1); // no reach: only the empty cell itself
});

test('nearestItem is -1 far outside the grid', () => {
  assert.equal(grid().nearestItem(-500, -500), -1);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellExtent, frameRect } from '../src/framing.js';

// A 10 x 8 grid of 100 x 50 px cells; item i sits in cell CELL_OF_ITEM[i] (-1: not on the map).
const GRID = { cols: 10, rows: 8, cellWidth: 100, cellHeight: 50, cellOfItem: Int32Array.from([0, 23, 45, -1, 79, 12]) };

test('cellExtent is the block of cells holding the items, end exclusive', () => {
  assert.deepEqual(cellExtent(GRID, [1, 2]), { col0: 3, row0: 2, col1: 6, row1: 5 }); // cells (3,2) and (5,4)
  assert.deepEqual(cellExtent(GRID, [4]), { col0: 9, row0: 7, col1: 10, row1: 8 });
  assert.deepEqual(cellExtent(GRID, [0, 4]), { col0: 0, row0: 0, col1: 10, row1: 8 });
});

test('cellExtent ignores items that are not on the map, and is null for none', () => {
  assert.deepEqual(cellExtent(GRID, [3, 5]), { col0: 2, row0: 1, col1: 3, row1: 2 });
  assert.equal(cellExtent(GRID, [3]), null);
  assert.equal(cellExtent(GRID, []), null);
  assert.equal(cellExtent(GRID, null), null);
});

test('frameRect grows the extent by a margin of its longer side', () => {
  // cells 2..7 x 2..5: 500 x 150 px, margin 10 % of 500 on every side
  const r = frameRect(GRID, { col0: 2, row0: 2, col1: 7, row1: 5 }, { margin: 0.1, minCells: 1 });
  assert.deepEqual(r, { x: 150, y: 50, width: 600, height: 250 });
});

test('frameRect never frames closer than minCells cells, centred on the extent', () => {
  const r = frameRect(GRID, { col0: 4, row0: 3, col1: 5, row1: 4 }, { margin: 0, minCells: 3 });
  assert.deepEqual(r, { x: 300, y: 100, width: 300, height: 150 });
});

test('frameRect stays on the map: moved inside at its edges, cut to the map when larger', () => {
  const corner = frameRect(GRID, { col0: 9, row0: 7, col1: 10, row1: 8 }, { margin: 0, minCells: 3 });
  assert.deepEqual(corner, { x: 700, y: 250, width: 300, height: 150 });
  const all = frameRect(GRID, { col0: 0, row0: 0, col1: 10, row1: 8 }, { margin: 0.1 });
  assert.deepEqual(all, { x: 0, y: 0, width: 1000, height: 400 });
});

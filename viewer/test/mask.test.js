import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIM_RGBA, maskPixels, visibleCells } from '../src/mask.js';

const pixel = (data, cell) => [...data.subarray(cell * 4, cell * 4 + 4)];

test('maskPixels leaves matching cells transparent and dims all others, empty cells too', () => {
  const cells = [2, -1, 0, 3, 1, -1];
  const data = maskPixels(cells, [0, 3], 5);
  assert.equal(data.length, cells.length * 4);
  assert.deepEqual(pixel(data, 2), [0, 0, 0, 0]); // item 0
  assert.deepEqual(pixel(data, 3), [0, 0, 0, 0]); // item 3
  for (const c of [0, 1, 4, 5]) assert.deepEqual(pixel(data, c), DIM_RGBA, `cell ${c}`);
});

test('maskPixels dims every cell when nothing matches, in the given colour', () => {
  const data = maskPixels([0, 1], [], 2, [1, 2, 3, 4]);
  assert.deepEqual([...data], [1, 2, 3, 4, 1, 2, 3, 4]);
});

test('visibleCells covers the partly visible cells of the view', () => {
  // cells of 100 x 50 px; the view shows x 150..260, y 20..70
  assert.deepEqual(visibleCells({ x: 150, y: 20 }, { x: 260, y: 70 }, 100, 50, 3, 2), { c0: 1, r0: 0, c1: 3, r1: 2 });
});

test('visibleCells clamps to the grid when the view is larger than the map', () => {
  assert.deepEqual(visibleCells({ x: -500, y: -500 }, { x: 900, y: 900 }, 100, 50, 3, 2), { c0: 0, r0: 0, c1: 3, r1: 2 });
});

test('visibleCells is null when the view shows none of the grid', () => {
  assert.equal(visibleCells({ x: 400, y: 0 }, { x: 500, y: 50 }, 100, 50, 3, 2), null);
  assert.equal(visibleCells({ x: 0, y: -90 }, { x: 100, y: -10 }, 100, 50, 3, 2), null);
});

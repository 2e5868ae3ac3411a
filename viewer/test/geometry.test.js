import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageScale, itemAtImagePoint, labelPosition, padRect, scaledCellRect } from '../src/geometry.js';
import { Grid } from '../src/grid.js';
import { sampleMeta } from './fixtures.js';

const grid = new Grid(sampleMeta()); // 3 x 2 cells of 100 x 50 px

test('imageScale is DZI pixels per metadata pixel, 1 when the metadata has no width', () => {
  assert.equal(imageScale({ width: 300 }, 600), 2);
  assert.equal(imageScale({}, 600), 1);
  assert.equal(imageScale(undefined, 600), 1);
});

test('itemAtImagePoint finds the item under a DZI pixel at any scale', () => {
  assert.equal(itemAtImagePoint(grid, 1, { x: 20, y: 20 }), 2);
  assert.equal(itemAtImagePoint(grid, 2, { x: 20, y: 20 }), 2);
  assert.equal(itemAtImagePoint(grid, 2, { x: 399, y: 199 }), 1); // cell 4 at twice the size
  assert.equal(itemAtImagePoint(grid, 1, { x: 399, y: 99 }), -1); // past the right edge
  assert.equal(itemAtImagePoint(grid, 1, { x: 150, y: 10 }), -1); // empty cell
});

test('scaledCellRect gives a cell in DZI pixels', () => {
  assert.deepEqual(scaledCellRect(grid, 2, 4), { x: 200, y: 100, w: 200, h: 100 });
});

test('padRect grows a rectangle by a fraction of its longer side on every side', () => {
  assert.deepEqual(padRect({ x: 10, y: 20, width: 100, height: 50 }, 0.5), { x: -40, y: -30, width: 200, height: 150 });
});

const BOX = { left: 100, top: 50, right: 900, bottom: 650 }; // the map on the page

test('labelPosition puts the label below right of the pointer', () => {
  assert.deepEqual(labelPosition(BOX, { x: 10.4, y: 20.2 }, { width: 80, height: 20 }), { x: 124, y: 88 });
});

test('labelPosition flips the label to the left and above near the right and bottom edges', () => {
  const size = { width: 80, height: 20 };
  assert.deepEqual(labelPosition(BOX, { x: 780, y: 10 }, size), { x: 786, y: 78 }); // right edge only
  assert.deepEqual(labelPosition(BOX, { x: 700, y: 580 }, size), { x: 814, y: 596 }); // bottom edge only
  assert.deepEqual(labelPosition(BOX, { x: 780, y: 570 }, size), { x: 786, y: 586 }); // the corner
});

test('labelPosition keeps a label wider than the room inside the map on the left', () => {
  assert.deepEqual(labelPosition(BOX, { x: 100, y: 10 }, { width: 790, height: 20 }), { x: 104, y: 78 });
});

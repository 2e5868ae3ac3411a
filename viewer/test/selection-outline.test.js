import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outlineOf, outlineSegments, outlineWidths } from '../src/selection-outline.js';

/** The segments as sorted strings "x0,y0-x1,y1", so that tests read independently of the order. */
const segments = (flat) => {
  const out = [];
  for (let i = 0; i < flat.length; i += 4) out.push(`${flat[i]},${flat[i + 1]}-${flat[i + 2]},${flat[i + 3]}`);
  return out.sort();
};
const whole = (outline, cols, rows) => segments(outlineSegments(outline, { c0: 0, r0: 0, c1: cols, r1: rows }, { x: 0, y: 0 }, { x: 1, y: 1 }));

test('outlineOf draws a lone selected cell as its four edges', () => {
  // 3 x 3 grid, item i in cell i; item 4 in the middle.
  const outline = outlineOf([0, 1, 2, 3, 4, 5, 6, 7, 8], [4], 3, 3);
  assert.deepEqual(whole(outline, 3, 3), ['1,1-1,2', '1,1-2,1', '1,2-2,2', '2,1-2,2']);
});

test('outlineOf merges a block of selected cells into one outline, none between them', () => {
  // 4 x 3 grid; the 2 x 2 block of cells 1, 2, 5, 6 selected.
  const cellOfItem = Array.from({ length: 12 }, (_, i) => i);
  const outline = outlineOf(cellOfItem, [1, 2, 5, 6], 4, 3);
  assert.deepEqual(whole(outline, 4, 3), ['1,0-1,2', '1,0-3,0', '1,2-3,2', '3,0-3,2']);
});

test('outlineOf runs along the border of the grid, and leaves out items not on the map', () => {
  // 2 x 1 grid, both cells selected, and an item without a cell.
  const outline = outlineOf([1, 0, -1], [0, 1, 2], 2, 1);
  assert.deepEqual(whole(outline, 2, 1), ['0,0-0,1', '0,0-2,0', '0,1-2,1', '2,0-2,1']);
});

test('outlineOf of nothing selected has no edges', () => {
  const outline = outlineOf([0, 1, 2, 3], [], 2, 2);
  assert.equal(outline.h.length + outline.v.length, 0);
  assert.equal(outlineSegments(outline, { c0: 0, r0: 0, c1: 2, r1: 2 }, { x: 0, y: 0 }, { x: 10, y: 10 }).length, 0);
});

test('outlineSegments places the edges on the screen and keeps only those in the block, clipped', () => {
  // A 3 x 1 run of selected cells on a 5 x 3 grid: cells 6, 7, 8 (row 1, columns 1..3).
  const cellOfItem = Array.from({ length: 15 }, (_, i) => i);
  const outline = outlineOf(cellOfItem, [6, 7, 8], 5, 3);
  // Cells of 40 x 30 pixels, the grid's corner at (-10, 5); the view shows columns 2..4, rows 0..2.
  const shown = outlineSegments(outline, { c0: 2, r0: 0, c1: 5, r1: 3 }, { x: -10, y: 5 }, { x: 40, y: 30 });
  // The top and bottom edges clipped to column 2 (x 70) onwards, the right end at column 4 (x 150);
  // the left end (column 1) is out of the block.
  assert.deepEqual(segments(shown), ['150,35-150,65', '70,35-150,35', '70,65-150,65']);
});

test('outlineSegments moves each edge into the selected cells by the inset, meeting at the corners', () => {
  // Item 4 in the middle of a 3 x 3 grid, cells of 10 pixels: a square 2 pixels inside the cell.
  const outline = outlineOf([0, 1, 2, 3, 4, 5, 6, 7, 8], [4], 3, 3);
  const shown = outlineSegments(outline, { c0: 0, r0: 0, c1: 3, r1: 3 }, { x: 0, y: 0 }, { x: 10, y: 10 }, 2);
  assert.deepEqual(segments(shown), ['12,12-12,18', '12,12-18,12', '12,18-18,18', '18,12-18,18']);
});

test('outlineOf splits a line where the selected side changes', () => {
  // 2 x 2 grid, cells 0 and 3 selected (diagonal): the middle line has them on either side.
  const outline = outlineOf([0, 1, 2, 3], [0, 3], 2, 2);
  const middle = [...outline.h.subarray(5 * outline.hStart[1], 5 * outline.hStart[2])]; // five numbers a run
  assert.deepEqual(middle, [0, 1, -1, 0, 0, 1, 2, 1, 0, 0]); // cell 0 above the left half, cell 3 below the right
});

test('outlineSegments meets at an inner corner: the lines there go on past their cells', () => {
  // An L on a 2 x 2 grid: cells 0, 2 and 3 (items in their cells), cells of 10 pixels, inset 2.
  const outline = outlineOf([0, 1, 2, 3], [0, 2, 3], 2, 2);
  const shown = outlineSegments(outline, { c0: 0, r0: 0, c1: 2, r1: 2 }, { x: 0, y: 0 }, { x: 10, y: 10 }, 2);
  // Outer corners 2 pixels inside the cells'; at the inner one (10, 10) the top of cell 3 starts 2
  // pixels left of it (x 8) and the right of cell 0 ends 2 pixels below it (y 12): they meet.
  const expected = ['2,2-8,2', '8,2-8,12', '8,12-18,12', '18,12-18,18', '2,18-18,18', '2,2-2,18'];
  assert.deepEqual(segments(shown), expected.sort());
});

test('outlineSegments reads only the rows and columns of the block', () => {
  // A selection far from the block: nothing to draw, however large it is.
  const cols = 300;
  const rows = 300;
  const cellOfItem = Array.from({ length: cols * rows }, (_, i) => i);
  const [col, row] = [(cell) => cell % cols, (cell) => Math.floor(cell / cols)];
  const far = cellOfItem.filter((cell) => col(cell) > 100 && row(cell) > 100 && col(cell) % 3 === 0 && row(cell) % 3 === 0);
  const outline = outlineOf(cellOfItem, far, cols, rows); // cells apart: four edges each
  assert.ok(outline.h.length + outline.v.length > 10000);
  assert.equal(outlineSegments(outline, { c0: 0, r0: 0, c1: 50, r1: 50 }, { x: 0, y: 0 }, { x: 8, y: 8 }).length, 0);
});

test('outlineWidths: a dark line with a light one along it, thinner on small cells, none on tiny ones', () => {
  assert.equal(outlineWidths(11), null);
  const small = outlineWidths(16);
  const large = outlineWidths(200);
  assert.ok(small.dark < large.dark && small.light < large.light);
  assert.ok(large.light < large.dark && large.dark <= 6);
});

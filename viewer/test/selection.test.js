import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Selection } from '../src/selection.js';
import { centreBlock, clusterMembers, itemsInExtent, itemsInPolygon, itemsInRect, pointInPolygon, tintPixels } from '../src/selection-geometry.js';
import { Grid } from '../src/grid.js';
import { sampleMeta } from './fixtures.js';

// Cells are 100 × 50; centres at x 50, 150, 250 and y 25, 75. Items: cell 0 -> 2, 2 -> 0, 3 -> 3, 4 -> 1.
const grid = () => new Grid(sampleMeta());
const sorted = (a) => [...a].sort((x, y) => x - y);

test('the selection adds, removes, toggles, replaces and clears by item, and counts', () => {
  const s = new Selection(5);
  let heard = 0;
  s.onChange(() => heard++);
  assert.equal(s.add([1, 3]), true);
  assert.equal(s.count, 2);
  assert.equal(s.add([3]), false, 'no change, no news');
  s.toggle(0);
  s.toggle(1);
  assert.deepEqual([...s.sorted()], [0, 3]);
  s.remove([3, 4]);
  assert.deepEqual([...s.sorted()], [0]);
  s.apply([4, 2], 'replace');
  assert.deepEqual([...s.sorted()], [2, 4]);
  assert.equal(s.apply([4, 2], 'replace'), false);
  s.clear();
  assert.equal(s.count, 0);
  assert.equal(heard, 6);
});

test('the selection ignores indices that are no items', () => {
  const s = new Selection(3);
  s.add([-1, 3, 1.5, NaN, 2]);
  assert.deepEqual([...s.sorted()], [2]);
  assert.throws(() => s.apply([1], 'xor'), RangeError);
  assert.throws(() => new Selection(-1), RangeError);
});

test('sorted() is ascending numerically, not as text', () => {
  const s = new Selection(200);
  s.add([100, 9, 20]);
  assert.deepEqual([...s.sorted()], [9, 20, 100]);
});

test('pointInPolygon: inside, outside, a concave notch and a self-crossing lasso (even-odd)', () => {
  const square = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }];
  assert.equal(pointInPolygon(5, 5, square), true);
  assert.equal(pointInPolygon(11, 5, square), false);
  const u = [{ x: 0, y: 0 }, { x: 3, y: 0 }, { x: 3, y: 8 }, { x: 7, y: 8 }, { x: 7, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }];
  assert.equal(pointInPolygon(5, 4, u), false, 'in the notch');
  assert.equal(pointInPolygon(1, 4, u), true);
  const bowtie = [{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 10, y: 0 }, { x: 0, y: 10 }];
  assert.equal(pointInPolygon(2, 5, bowtie), true);
  assert.equal(pointInPolygon(5, 2, bowtie), false);
});

test('itemsInRect takes the items whose cell centres are inside, from any two corners, empty cells skipped', () => {
  const g = grid();
  assert.deepEqual(itemsInRect(g, { x: 40, y: 20 }, { x: 160, y: 30 }), [2], 'cell 1 is empty');
  assert.deepEqual(sorted(itemsInRect(g, { x: 260, y: 99 }, { x: 0, y: 0 })), [0, 1, 2, 3]);
  assert.deepEqual(sorted(itemsInRect(g, { x: 240, y: 99 }, { x: 0, y: 0 })), [1, 2, 3], 'not cell 2 (centre x 250)');
  assert.deepEqual(itemsInRect(g, { x: 51, y: 0 }, { x: 149, y: 100 }), [], 'no centre between');
  assert.deepEqual(itemsInRect(g, { x: 50, y: 25 }, { x: 50, y: 25 }), [2], 'edges count');
  assert.deepEqual(itemsInRect(g, { x: -500, y: -500 }, { x: 5000, y: 5000 }).length, 4);
});

test('itemsInPolygon takes only centres inside the lasso', () => {
  const g = grid();
  // A triangle over the centres of cells 3 and 4 (items 3 and 1), not over cell 0's (50, 25).
  const triangle = [{ x: 0, y: 40 }, { x: 300, y: 60 }, { x: 0, y: 100 }];
  assert.deepEqual(sorted(itemsInPolygon(g, triangle)), [1, 3]);
  assert.deepEqual(itemsInPolygon(g, [{ x: 0, y: 0 }, { x: 300, y: 100 }]), [], 'fewer than 3 points');
});

test('a shape looks only at the cells of its bounding box, not at the whole grid', () => {
  const meta = { grid: { cols: 1000, rows: 1000, cell_width: 10, cell_height: 10 }, cells: { length: 1e6 }, items: { id: [] } };
  let reads = 0;
  const g = { cols: 1000, rows: 1000, cellWidth: 10, cellHeight: 10, itemInCell: (c) => (reads++, c) };
  assert.deepEqual(centreBlock(g, 0, 0, 30, 20), { c0: 0, c1: 2, r0: 0, r1: 1 });
  itemsInPolygon(g, [{ x: 500, y: 500 }, { x: 540, y: 500 }, { x: 520, y: 540 }]);
  assert.equal(reads, 4 * 4, `read ${reads} cells of ${meta.cells.length}`);
});

test('tintPixels colours the cells of selected items only', () => {
  const g = grid();
  const px = tintPixels(g.cellOfItem, [0, 4], g.cells.length, [1, 2, 3, 4]);
  assert.deepEqual([...px.slice(8, 12)], [1, 2, 3, 4], 'item 0 is in cell 2');
  assert.equal(px.filter((v) => v).length, 4, 'item 4 is not on the map');
});

test('itemsInExtent takes the occupied cells of a cluster extent, its far column and row excluded', () => {
  const g = grid();
  assert.deepEqual(sorted(itemsInExtent(g, [0, 0, 2, 2])), [1, 2, 3], 'cells 0, 1 (empty), 3 and 4');
  assert.deepEqual(itemsInExtent(g, [2, 0, 3, 1]), [0]);
  assert.deepEqual(sorted(itemsInExtent(g, [0, 0, 9, 9])), [0, 1, 2, 3], 'clamped to the grid');
});

test('clusterMembers takes the images coded with the cluster, and gives way to the extent without codes', () => {
  assert.deepEqual(clusterMembers([1, -1, 0, 1], 1, 4), [0, 3]);
  assert.deepEqual(clusterMembers([1, -1, 0, 1], 0, 4), [2]);
  assert.equal(clusterMembers(undefined, 0, 4), null, 'an older build has no codes');
  assert.equal(clusterMembers([0, 0], 0, 4), null, 'codes for another number of images');
  assert.equal(clusterMembers([0, 0, 0, 0], undefined, 4), null, 'a cluster without its index');
});

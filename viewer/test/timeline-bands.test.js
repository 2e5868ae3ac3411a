import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timelineAxis, timelineGrid } from '../src/arrangement.js';
import { bandExtent, bandItems, bandName, bandOffer } from '../src/timeline-bands.js';

// A timeline of three bands two columns wide, stacked from the top (item: its cell):
//
//   col:    0  1 | 2  3 | 4  5
//   row 0:  0  1 | .  . | 5  6
//   row 1:  2  3 | .  . | .  .
//   row 2:  4  . | .  . | .  .
//          1850–1859  1860–1869  undated
function timeline() {
  const section = {
    grid: { cols: 6, rows: 3, cell_width: 40, cell_height: 30 },
    item_cells: [0, 1, 6, 7, 12, 4, 5],
    axis: [
      { label: '1850–1859', col: 0, cols: 2, count: 5, start: 1850, end: 1859 },
      { label: '1860–1869', col: 2, cols: 2, count: 0, start: 1860, end: 1869 },
      { label: 'undated', col: 4, cols: 2, count: 2, start: null, end: null },
    ],
  };
  const grid = timelineGrid(section, 7);
  return { grid, axis: timelineAxis(section, grid) };
}

test('bandItems are exactly the images in the band’s columns, in every row', () => {
  const { grid, axis } = timeline();
  assert.deepEqual(bandItems(grid, axis[0]), [0, 1, 2, 3, 4]);
  assert.deepEqual(bandItems(grid, axis[1]), []);
  assert.deepEqual(bandItems(grid, axis[2]), [5, 6]);
});

test('bandOffer offers a band’s images, and nothing for an empty band (its label withdraws the Select offer)', () => {
  const { grid, axis } = timeline();
  assert.deepEqual(bandOffer(grid, axis[0]), [0, 1, 2, 3, 4]);
  assert.equal(bandOffer(grid, axis[1]), null);
});

test('bandExtent is the band’s columns down to the lowest row its images fill', () => {
  const { grid, axis } = timeline();
  assert.deepEqual(bandExtent(grid, axis[0]), { col0: 0, row0: 0, col1: 2, row1: 3 });
  assert.deepEqual(bandExtent(grid, axis[2]), { col0: 4, row0: 0, col1: 6, row1: 1 });
});

test('bandExtent of an empty band is its columns in the top row', () => {
  const { grid, axis } = timeline();
  assert.deepEqual(bandExtent(grid, axis[1]), { col0: 2, row0: 0, col1: 4, row1: 1 });
});

test('bandName says the years and how many images the band holds', () => {
  const { axis } = timeline();
  assert.equal(bandName(axis[0]), '1850–1859, 5 images');
  assert.equal(bandName({ ...axis[2], count: 1 }), 'undated, 1 image');
  assert.equal(bandName({ ...axis[0], count: 1234 }), `1850–1859, ${(1234).toLocaleString()} images`);
});

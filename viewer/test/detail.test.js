import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LayerSet,
  detailCandidates,
  detailOf,
  detailPlacement,
  finestRatio,
  levelTiles,
  maxZoomScale,
  overzoomOf,
} from '../src/detail.js';
import { Grid } from '../src/grid.js';
import { sampleMeta } from './fixtures.js';

// Cells are 100 x 50. Item 0 (cell 2) is 400 x 400, item 3 (cell 3) 1000 x 250; others have none.
function withDetail(resize = 'contain') {
  const meta = sampleMeta();
  meta.detail = {
    folder: 'detail/', resize, tile_size: 256, overlap: 1, format: 'jpg',
    width: [400, 0, 0, 1000, 0], height: [400, 0, 0, 250, 0],
  };
  return { meta, grid: new Grid(meta), detail: detailOf(meta, 'https://example.org/c/versions/v1/') };
}

test('detailOf resolves the folder against the version and refuses malformed sections', () => {
  const { detail, meta } = withDetail();
  assert.equal(detail.base, 'https://example.org/c/versions/v1/detail/');
  assert.equal(detail.resize, 'contain');
  assert.equal(detailOf(sampleMeta(), 'https://example.org/'), null);
  meta.detail.width = [1, 2];
  assert.equal(detailOf(meta, 'https://example.org/'), null);
  meta.detail.width = [0, 0, 0, 0, 0];
  meta.detail.format = 'svg';
  assert.equal(detailOf(meta, 'https://example.org/'), null);
});

test('contain letterboxes the pyramid in its cell, in whole pixels like the mosaic', () => {
  const { grid, detail } = withDetail('contain');
  // Item 0, square, in the 100 x 50 cell 2 at x 200: 50 x 50, centred.
  assert.deepEqual(detailPlacement(grid, detail, 0), { x: 225, y: 0, width: 50, height: 50, clip: null });
  // Item 3 (4:1) in cell 3 at y 50: 100 x 25, centred vertically (floor of 12.5).
  assert.deepEqual(detailPlacement(grid, detail, 3), { x: 0, y: 62, width: 100, height: 25, clip: null });
});

test('fill covers the cell and clips the pyramid to the cell, in its own pixels', () => {
  const { grid, detail } = withDetail('fill');
  const p = detailPlacement(grid, detail, 0); // scale 0.25: 100 x 100, centred on the 100 x 50 cell
  assert.deepEqual(p, { x: 200, y: -25, width: 100, height: 100, clip: { x: 0, y: 100, width: 400, height: 200 } });
});

test('candidates are items with a pyramid whose picture is in view, nearest the centre first, bounded', () => {
  const { grid, detail } = withDetail();
  const all = { c0: 0, r0: 0, c1: 3, r1: 2 };
  const view = (x0, y0, x1, y1) => ({ x0, y0, x1, y1 });
  assert.deepEqual(detailCandidates(grid, detail, all, view(-100, 50, 100, 150), 8), [3]);
  assert.deepEqual(detailCandidates(grid, detail, all, view(0, 0, 280, 100), 8), [3, 0]);
  assert.deepEqual(detailCandidates(grid, detail, all, view(20, 0, 300, 100), 8), [0, 3]);
  assert.deepEqual(detailCandidates(grid, detail, all, view(0, 0, 280, 100), 1), [3]);
  assert.deepEqual(detailCandidates(grid, detail, all, view(200, -50, 400, 50), 8), [0]);
  // Cell 2's picture is letterboxed to x 225..275: a view on its bar alone shows none of it.
  assert.deepEqual(detailCandidates(grid, detail, all, view(200, 0, 220, 50), 8), []);
  assert.deepEqual(detailCandidates(grid, detail, { c0: 1, r0: 0, c1: 2, r1: 2 }, view(0, 0, 300, 100), 8), []);
  assert.deepEqual(detailCandidates(grid, null, all, view(0, 0, 300, 100), 8), []);
});

test('the zoom limit follows the finest pixels in view, never below one cell filling the view', () => {
  const { grid, detail } = withDetail();
  // Item 0 is drawn 50 px wide from 400 px: 8 real pixels per map pixel; item 3: 10.
  assert.equal(maxZoomScale(grid, detail, { c0: 2, r0: 0, c1: 3, r1: 1 }), 8);
  assert.equal(maxZoomScale(grid, detail, { c0: 0, r0: 0, c1: 3, r1: 2 }), 10);
  assert.equal(maxZoomScale(grid, detail, { c0: 2, r0: 0, c1: 3, r1: 1 }, { overzoom: 2 }), 16);
  // A cell without a pyramid: its own pixels (1), unless a cell filling the view needs more.
  assert.equal(maxZoomScale(grid, detail, { c0: 1, r0: 0, c1: 2, r1: 1 }), 1);
  assert.equal(maxZoomScale(grid, detail, { c0: 1, r0: 0, c1: 2, r1: 1 }, { fitCell: 6 }), 6);
  // Too many cells to look at: the collection's finest stands in.
  assert.equal(finestRatio(grid, detail), 10);
  assert.equal(maxZoomScale(grid, detail, { c0: 0, r0: 0, c1: 3, r1: 2 }, { maxCells: 2, finest: 10 }), 10);
});

test('the layer set opens what is wanted and evicts the least recently wanted beyond its limit', () => {
  const set = new LayerSet(2);
  assert.deepEqual(set.want([1, 2, 3]), { open: [1, 2], close: [] });
  assert.deepEqual(set.want([2]), { open: [], close: [] });
  assert.deepEqual(set.want([4]), { open: [4], close: [1] }); // 1 was wanted least recently
  assert.ok(set.has(2) && set.has(4) && !set.has(1));
  assert.deepEqual(set.clear().sort(), [2, 4]);
  assert.deepEqual(set.want([5]), { open: [5], close: [] });
});

test('levelTiles picks the first level as wide as asked, with each tile placed overlap included', () => {
  const { detail } = withDetail();
  // 1000 x 250: levels 0..10; level 9 is 500 x 125, level 10 the full size.
  const level = levelTiles(detail, 3, 300);
  assert.equal(level.level, 9);
  assert.deepEqual([level.width, level.height], [500, 125]);
  assert.deepEqual(level.tiles.map((t) => [t.path, t.x, t.y]), [
    ['3_files/9/0_0.jpg', 0, 0],
    ['3_files/9/1_0.jpg', 255, 0],
  ]);
  assert.equal(levelTiles(detail, 3, 5000).level, 10); // never past the full size
});

test('overzoom is read from the query, 1 by default, at most 16', () => {
  assert.equal(overzoomOf(''), 1);
  assert.equal(overzoomOf('?overzoom=4'), 4);
  assert.equal(overzoomOf('?overzoom=100'), 16);
  assert.equal(overzoomOf('?overzoom=x'), 1);
  assert.equal(overzoomOf('?overzoom=0.5'), 1);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitBox, levelFor, tilePieces } from '../src/tile-crop.js';

// A 1000 × 600 image in 256 px tiles with 1 px overlap: levels 0..10, level 10 full size.
const DZI = { width: 1000, height: 600, tileSize: 256, overlap: 1, maxLevel: 10 };

test('the level is the lowest at which the rectangle is wide enough', () => {
  assert.equal(levelFor(DZI, 160, 160), 10);
  assert.equal(levelFor(DZI, 160, 80), 9);
  assert.equal(levelFor(DZI, 160, 72), 9);
  assert.equal(levelFor(DZI, 160, 40), 8);
  assert.equal(levelFor(DZI, 160, 1000), 10); // never beyond full resolution
  assert.equal(levelFor(DZI, 1, 1e-6), 0);
});

test('a rectangle inside one tile is one piece, offset by the overlap after the first column and row', () => {
  assert.deepEqual(tilePieces(DZI, { x: 10, y: 20, w: 100, h: 50 }, 10), [
    { x: 0, y: 0, sx: 10, sy: 20, sw: 100, sh: 50, fx: 0, fy: 0, fw: 1, fh: 1 },
  ]);
  const [piece] = tilePieces(DZI, { x: 300, y: 270, w: 100, h: 50 }, 10);
  assert.deepEqual([piece.x, piece.y, piece.sx, piece.sy], [1, 1, 45, 15]);
});

test('a rectangle across tile edges is cut into pieces that tile it exactly', () => {
  const pieces = tilePieces(DZI, { x: 160, y: 240, w: 160, h: 120 }, 10);
  assert.deepEqual(pieces.map((p) => [p.x, p.y]), [[0, 0], [1, 0], [0, 1], [1, 1]]);
  const [a, b, c, d] = pieces;
  assert.deepEqual([a.sx, a.sy, a.sw, a.sh], [160, 240, 96, 16]);
  assert.deepEqual([b.sx, b.sw, c.sy, c.sh, d.sx, d.sy], [1, 64, 1, 104, 1, 1]);
  const area = pieces.reduce((sum, p) => sum + p.fw * p.fh, 0);
  assert.ok(Math.abs(area - 1) < 1e-12);
  assert.deepEqual([b.fx, c.fy], [96 / 160, 16 / 120]);
});

test('at a lower level the rectangle is scaled and clipped to the level', () => {
  const pieces = tilePieces(DZI, { x: 900, y: 500, w: 160, h: 120 }, 9);
  assert.deepEqual(pieces.map((p) => [p.x, p.y, p.sx, p.sy, p.sw, p.sh]), [
    [1, 0, 195, 250, 50, 6],
    [1, 1, 195, 1, 50, 44],
  ]);
  assert.deepEqual(tilePieces(DZI, { x: 2000, y: 0, w: 10, h: 10 }, 10), []);
});

test('thumbnail boxes keep the cell aspect ratio', () => {
  assert.deepEqual(fitBox(160, 120, 72), { width: 72, height: 54 });
  assert.deepEqual(fitBox(120, 160, 72), { width: 54, height: 72 });
  assert.deepEqual(fitBox(1, 1000, 72), { width: 1, height: 72 });
});

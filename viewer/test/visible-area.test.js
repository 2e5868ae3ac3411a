import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitView, revealView, visibleArea } from '../src/visible-area.js';

const SIZE = { width: 400, height: 800 }; // a phone's map
const WHOLE = { x: 0, y: 0, width: 400, height: 800 };

test('visibleArea is the whole map when nothing lies over it', () => {
  assert.deepEqual(visibleArea(SIZE, []), WHOLE);
  assert.deepEqual(visibleArea(SIZE, [null]), WHOLE);
  // A side panel beside the map (desktop: the map shrinks instead) covers none of it.
  assert.deepEqual(visibleArea(SIZE, [{ left: 400, top: 0, right: 750, bottom: 800 }]), WHOLE);
});

test('visibleArea leaves the part above a bottom sheet and beside a side overlay', () => {
  const sheet = { left: 0, top: 440, right: 400, bottom: 800 };
  assert.deepEqual(visibleArea(SIZE, [sheet]), { x: 0, y: 0, width: 400, height: 440 });
  const side = { left: 250, top: 0, right: 400, bottom: 800 };
  assert.deepEqual(visibleArea(SIZE, [side]), { x: 0, y: 0, width: 250, height: 800 });
});

test('visibleArea takes every cover in turn: a list on top and a sheet below leave the middle', () => {
  const list = { left: 0, top: -10, right: 400, bottom: 200 };
  const sheet = { left: 0, top: 440, right: 400, bottom: 900 };
  assert.deepEqual(visibleArea(SIZE, [list, sheet]), { x: 0, y: 200, width: 400, height: 240 });
});

// The current view: viewport units 0..1 wide, 2 high on the 400 x 800 px map (400 px per unit).
const VIEW = { x: 0, y: 0, width: 1, height: 2 };

test('revealView is null when the rectangle is already inside the visible area', () => {
  const visible = { x: 0, y: 0, width: 400, height: 440 };
  assert.equal(revealView(VIEW, SIZE, visible, { x: 0.25, y: 0.25, width: 0.25, height: 0.25 }, 8), null);
});

test('revealView pans by the least that brings the rectangle above the sheet, keeping the zoom', () => {
  const visible = { x: 0, y: 0, width: 400, height: 440 };
  // The cell spans 600..700 px: it must move up by 700 - (440 - 8) = 268 px = 0.67 units.
  const view = revealView(VIEW, SIZE, visible, { x: 0.25, y: 1.5, width: 0.25, height: 0.25 }, 8);
  assert.equal(view.width, 1);
  assert.equal(view.height, 2);
  assert.equal(view.x, 0);
  assert.ok(Math.abs(view.y - 268 / 400) < 1e-12, view.y);
});

test('revealView pans left and up alike when the rectangle sticks out past the top left', () => {
  const visible = { x: 100, y: 0, width: 300, height: 800 };
  const view = revealView(VIEW, SIZE, visible, { x: 0, y: -0.1, width: 0.25, height: 0.25 }, 0);
  assert.ok(Math.abs(view.x - -0.25) < 1e-12 && Math.abs(view.y - -0.1) < 1e-12, view);
});

test('revealView zooms out (fits) only when the rectangle is larger than the visible area', () => {
  const visible = { x: 0, y: 0, width: 400, height: 400 };
  const rect = { x: 0, y: 0, width: 1, height: 1.5 }; // 600 px high: too high for 400 px
  const view = revealView(VIEW, SIZE, visible, rect, 0);
  assert.deepEqual(view, fitView(VIEW, SIZE, visible, rect, 0));
  assert.ok(view.width > VIEW.width);
});

test('fitView puts the rectangle in the middle of the visible area, as large as fits', () => {
  const visible = { x: 0, y: 0, width: 400, height: 400 };
  const rect = { x: 2, y: 3, width: 0.5, height: 0.25 }; // twice as wide as high: 400 px wide fits
  const view = fitView(VIEW, SIZE, visible, rect, 0);
  const ppu = SIZE.width / view.width;
  assert.ok(Math.abs(ppu - 800) < 1e-9, ppu);
  // The rectangle's centre lands on the visible area's centre (200, 200) in pixels.
  assert.ok(Math.abs((2.25 - view.x) * ppu - 200) < 1e-9 && Math.abs((3.125 - view.y) * ppu - 200) < 1e-9);
  assert.ok(Math.abs(view.height / view.width - 2) < 1e-12); // the map's aspect ratio
  // With a margin the rectangle keeps that many pixels from the visible area's sides.
  assert.ok(Math.abs(SIZE.width / fitView(VIEW, SIZE, visible, rect, 20).width - 720) < 1e-9);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FADE_END, FADE_START, LABEL_GAP, clusterGeometry, labelOpacity, placeLabels, validClusters } from '../src/labels.js';

const GRID = { cols: 10, rows: 5, cellWidth: 100, cellHeight: 50 };

test('labels are opaque at low zoom, fade as the visitor zooms in, and are gone when close', () => {
  assert.equal(labelOpacity(1), 1);
  assert.equal(labelOpacity(FADE_START), 1);
  assert.ok(Math.abs(labelOpacity(Math.sqrt(FADE_START * FADE_END)) - 0.5) < 1e-12);
  assert.ok(labelOpacity(3) > labelOpacity(5));
  assert.equal(labelOpacity(FADE_END), 0);
  assert.equal(labelOpacity(100), 0);
  assert.equal(labelOpacity(NaN), 1);
});

test('a cluster is placed in image pixels: the top edge of its label cell and its extent', () => {
  const { point, rect } = clusterGeometry({ col: 2, row: 1, extent: [1, 0, 4, 3] }, GRID);
  assert.deepEqual(point, { x: 250, y: 50 });
  assert.deepEqual(rect, { x: 100, y: 0, width: 300, height: 150 });
});

test('malformed clusters are left out', () => {
  const good = { label: 'Amphora', size: 3, col: 2, row: 1, extent: [1, 0, 4, 3] };
  const clusters = [
    good,
    { ...good, label: '' },
    { ...good, size: 0 },
    { ...good, col: 10 },
    { ...good, extent: [3, 0, 4, 3] }, // its label cell outside its extent
    { ...good, extent: [1, 0, 11, 3] },
    { ...good, extent: 'x' },
    null,
  ];
  assert.deepEqual(validClusters(clusters, GRID), [good]);
  assert.deepEqual(validClusters(undefined, GRID), []);
});

test('overlapping labels: the larger cluster is shown, the smaller hidden', () => {
  const labels = [
    { x: 100, y: 100, width: 80, height: 20, size: 5 },
    { x: 120, y: 105, width: 80, height: 20, size: 50 },
    { x: 300, y: 100, width: 80, height: 20, size: 1 },
  ];
  assert.deepEqual(placeLabels(labels, { width: 500, height: 300 }), [false, true, true]);
});

test('labels keep a gap between them and stay inside the map', () => {
  const a = { x: 100, y: 100, width: 80, height: 20, size: 2 };
  const near = { ...a, x: a.x + a.width + LABEL_GAP - 1, size: 1 };
  const apart = { ...a, x: a.x + a.width + LABEL_GAP, size: 1 };
  assert.deepEqual(placeLabels([a, near], { width: 500, height: 300 }), [true, false]);
  assert.deepEqual(placeLabels([a, apart], { width: 500, height: 300 }), [true, true]);
  const edge = { x: 30, y: 100, width: 80, height: 20, size: 1 };
  assert.deepEqual(placeLabels([edge], { width: 500, height: 300 }), [false]);
});

test('no two shown labels overlap, whatever their number', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const labels = Array.from({ length: 200 }, () => ({
    x: random() * 800, y: random() * 600, width: 40 + random() * 100, height: 22, size: Math.ceil(random() * 100),
  }));
  const shown = placeLabels(labels, { width: 800, height: 600 }).flatMap((s, i) => (s ? [labels[i]] : []));
  assert.ok(shown.length > 5);
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      const a = shown[i];
      const b = shown[j];
      const apartX = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 + LABEL_GAP;
      const apartY = Math.abs(a.y - b.y) >= (a.height + b.height) / 2 + LABEL_GAP;
      assert.ok(apartX || apartY, `labels ${i} and ${j} overlap`);
    }
  }
});

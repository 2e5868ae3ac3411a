import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIMILARITY, TIMELINE, axisGeometry, bandAt, hasTimeline, timelineAxis, timelineGrid } from '../src/arrangement.js';
import { formatHash, parseHash, parseView } from '../src/deeplink.js';

/** Five items in three one-column bands (1850, 1851, undated) of two rows. */
const section = () => ({
  field: 'date',
  grid: { cols: 3, rows: 2, cell_width: 100, cell_height: 50 },
  image: { dzi: 'timeline/tiles.dzi', width: 300, height: 100 },
  item_cells: [0, 3, 1, 2, 5],
  axis: [
    { label: '1850', col: 0, cols: 1, count: 2, start: 1850, end: 1850 },
    { label: '1851', col: 1, cols: 1, count: 1, start: 1851, end: 1851 },
    { label: 'undated', col: 2, cols: 1, count: 2, start: null, end: null },
  ],
});

test('hasTimeline needs arrangements.timeline.path, a plain JSON file name', () => {
  assert.equal(hasTimeline({ arrangements: { timeline: { path: 'timeline.json' } } }), true);
  assert.equal(hasTimeline({}), false);
  assert.equal(hasTimeline({ arrangements: { timeline: { path: '../x.json' } } }), false);
  assert.equal(hasTimeline({ arrangements: { timeline: { path: 'https://evil.example/t.json' } } }), false);
});

test('timelineGrid inverts item_cells into a Grid the map hit-tests', () => {
  const grid = timelineGrid(section(), 5);
  assert.deepEqual([...grid.cells], [0, 2, 3, 1, -1, 4]);
  assert.deepEqual([...grid.cellOfItem], [0, 3, 1, 2, 5]);
  assert.equal(grid.itemInCell(grid.cellAt(150, 10)), 2);
  assert.equal(grid.cellWidth, 100);
});

test('timelineGrid refuses a file that does not fit the collection', () => {
  assert.throws(() => timelineGrid(section(), 6), /item_cells must hold 6/);
  const offGrid = section();
  offGrid.item_cells[4] = 6;
  assert.throws(() => timelineGrid(offGrid, 5), /item 4 has no cell/);
  const shared = section();
  shared.item_cells[4] = 0;
  assert.throws(() => timelineGrid(shared, 5), /item 4 has no cell/);
  assert.throws(() => timelineGrid({ ...section(), grid: { cols: 0 } }, 5), /invalid grid/);
});

test('timelineAxis keeps well-formed bands on the grid; bandAt finds a column band', () => {
  const s = section();
  s.axis.push({ label: 'past the grid', col: 3, cols: 1, count: 0, start: 1, end: 1 }, { col: 0 });
  const grid = timelineGrid(s, 5);
  const axis = timelineAxis(s, grid);
  assert.deepEqual(axis.map((b) => b.label), ['1850', '1851', 'undated']);
  assert.equal(bandAt(axis, 1).label, '1851');
  assert.equal(bandAt(axis, 2).start, null);
  assert.equal(bandAt(axis, 7), null);
});

test('axisGeometry centres each label over its band and puts the undated label first', () => {
  const s = section();
  const grid = timelineGrid(s, 5);
  assert.deepEqual(axisGeometry(timelineAxis(s, grid), grid), [
    { x: 50, y: 0, priority: 1 },
    { x: 150, y: 0, priority: 1 },
    { x: 250, y: 0, priority: 2 },
  ]);
});

test('view=timeline in the link: written only for another arrangement than the default', () => {
  assert.equal(SIMILARITY, 'similarity');
  assert.equal(parseView(formatHash({ item: '4', view: TIMELINE })), TIMELINE);
  assert.equal(formatHash({ item: '4', q: 'red', view: TIMELINE }), '#item=4&q=red&view=timeline');
  assert.equal(formatHash({ item: '4', view: null }), '#item=4');
  assert.equal(parseView('#item=4'), null);
  assert.deepEqual(parseHash('#item=4&view=timeline'), { item: '4', q: '' });
});

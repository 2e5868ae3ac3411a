// The map's arrangements: "similarity" (metadata.json's grid) and, where the collection has one,
// "timeline" (timeline.json, loaded on the first switch: its grid, each item's cell and the axis
// of years). Pure: no DOM; the caller fetches and converts coordinates.

import { Grid } from './grid.js';

/** The arrangement every collection has, and the one `view=timeline` names. */
export const SIMILARITY = 'similarity';
export const TIMELINE = 'timeline';

/** Whether the collection has a timeline (metadata `arrangements.timeline.path`, a plain file name). */
export function hasTimeline(meta) {
  const t = meta && meta.arrangements && meta.arrangements.timeline;
  return Boolean(t && typeof t.path === 'string' && /^[^/\\]+\.json$/.test(t.path));
}

/**
 * The timeline's Grid from timeline.json: `item_cells` (each item's cell, in `items` order) turned
 * into the row-major `cells` a Grid reads. Throws a readable Error where the file does not fit
 * the collection (another length, a cell off the grid, two items in one cell).
 * @param {{grid: {cols: number, rows: number, cell_width: number, cell_height: number},
 *   item_cells: number[]}} section
 * @param {number} items  how many items the collection has
 */
export function timelineGrid(section, items) {
  const g = section && section.grid;
  if (!g || !(g.cols > 0) || !(g.rows > 0) || !(g.cell_width > 0) || !(g.cell_height > 0)) {
    throw new Error('timeline.json: invalid grid');
  }
  const itemCells = section.item_cells;
  if (!Array.isArray(itemCells) || itemCells.length !== items) {
    throw new Error(`timeline.json: item_cells must hold ${items} cells`);
  }
  const cells = new Int32Array(g.cols * g.rows).fill(-1);
  itemCells.forEach((cell, item) => {
    if (!Number.isInteger(cell) || cell < 0 || cell >= cells.length || cells[cell] !== -1) {
      throw new Error(`timeline.json: item ${item} has no cell of its own`);
    }
    cells[cell] = item;
  });
  return new Grid({ grid: g, cells, items: { id: { length: items } } }); // a Grid reads only the item count
}

/**
 * The axis of the timeline: one entry per band of columns, left to right, with its label, its
 * first column and width in columns, its image count and years (null for the undated band).
 * Malformed entries are left out.
 * @returns {{label: string, col: number, cols: number, count: number, start: number | null, end: number | null}[]}
 */
export function timelineAxis(section, grid) {
  const axis = Array.isArray(section && section.axis) ? section.axis : [];
  return axis.filter(
    (b) =>
      b && typeof b.label === 'string' && b.label && Number.isInteger(b.col) && Number.isInteger(b.cols) &&
      b.cols > 0 && b.col >= 0 && b.col + b.cols <= grid.cols,
  );
}

/** The band (an axis entry) whose columns hold cell column `col`, or null. */
export function bandAt(axis, col) {
  return axis.find((b) => b.col <= col && col < b.col + b.cols) || null;
}

/**
 * Where each band's label goes, in image pixels of the grid: centred over its columns, on the
 * grid's top edge. `priority`: the undated band's label is placed first (it is always worth
 * showing), then the others from the left, so labels that would collide thin out evenly.
 */
export function axisGeometry(axis, grid) {
  return axis.map((b) => ({
    x: (b.col + b.cols / 2) * grid.cellWidth,
    y: 0,
    priority: b.start === null ? 2 : 1,
  }));
}

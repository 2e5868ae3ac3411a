// Where the view goes to show a result set: the block of cells its items fill, with room around
// it, never smaller than a few cells and never past the map. Pure: grid image pixels in and out.

/** Room around framed results on every side, as a share of their extent's longer side. */
const FRAME_MARGIN = 0.1;
/** A framed extent is at least this many cells wide and high: one result is shown among its neighbours. */
const MIN_FRAME_CELLS = 3;

/**
 * The block of cells holding `items` (end exclusive), or null when none of them is on the map.
 * @param {{cols: number, cellOfItem: ArrayLike<number>}} grid
 * @param {ArrayLike<number> | null} items  item indices (a result set)
 * @returns {{col0: number, row0: number, col1: number, row1: number} | null}
 */
export function cellExtent(grid, items) {
  if (!items) return null;
  let [col0, row0, col1, row1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < items.length; i++) {
    const cell = grid.cellOfItem[items[i]];
    if (!(cell >= 0)) continue;
    const col = cell % grid.cols;
    const row = (cell - col) / grid.cols;
    if (col < col0) col0 = col;
    if (col > col1) col1 = col;
    if (row < row0) row0 = row;
    if (row > row1) row1 = row;
  }
  return col1 < 0 ? null : { col0, row0, col1: col1 + 1, row1: row1 + 1 };
}

/** `[start, length]` grown to at least `min` around its middle, then moved (or cut) to lie in [0, max]. */
function fitSpan(start, length, min, max) {
  const wanted = Math.min(Math.max(length, min), max);
  const s = start + length / 2 - wanted / 2;
  return [Math.min(Math.max(s, 0), max - wanted), wanted];
}

/**
 * The rectangle of the map (grid image pixels) that shows `extent`: grown by `margin` of its
 * longer side on every side, at least `minCells` cells wide and high, inside the map.
 * @param {{cols: number, rows: number, cellWidth: number, cellHeight: number}} grid
 * @param {{col0: number, row0: number, col1: number, row1: number}} extent  from `cellExtent`
 * @param {{margin?: number, minCells?: number}} [options]
 * @returns {{x: number, y: number, width: number, height: number}}
 */
export function frameRect(grid, extent, { margin = FRAME_MARGIN, minCells = MIN_FRAME_CELLS } = {}) {
  const { cellWidth: w, cellHeight: h } = grid;
  const width = (extent.col1 - extent.col0) * w;
  const height = (extent.row1 - extent.row0) * h;
  const pad = Math.max(width, height) * margin;
  const [x, fw] = fitSpan(extent.col0 * w - pad, width + 2 * pad, minCells * w, grid.cols * w);
  const [y, fh] = fitSpan(extent.row0 * h - pad, height + 2 * pad, minCells * h, grid.rows * h);
  return { x, y, width: fw, height: fh };
}

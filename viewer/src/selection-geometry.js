// Which items a rectangle or a lasso on the map takes: those whose cell centre lies inside it.
// Only the cells in the shape's bounding box are looked at, whatever the size of the map. Pure:
// shapes come in the grid's image pixels (metadata pixels, see grid.js).

/** @typedef {{x: number, y: number}} Point */

/**
 * Whether (x, y) lies inside the polygon `points` (closed implicitly; even-odd rule, so a lasso
 * that crosses itself leaves its inner loops out, as SVG's `evenodd` fill draws it).
 * @param {number} x
 * @param {number} y
 * @param {Point[]} points
 */
export function pointInPolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[i];
    const b = points[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * The columns and rows of the cells whose centres may lie in [x0, x1] × [y0, y1], clamped to
 * the grid: the only cells a shape with that bounding box has to test.
 * @param {import('./grid.js').Grid} grid
 */
export function centreBlock(grid, x0, y0, x1, y1) {
  const { cellWidth: w, cellHeight: h } = grid;
  return {
    c0: Math.max(0, Math.ceil(x0 / w - 0.5)),
    c1: Math.min(grid.cols - 1, Math.floor(x1 / w - 0.5)),
    r0: Math.max(0, Math.ceil(y0 / h - 0.5)),
    r1: Math.min(grid.rows - 1, Math.floor(y1 / h - 0.5)),
  };
}

/** The occupied cells' items in `block` whose centre passes `inside(x, y)`, in cell order. */
function itemsInBlock(grid, block, inside) {
  const found = [];
  for (let r = block.r0; r <= block.r1; r++) {
    const y = (r + 0.5) * grid.cellHeight;
    for (let c = block.c0; c <= block.c1; c++) {
      const item = grid.itemInCell(r * grid.cols + c);
      if (item >= 0 && inside((c + 0.5) * grid.cellWidth, y)) found.push(item);
    }
  }
  return found;
}

/**
 * The items whose cell centres lie in the rectangle between corners `a` and `b` (any two
 * opposite corners, edges included).
 * @param {import('./grid.js').Grid} grid
 * @param {Point} a
 * @param {Point} b
 * @returns {number[]}
 */
export function itemsInRect(grid, a, b) {
  const block = centreBlock(grid, Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y));
  return itemsInBlock(grid, block, () => true);
}

/**
 * The items whose cell centres lie inside the lasso `points` (at least 3).
 * @param {import('./grid.js').Grid} grid
 * @param {Point[]} points
 * @returns {number[]}
 */
export function itemsInPolygon(grid, points) {
  if (points.length < 3) return [];
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const block = centreBlock(grid, Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  return itemsInBlock(grid, block, (x, y) => pointInPolygon(x, y, points));
}

/**
 * The members of the cluster listed `index`-th in the metadata (`cluster_codes`: each image's
 * cluster as its place in `clusters`, -1 for none), or null where the metadata has no codes for
 * `itemCount` images (an older build: the caller falls back to the cluster's extent).
 * @param {unknown} codes
 * @param {number} index
 * @param {number} itemCount
 * @returns {number[] | null}
 */
export function clusterMembers(codes, index, itemCount) {
  if (!Array.isArray(codes) || codes.length !== itemCount || !Number.isInteger(index) || index < 0) return null;
  const items = [];
  for (let i = 0; i < itemCount; i++) if (codes[i] === index) items.push(i);
  return items;
}

/**
 * The items in a cluster's extent (metadata `clusters[i].extent`, `[col0, row0, col1, row1]` in
 * cells, `col1` and `row1` exclusive): what "Select" on a cluster label takes where the metadata
 * has no `cluster_codes`.
 * @param {import('./grid.js').Grid} grid
 * @param {number[]} extent
 */
export function itemsInExtent(grid, extent) {
  const [col0, row0, col1, row1] = extent;
  return itemsInBlock(grid, { c0: Math.max(0, col0), r0: Math.max(0, row0), c1: Math.min(grid.cols, col1) - 1, r1: Math.min(grid.rows, row1) - 1 }, () => true);
}

/** Tint over selected cells: the selection layer's colour (the accent, translucent). */
export const TINT_RGBA = [255, 210, 74, 110];

/** RGBA pixels, row-major, one per cell: `rgba` on the cells of selected items, else transparent. */
export function tintPixels(cellOfItem, items, cellCount, rgba = TINT_RGBA) {
  const data = new Uint8ClampedArray(cellCount * 4);
  for (const item of items) {
    const cell = cellOfItem[item];
    if (cell >= 0) data.set(rgba, cell * 4);
  }
  return data;
}

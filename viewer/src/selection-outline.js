// The outline of the selection on the map: the edges between selected and other cells, so that
// the selection shows on any colour (a tint alone is faint on orange and yellow objects). Pure:
// the edges are found once per selection, in cells, and each frame takes only those in view.

/**
 * The selection's boundary as runs of cell edges, grouped so that a frame reads only the rows
 * and columns in view. `h` holds a run of horizontal edges as RUN numbers: columns [c0, c1) of the
 * line above cell row y (y = rows: the bottom of the grid), the selected cells below it (side 1)
 * or above it (-1), and whether the selected cell before c0, and the one at c1, on that side is
 * selected too (1: an inner corner, where the line goes on past the run's end to meet the next);
 * those of line y run from run hStart[y] to hStart[y + 1]. `v` likewise for vertical edges, by
 * the line left of cell column x, from vStart[x] (side 1: the selected cells are right of it).
 * @typedef {{h: Int32Array, hStart: Int32Array, v: Int32Array, vStart: Int32Array}} Outline
 */

/** Numbers per run: from, to, side, inner corner before, inner corner after. */
const RUN = 5;

/**
 * The edges between the selected cells and the others (or the grid's border), merged into runs.
 * @param {ArrayLike<number>} cellOfItem  each item's cell, -1 for none
 * @param {Iterable<number>} items  the selected items
 * @param {number} cols
 * @param {number} rows
 * @returns {Outline}
 */
export function outlineOf(cellOfItem, items, cols, rows) {
  const on = new Uint8Array(cols * rows);
  for (const item of items) {
    const cell = cellOfItem[item];
    if (cell >= 0) on[cell] = 1;
  }
  const at = (c, r) => (c >= 0 && r >= 0 && c < cols && r < rows ? on[r * cols + c] : 0);
  const h = runsAlong(rows + 1, cols, (y, c) => at(c, y) - at(c, y - 1), (y, c, side) => at(c, side > 0 ? y : y - 1));
  const v = runsAlong(cols + 1, rows, (x, r) => at(x, r) - at(x - 1, r), (x, r, side) => at(side > 0 ? x : x - 1, r));
  return { h: h.runs, hStart: h.start, v: v.runs, vStart: v.start };
}

/**
 * Runs of `length` positions along each of `lines` lines where `side(line, i)` (1, -1, or 0 for
 * no edge) stays the same and is not 0, with `selected(line, i, side)`, whether the cell at i on
 * that side of the line is selected, just before and just after each run (Outline's RUN numbers).
 */
function runsAlong(lines, length, side, selected) {
  const runs = [];
  const start = new Int32Array(lines + 1);
  for (let line = 0; line < lines; line++) {
    start[line] = runs.length / RUN;
    let from = 0;
    let current = 0;
    for (let i = 0; i <= length; i++) {
      const here = i < length ? side(line, i) : 0;
      if (here === current) continue;
      if (current !== 0) runs.push(from, i, current, selected(line, from - 1, current), selected(line, i, current));
      from = i;
      current = here;
    }
  }
  start[lines] = runs.length / RUN;
  return { runs: Int32Array.from(runs), start };
}

/**
 * The outline's segments within the block of cells [c0, c1) x [r0, r1) (mask.js visibleCells),
 * clipped to it, as x0, y0, x1, y1 in the map element's pixels, each moved `inset` pixels into
 * the selected cells and ending where it meets the next, `inset` short of an outer corner and
 * past an inner one: a path through the middle of a line twice `inset` wide that covers the
 * selected images, never others (drawn with square ends; a thinner one along it with butt ends).
 * @param {Outline} outline
 * @param {{c0: number, r0: number, c1: number, r1: number}} block
 * @param {{x: number, y: number}} origin  where the grid's top left corner is on the screen
 * @param {{x: number, y: number}} cell  a cell's size on the screen
 * @param {number} [inset]
 * @returns {Float64Array}
 */
export function outlineSegments(outline, block, origin, cell, inset = 0) {
  const out = [];
  const { c0, r0, c1, r1 } = block;
  const { h, v } = outline;
  for (let y = r0; y <= r1; y++) {
    for (let i = RUN * outline.hStart[y]; i < RUN * outline.hStart[y + 1]; i += RUN) {
      const [a, b] = [Math.max(c0, h[i]), Math.min(c1, h[i + 1])];
      const py = origin.y + y * cell.y + h[i + 2] * inset;
      if (a < b) out.push(origin.x + a * cell.x - (2 * h[i + 3] - 1) * inset, py, origin.x + b * cell.x + (2 * h[i + 4] - 1) * inset, py);
    }
  }
  for (let x = c0; x <= c1; x++) {
    for (let i = RUN * outline.vStart[x]; i < RUN * outline.vStart[x + 1]; i += RUN) {
      const [a, b] = [Math.max(r0, v[i]), Math.min(r1, v[i + 1])];
      const px = origin.x + x * cell.x + v[i + 2] * inset;
      if (a < b) out.push(px, origin.y + a * cell.y - (2 * v[i + 3] - 1) * inset, px, origin.y + b * cell.y + (2 * v[i + 4] - 1) * inset);
    }
  }
  return Float64Array.from(out);
}

/**
 * The outline's line widths (pixels) for cells `cellPixels` wide on the screen: a dark line and a
 * light one along its middle, a third as wide, so that it shows on light and dark images alike;
 * thinner on small cells, none where cells are too small to tell apart (the tint shows the
 * selection there).
 * @param {number} cellPixels
 * @returns {{dark: number, light: number} | null}
 */
export function outlineWidths(cellPixels) {
  if (cellPixels < 12) return null; // so at most 107 x 67 cells' edges are drawn on a 1280 x 800 map
  const dark = Math.max(1.5, Math.min(6, cellPixels / 8));
  return { dark, light: Math.max(0.75, dark / 3) };
}

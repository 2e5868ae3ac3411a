// A band of the timeline (an axis entry of arrangement.js timelineAxis) as something to act on:
// the images in its columns, the block of cells it frames and the name its label button has.
// Pure: no DOM; cells of the timeline's Grid in and out.

import { cellExtent } from './framing.js';
import { imageCount } from './counts.js';
import { itemsInExtent } from './selection-geometry.js';

/** The accessible name of a band's label button: its years (or "undated") and its image count. */
export function bandName(band) {
  return `${band.label}, ${imageCount(band.count)}`;
}

/**
 * The items whose cells lie in the band's columns (all rows), in row-major order: what "Select"
 * on a band takes.
 * @param {import('./grid.js').Grid} grid  the timeline's grid
 * @param {{col: number, cols: number}} band
 * @returns {number[]}
 */
export function bandItems(grid, band) {
  return itemsInExtent(grid, [band.col, 0, band.col + band.cols, grid.rows]);
}

/**
 * What activating a band's label offers to select: its items (bandItems), or null for a band
 * without images, which withdraws an earlier offer: there is nothing to select.
 * @param {import('./grid.js').Grid} grid  the timeline's grid
 * @param {{col: number, cols: number}} band
 * @returns {number[] | null}
 */
export function bandOffer(grid, band) {
  const items = bandItems(grid, band);
  return items.length ? items : null;
}

/**
 * The block of cells that shows the band (end exclusive), for framing.js frameRect: its columns,
 * from the top row to the lowest row its images fill (the top row alone for an empty band).
 * @param {import('./grid.js').Grid} grid  the timeline's grid
 * @param {{col: number, cols: number}} band
 * @returns {{col0: number, row0: number, col1: number, row1: number}}
 */
export function bandExtent(grid, band) {
  const filled = cellExtent(grid, bandItems(grid, band));
  return { col0: band.col, row0: 0, col1: band.col + band.cols, row1: filled ? filled.row1 : 1 };
}

// The search mask: one pixel per cell, so dimming costs one drawImage whatever the collection size.

/** Colour over non-matching (and empty) cells while searching. */
export const DIM_RGBA = [8, 8, 12, 200];

/** RGBA pixels, row-major, one per cell: transparent for a match, `rgba` everywhere else. */
export function maskPixels(cells, matches, itemCount, rgba = DIM_RGBA) {
  const matching = new Uint8Array(itemCount);
  for (const i of matches) matching[i] = 1;
  const data = new Uint8ClampedArray(cells.length * 4);
  for (let c = 0; c < cells.length; c++) {
    const item = cells[c];
    if (item >= 0 && matching[item]) continue;
    data.set(rgba, c * 4);
  }
  return data;
}

/**
 * The block of cells [c0, c1) x [r0, r1) covering the image rectangle from `tl` to `br`
 * (pixels, cells `cellWidth` x `cellHeight`), clamped to the grid; null when none is visible.
 */
export function visibleCells(tl, br, cellWidth, cellHeight, cols, rows) {
  const c0 = Math.max(0, Math.floor(tl.x / cellWidth));
  const r0 = Math.max(0, Math.floor(tl.y / cellHeight));
  const c1 = Math.min(cols, Math.ceil(br.x / cellWidth));
  const r1 = Math.min(rows, Math.ceil(br.y / cellHeight));
  return c1 <= c0 || r1 <= r0 ? null : { c0, r0, c1, r1 };
}

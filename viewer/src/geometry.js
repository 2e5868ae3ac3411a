// Arithmetic between the DZI image, the grid and the screen. Pure: callers convert coordinates
// with OpenSeadragon and pass plain {x, y} points here.

/** DZI pixels per metadata image pixel (the pyramid may be rendered at another size). */
export function imageScale(image, dziWidth) {
  return image && image.width ? dziWidth / image.width : 1;
}

/** The item at a DZI image pixel, or -1 (outside the grid or an empty cell). */
export function itemAtImagePoint(grid, scale, p) {
  return grid.itemInCell(grid.cellAt(p.x / scale, p.y / scale));
}

/** The item nearest a DZI image pixel, within a cell of it (see `Grid.nearestItem`). */
export function itemNearImagePoint(grid, scale, p) {
  return grid.nearestItem(p.x / scale, p.y / scale);
}

/** A cell's rectangle in DZI image pixels. */
export function scaledCellRect(grid, scale, cell) {
  const r = grid.cellRect(cell);
  return { x: r.x * scale, y: r.y * scale, w: r.w * scale, h: r.h * scale };
}

/** `r` grown on every side by `fraction` of its longer side: the view around a zoomed-to cell. */
export function padRect(r, fraction) {
  const pad = Math.max(r.width, r.height) * fraction;
  return { x: r.x - pad, y: r.y - pad, width: r.width + 2 * pad, height: r.height + 2 * pad };
}

/**
 * Where the hover label goes (page pixels, rounded): below right of `point` (map-relative),
 * flipped to the other side where it would leave `box`, the map's rectangle on the page.
 */
export function labelPosition(box, point, size) {
  let x = box.left + point.x + 14;
  let y = box.top + point.y + 18;
  if (x + size.width > box.right - 4) x = Math.max(box.left + 4, box.left + point.x - size.width - 14);
  if (y + size.height > box.bottom - 4) y = Math.max(box.top + 4, box.top + point.y - size.height - 14);
  return { x: Math.round(x), y: Math.round(y) };
}

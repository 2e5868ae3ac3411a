// The part of the map the visitor can see past what lies over it (the details panel as a bottom
// sheet, the results list on phones), and the view that puts a rectangle there. Pure: no DOM, no
// OpenSeadragon. A view is the map's visible region in viewport coordinates ({x, y, width,
// height}, OpenSeadragon's getBounds()); areas on screen are in the map element's pixels.

/**
 * The largest rectangle of a `size` map (from (0, 0)) that none of `covers` overlaps: each cover
 * in turn leaves the largest of the strips above, below, left and right of it.
 * @param {{width: number, height: number}} size  the map element's size in pixels
 * @param {({left: number, top: number, right: number, bottom: number} | null)[]} covers  the
 *   elements over the map, in the map's pixels (null: not shown)
 * @returns {{x: number, y: number, width: number, height: number}}
 */
export function visibleArea(size, covers) {
  let area = { x: 0, y: 0, width: size.width, height: size.height };
  for (const c of covers) {
    if (!c) continue;
    const [x0, y0, x1, y1] = [area.x, area.y, area.x + area.width, area.y + area.height];
    const [l, t, r, b] = [Math.max(c.left, x0), Math.max(c.top, y0), Math.min(c.right, x1), Math.min(c.bottom, y1)];
    if (!(r > l && b > t)) continue; // beside the area: covers nothing of it
    const strips = [
      { x: x0, y: y0, width: x1 - x0, height: t - y0 },
      { x: x0, y: b, width: x1 - x0, height: y1 - b },
      { x: x0, y: y0, width: l - x0, height: y1 - y0 },
      { x: r, y: y0, width: x1 - r, height: y1 - y0 },
    ];
    area = strips.reduce((best, s) => (s.width * s.height > best.width * best.height ? s : best));
  }
  return area;
}

/**
 * The view that shows `rect` (viewport coordinates) as large as fits in `visible` with `margin`
 * pixels around it, centred there.
 * @param {{x: number, y: number, width: number, height: number}} view  the current view
 * @param {{width: number, height: number}} size  the map element's size in pixels
 * @param {{x: number, y: number, width: number, height: number}} visible  from `visibleArea`
 * @param {{x: number, y: number, width: number, height: number}} rect
 * @param {number} [margin]
 */
export function fitView(view, size, visible, rect, margin = 0) {
  const room = (v) => Math.max(1, v - 2 * margin);
  const pixelsPerUnit = Math.min(room(visible.width) / rect.width, room(visible.height) / rect.height);
  const width = size.width / pixelsPerUnit;
  return {
    x: rect.x + rect.width / 2 - (visible.x + visible.width / 2) / pixelsPerUnit,
    y: rect.y + rect.height / 2 - (visible.y + visible.height / 2) / pixelsPerUnit,
    width,
    height: (width * size.height) / size.width,
  };
}

/** How far (pixels) `[a0, a1]` must move to lie in `[v0, v1]`; null when it cannot. */
function shiftInto(a0, a1, v0, v1) {
  if (a1 - a0 > v1 - v0) return null;
  return a0 < v0 ? a0 - v0 : a1 > v1 ? a1 - v1 : 0;
}

/**
 * The view that brings `rect` (viewport coordinates) inside `visible` with `margin` pixels to
 * spare by the smallest pan, at the same zoom; zoomed out (`fitView`) only when it is too large
 * to fit. Null when it is already inside.
 * @param {{x: number, y: number, width: number, height: number}} view  the current view
 * @param {{width: number, height: number}} size  the map element's size in pixels
 * @param {{x: number, y: number, width: number, height: number}} visible  from `visibleArea`
 * @param {{x: number, y: number, width: number, height: number}} rect
 * @param {number} [margin]
 */
export function revealView(view, size, visible, rect, margin = 0) {
  const ppu = size.width / view.width;
  const px = (rect.x - view.x) * ppu;
  const py = (rect.y - view.y) * ppu;
  const m = Math.min(margin, visible.width / 4, visible.height / 4);
  const dx = shiftInto(px, px + rect.width * ppu, visible.x + m, visible.x + visible.width - m);
  const dy = shiftInto(py, py + rect.height * ppu, visible.y + m, visible.y + visible.height - m);
  if (dx === null || dy === null) return fitView(view, size, visible, rect, m);
  if (dx === 0 && dy === 0) return null;
  return { ...view, x: view.x + dx / ppu, y: view.y + dy / ppu };
}

// Which parts of which Deep Zoom tiles make up a rectangle of the image: how a thumbnail is cut
// from the map's own tiles (the browser has most of them cached already). Pure: no DOM.

/**
 * @typedef {object} DziGeometry  what a Deep Zoom descriptor says (OpenSeadragon's tile source)
 * @property {number} width  full-resolution image width in pixels
 * @property {number} height
 * @property {number} tileSize  tile side without overlap
 * @property {number} overlap  pixels each tile repeats from its neighbours on every inner side
 * @property {number} maxLevel  the full-resolution level: ceil(log2(max(width, height)))
 */

/** The lowest level at which `rectWidth` full-resolution pixels are at least `minWidth` wide. */
export function levelFor(dzi, rectWidth, minWidth) {
  if (!(rectWidth > 0) || !(minWidth > 0)) return dzi.maxLevel;
  const level = dzi.maxLevel + Math.ceil(Math.log2(minWidth / rectWidth) - 1e-9);
  return Math.min(dzi.maxLevel, Math.max(0, level));
}

/**
 * The tile parts covering `rect` (full-resolution pixels {x, y, w, h}) at `level`.
 * @returns {{x: number, y: number, sx: number, sy: number, sw: number, sh: number,
 *   fx: number, fy: number, fw: number, fh: number}[]}  per tile column `x` and row `y`: the
 *   source rectangle in the tile's own image (which starts `overlap` pixels before the tile's
 *   area, except in the first column or row), and where it goes as fractions of `rect`
 */
export function tilePieces(dzi, rect, level) {
  const scale = 2 ** (level - dzi.maxLevel);
  const levelWidth = Math.ceil(dzi.width * scale);
  const levelHeight = Math.ceil(dzi.height * scale);
  const x0 = Math.max(0, rect.x * scale);
  const y0 = Math.max(0, rect.y * scale);
  const x1 = Math.min(levelWidth, (rect.x + rect.w) * scale);
  const y1 = Math.min(levelHeight, (rect.y + rect.h) * scale);
  const pieces = [];
  if (!(x1 > x0 && y1 > y0)) return pieces;
  const t = dzi.tileSize;
  const span = (a0, a1) => [Math.floor(a0 / t), Math.ceil(a1 / t) - 1];
  const [tx0, tx1] = span(x0, x1);
  const [ty0, ty1] = span(y0, y1);
  for (let ty = ty0; ty <= ty1; ty++) {
    for (let tx = tx0; tx <= tx1; tx++) {
      const px0 = Math.max(x0, tx * t);
      const px1 = Math.min(x1, (tx + 1) * t);
      const py0 = Math.max(y0, ty * t);
      const py1 = Math.min(y1, (ty + 1) * t);
      pieces.push({
        x: tx,
        y: ty,
        sx: px0 - tx * t + (tx > 0 ? dzi.overlap : 0),
        sy: py0 - ty * t + (ty > 0 ? dzi.overlap : 0),
        sw: px1 - px0,
        sh: py1 - py0,
        fx: (px0 - x0) / (x1 - x0),
        fy: (py0 - y0) / (y1 - y0),
        fw: (px1 - px0) / (x1 - x0),
        fh: (py1 - py0) / (y1 - y0),
      });
    }
  }
  return pieces;
}

/** A box of at most `max` × `max` with the aspect ratio of `w` × `h` (rounded, at least 1). */
export function fitBox(w, h, max) {
  const s = max / Math.max(w, h, 1e-9);
  return { width: Math.max(1, Math.round(w * s)), height: Math.max(1, Math.round(h * s)) };
}

// Each image's own pyramid (metadata.detail): where it goes over its cell, which are worth
// opening, how far the view may zoom, and the tiles of one level for the details panel.
// Pure: no DOM, no OpenSeadragon. Sizes are in metadata image pixels unless said otherwise.

/**
 * @typedef {object} Detail  metadata.detail, checked, with its folder as an absolute URL
 * @property {string} base  URL of the folder holding `<item>.dzi` and `<item>_files/`
 * @property {'contain' | 'fill'} resize
 * @property {number} tileSize
 * @property {number} overlap
 * @property {string} format
 * @property {number[]} width  per item, 0 where the image has no pyramid
 * @property {number[]} height
 */

/** metadata.detail made usable (relative to the version folder `base`), or null if absent or malformed. */
export function detailOf(meta, base) {
  const d = meta.detail;
  const n = meta.items.id.length;
  if (!d || !Array.isArray(d.width) || !Array.isArray(d.height) || d.width.length !== n || d.height.length !== n) {
    return null;
  }
  if (!(d.tile_size > 0) || !(d.overlap >= 0) || !/^(jpg|jpeg|png|webp)$/.test(String(d.format))) return null;
  return {
    base: new URL(typeof d.folder === 'string' ? d.folder : 'detail/', base).href,
    resize: d.resize === 'fill' ? 'fill' : 'contain',
    tileSize: +d.tile_size,
    overlap: +d.overlap,
    format: String(d.format),
    width: d.width.map((v) => +v || 0),
    height: d.height.map((v) => +v || 0),
  };
}

/** Whether `item` has a pyramid. */
export function hasDetail(detail, item) {
  return !!detail && item >= 0 && detail.width[item] > 0 && detail.height[item] > 0;
}

/**
 * Where `item`'s pyramid goes so that it covers its cell as the mosaic drew it (mosaic/cells.py):
 * `contain` letterboxed (whole pixels, centred), `fill` scaled to cover the cell and cut to it.
 * @returns {{x: number, y: number, width: number, height: number,
 *   clip: {x: number, y: number, width: number, height: number} | null}}
 *   the image's rectangle, and for `fill` the cell in the pyramid's own pixels
 */
export function detailPlacement(grid, detail, item) {
  const cell = grid.cellRect(grid.cellOfItem[item]);
  const w = detail.width[item];
  const h = detail.height[item];
  if (detail.resize === 'fill') {
    const s = Math.max(cell.w / w, cell.h / h);
    const [cw, ch] = [cell.w / s, cell.h / s];
    return {
      x: cell.x + (cell.w - w * s) / 2,
      y: cell.y + (cell.h - h * s) / 2,
      width: w * s,
      height: h * s,
      clip: { x: (w - cw) / 2, y: (h - ch) / 2, width: cw, height: ch },
    };
  }
  const s = Math.min(cell.w / w, cell.h / h);
  const fw = Math.min(cell.w, Math.max(1, Math.round(w * s)));
  const fh = Math.min(cell.h, Math.max(1, Math.round(h * s)));
  return { x: cell.x + Math.floor((cell.w - fw) / 2), y: cell.y + Math.floor((cell.h - fh) / 2), width: fw, height: fh, clip: null };
}

/** Pyramid pixels per metadata pixel where `item` is drawn: how much finer than its cell it is. */
export function detailRatio(grid, detail, item) {
  return detail.width[item] / detailPlacement(grid, detail, item).width;
}

/**
 * The items with a pyramid whose picture lies at least partly in the view `v` ({x0, y0, x1, y1},
 * metadata pixels), in the visible block of cells (mask.js visibleCells), nearest the view's
 * centre first, at most `limit` of them.
 */
export function detailCandidates(grid, detail, block, v, limit) {
  if (!detail || !block) return [];
  const found = [];
  const [cx, cy] = [(v.x0 + v.x1) / 2, (v.y0 + v.y1) / 2];
  for (let r = block.r0; r < block.r1; r++) {
    for (let col = block.c0; col < block.c1; col++) {
      const item = grid.itemInCell(r * grid.cols + col);
      if (!hasDetail(detail, item)) continue;
      // The picture, within its cell (fill crops it to the cell).
      const p = detailPlacement(grid, detail, item);
      const [x0, y0] = [Math.max(p.x, col * grid.cellWidth), Math.max(p.y, r * grid.cellHeight)];
      const [x1, y1] = [Math.min(p.x + p.width, (col + 1) * grid.cellWidth), Math.min(p.y + p.height, (r + 1) * grid.cellHeight)];
      if (x1 <= v.x0 || x0 >= v.x1 || y1 <= v.y0 || y0 >= v.y1) continue;
      const dx = (col + 0.5) * grid.cellWidth - cx;
      const dy = (r + 0.5) * grid.cellHeight - cy;
      found.push({ item, d: dx * dx + dy * dy });
    }
  }
  found.sort((a, b) => a.d - b.d);
  return found.slice(0, limit).map((f) => f.item);
}

/**
 * The deepest zoom allowed over the visible block, in screen pixels per metadata pixel:
 * `overzoom` screen pixels per real pixel of the finest image in view (its pyramid, else its
 * cell), and never less than `fitCell`, the zoom at which one cell fills the view. Above
 * `maxCells` visible cells the collection's finest ratio `finest` stands for the block's.
 */
export function maxZoomScale(grid, detail, block, { overzoom = 1, fitCell = 1, finest = 1, maxCells = 4096 } = {}) {
  let ratio = 1;
  if (block && (block.c1 - block.c0) * (block.r1 - block.r0) > maxCells) {
    ratio = finest;
  } else if (block && detail) {
    for (let r = block.r0; r < block.r1; r++) {
      for (let col = block.c0; col < block.c1; col++) {
        const item = grid.itemInCell(r * grid.cols + col);
        if (hasDetail(detail, item)) ratio = Math.max(ratio, detailRatio(grid, detail, item));
      }
    }
  }
  return Math.max(ratio * overzoom, fitCell);
}

/** The finest ratio (detailRatio) of any item: the deepest zoom anywhere on the map. */
export function finestRatio(grid, detail) {
  let ratio = 1;
  if (!detail) return ratio;
  for (let item = 0; item < detail.width.length; item++) {
    if (hasDetail(detail, item) && grid.cellOfItem[item] >= 0) ratio = Math.max(ratio, detailRatio(grid, detail, item));
  }
  return ratio;
}

/**
 * A bounded set of open layers, least recently wanted evicted first. `want(items)` marks them
 * wanted now (most wanted first) and says what to open and what to close.
 */
export class LayerSet {
  constructor(limit) {
    this.limit = Math.max(1, limit | 0);
    this.order = new Map(); // item -> tick it was last wanted; iteration order = least recent first
    this.tick = 0;
  }

  /** @returns {{open: number[], close: number[]}} */
  want(items) {
    const open = [];
    this.tick++;
    for (const item of items.slice(0, this.limit).reverse()) {
      if (!this.order.has(item)) open.push(item);
      this.order.delete(item);
      this.order.set(item, this.tick);
    }
    const close = [];
    for (const item of this.order.keys()) {
      if (this.order.size - close.length <= this.limit) break;
      close.push(item);
    }
    for (const item of close) this.order.delete(item);
    return { open: open.reverse(), close };
  }

  /** Closes every layer. @returns {number[]} the items that were open */
  clear() {
    const all = [...this.order.keys()];
    this.order.clear();
    return all;
  }

  has(item) {
    return this.order.has(item);
  }
}

/** Deep Zoom level count of a `w` x `h` image (level 0 is 1 x 1). */
export function levelCount(w, h) {
  return Math.ceil(Math.log2(Math.max(w, h))) + 1;
}

/** The size of pyramid level `level` of a `w` x `h` image (the full size halved, rounded up). */
export function levelSize(w, h, level) {
  const scale = 2 ** (levelCount(w, h) - 1 - level);
  return { width: Math.ceil(w / scale), height: Math.ceil(h / scale) };
}

/**
 * The lowest level of `item`'s pyramid at least `minWidth` pixels wide (the last one if none
 * is), and its tiles: `path` relative to `detail.base`, and where each tile's own pixels go
 * (`x`, `y`, in level pixels, overlap included).
 */
export function levelTiles(detail, item, minWidth) {
  const [w, h] = [detail.width[item], detail.height[item]];
  const last = levelCount(w, h) - 1;
  let level = 0;
  while (level < last && levelSize(w, h, level).width < minWidth) level++;
  const size = levelSize(w, h, level);
  const { tileSize: t, overlap: o, format } = detail;
  const tiles = [];
  for (let row = 0; row * t < size.height; row++) {
    for (let col = 0; col * t < size.width; col++) {
      const path = `${item}_files/${level}/${col}_${row}.${format}`;
      tiles.push({ path, x: Math.max(0, col * t - o), y: Math.max(0, row * t - o) });
    }
  }
  return { level, ...size, tiles };
}

/** The `overzoom` setting from the page's query (`?overzoom=4`): screen pixels per real pixel allowed, 1..16. */
export function overzoomOf(search) {
  const value = Number(new URLSearchParams(search).get('overzoom'));
  return Number.isFinite(value) && value >= 1 ? Math.min(value, 16) : 1;
}

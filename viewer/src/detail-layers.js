// Each image's own pyramid, drawn over its cell once the cell is shown larger than the mosaic's
// resolution, and the zoom limit that follows the finest pixels in view (detail.js decides).
// A layer panned out of view is hidden (OpenSeadragon redraws an item that is shown but has
// nothing on screen on every frame) and kept until the least recently wanted must make room;
// zooming out to the mosaic's resolution closes every layer.

import { OpenSeadragon } from './map.js';
import { LayerSet, detailCandidates, detailPlacement, finestRatio, levelCount, levelSize, maxZoomScale } from './detail.js';
import { visibleCells } from './mask.js';

/** Detail layers open at once: enough for the cells around the centre of a deep view. */
export const MAX_OPEN = 8;

export class DetailLayers {
  /**
   * @param {import('./map.js').MapView} map
   * @param {import('./detail.js').Detail | null} detail
   * @param {{overzoom?: number, limit?: number}} [options]  overzoom: screen pixels per real
   *   pixel allowed at the deepest zoom (1: never beyond the original pixels)
   */
  constructor(map, detail, { overzoom = 1, limit = MAX_OPEN } = {}) {
    this.map = map;
    this.detail = detail;
    this.overzoom = overzoom;
    this.layers = new LayerSet(limit);
    this.open = new Map(); // item -> TiledImage, or null while it is being added
    this.shown = new Set(); // the open layers whose picture is in view
    this.finest = 1;
    this.pending = 0;
  }

  /** Called on the viewer's 'open', once the mosaic's size is known. */
  attach() {
    const viewer = this.map.viewer;
    this.finest = finestRatio(this.map.grid, this.detail);
    const schedule = () => {
      if (!this.pending) this.pending = requestAnimationFrame(() => ((this.pending = 0), this.update()));
    };
    viewer.addHandler('viewport-change', schedule);
    viewer.addHandler('resize', schedule);
    this.update();
  }

  /** The map's arrangement (its grid) changed: every layer is closed, and opened anew where wanted. */
  reset() {
    for (const item of this.layers.clear()) this.close(item);
    this.finest = finestRatio(this.map.grid, this.detail);
    this.update();
  }

  /** Mosaic (DZI) pixels per metadata pixel times screen pixels per DZI pixel: the zoom in screen px per metadata px. */
  screenScale(viewportZoom) {
    const dpr = window.devicePixelRatio || 1;
    return this.map.tiled.viewportToImageZoom(viewportZoom) * this.map.scale * dpr;
  }

  update() {
    const { map } = this;
    if (!map.tiled) return;
    const viewer = map.viewer;
    const size = viewer.viewport.getContainerSize();
    const g = map.grid;
    const tl = map.toImage(0, 0);
    const br = map.toImage(size.x, size.y);
    const s = map.scale;
    const block = visibleCells(tl, br, g.cellWidth * s, g.cellHeight * s, g.cols, g.rows);
    this.limitZoom(block, size);
    // Magnified: one metadata pixel (the mosaic's own) takes more than one device pixel.
    const magnified = this.screenScale(viewer.viewport.getZoom(true)) > 1 + 1e-6;
    const view = { x0: tl.x / s, y0: tl.y / s, x1: br.x / s, y1: br.y / s };
    const wanted = magnified ? detailCandidates(g, this.detail, block, view, this.layers.limit) : [];
    const change = magnified ? this.layers.want(wanted) : { open: [], close: this.layers.clear() };
    this.shown = new Set(wanted);
    for (const item of change.close) this.close(item);
    for (const item of change.open) this.add(item);
    for (const [item, tiled] of this.open) if (tiled) tiled.setOpacity(this.shown.has(item) ? 1 : 0);
  }

  /** Sets the viewport's maximum zoom for the cells in view (detail.js maxZoomScale). */
  limitZoom(block, size) {
    const g = this.map.grid;
    const dpr = window.devicePixelRatio || 1;
    const fitCell = Math.min(size.x / g.cellWidth, size.y / g.cellHeight) * dpr;
    const scale = maxZoomScale(g, this.detail, block, { overzoom: this.overzoom, fitCell, finest: this.finest });
    // Screen px per metadata px -> the viewport zoom at which the mosaic shows that.
    const tiled = this.map.tiled;
    this.map.viewer.viewport.maxZoomLevel = tiled.imageToViewportZoom(scale / this.map.scale / dpr);
  }

  add(item) {
    const { map, detail } = this;
    const place = detailPlacement(map.grid, detail, item);
    const s = map.scale;
    const rect = map.tiled.imageToViewportRectangle(place.x * s, place.y * s, place.width * s, place.height * s);
    const [w, h] = [detail.width[item], detail.height[item]];
    // Levels coarser than the mosaic's own cell add nothing: start at the first finer one.
    let minLevel = 0;
    while (minLevel < levelCount(w, h) - 1 && levelSize(w, h, minLevel).width < place.width * s) minLevel++;
    const source = new OpenSeadragon.DziTileSource({
      width: w,
      height: h,
      tileSize: detail.tileSize,
      tileOverlap: detail.overlap,
      tilesUrl: `${detail.base}${item}_files/`,
      fileFormat: detail.format,
      minLevel,
    });
    const clip = place.clip && new OpenSeadragon.Rect(place.clip.x, place.clip.y, place.clip.width, place.clip.height);
    this.open.set(item, null);
    map.viewer.addTiledImage({
      tileSource: source,
      x: rect.x,
      y: rect.y,
      width: rect.width,
      clip,
      opacity: this.shown.has(item) ? 1 : 0,
      success: (e) => {
        if (this.open.has(item) && this.open.get(item) === null) {
          this.open.set(item, e.item);
          e.item.setOpacity(this.shown.has(item) ? 1 : 0);
        } else {
          map.viewer.world.removeItem(e.item); // closed while it was being added
        }
      },
    });
  }

  close(item) {
    const tiled = this.open.get(item);
    this.open.delete(item);
    if (tiled) this.map.viewer.world.removeItem(tiled);
  }

  /** The open layer of `item` (an OpenSeadragon TiledImage), or null. */
  layerOf(item) {
    return this.open.get(item) || null;
  }
}

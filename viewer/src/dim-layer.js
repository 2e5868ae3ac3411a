// Search dimming on screen: one canvas over the tiles (below the outlines) that draws the cell
// mask (mask.js) scaled over the visible cells only, so each frame costs one drawImage.

import { maskPixels, visibleCells } from './mask.js';

export class DimLayer {
  /**
   * @param {import('./map.js').MapView} map
   * @param {string} [className]  the canvas's class (the selection's tint is a layer like this one)
   */
  constructor(map, className = 'dim-layer') {
    this.map = map;
    this.canvas = document.createElement('canvas');
    this.canvas.className = className;
    this.canvas.setAttribute('aria-hidden', 'true');
    this.mask = null; // canvas with one pixel per cell, or null when no search is active
  }

  /** Called on the viewer's 'open': between the tiles and the overlays. */
  attach() {
    const viewer = this.map.viewer;
    viewer.canvas.insertBefore(this.canvas, viewer.overlaysContainer || null);
  }

  /** The items to leave undimmed, or null to dim nothing. Redraw with draw(). */
  setMatches(matches) {
    const { cells, cellOfItem } = this.map.grid;
    this.setPixels(matches === null ? null : maskPixels(cells, matches, cellOfItem.length));
  }

  /** The mask's RGBA pixels, one per cell (row-major), or null to draw nothing. Redraw with draw(). */
  setPixels(pixels) {
    if (pixels === null) {
      this.mask = null;
      return;
    }
    const { cols, rows } = this.map.grid;
    const mask = document.createElement('canvas');
    mask.width = cols;
    mask.height = rows;
    const ctx = mask.getContext('2d');
    const image = ctx.createImageData(cols, rows);
    image.data.set(pixels);
    ctx.putImageData(image, 0, 0);
    this.mask = mask;
  }

  /** Matches the canvas to the map's size in device pixels (resizing also clears it). */
  fit() {
    const size = this.map.viewer.viewport.getContainerSize();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(size.x * dpr));
    const h = Math.max(1, Math.round(size.y * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    return { size, dpr };
  }

  /** On the viewer's 'resize'. */
  resize() {
    this.fit();
    this.draw();
  }

  draw() {
    const map = this.map;
    if (!map.tiled) return;
    const { size, dpr } = this.fit();
    const ctx = this.canvas.getContext('2d');
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (!this.mask) return;
    const g = map.grid;
    const cw = g.cellWidth * map.scale;
    const ch = g.cellHeight * map.scale;
    const v = visibleCells(map.toImage(0, 0), map.toImage(size.x, size.y), cw, ch, g.cols, g.rows);
    if (!v) return;
    const p0 = map.toElement(v.c0 * cw, v.r0 * ch);
    const p1 = map.toElement(v.c1 * cw, v.r1 * ch);
    ctx.imageSmoothingEnabled = false;
    const [dx, dy, dw, dh] = [p0.x * dpr, p0.y * dpr, (p1.x - p0.x) * dpr, (p1.y - p0.y) * dpr];
    ctx.drawImage(this.mask, v.c0, v.r0, v.c1 - v.c0, v.r1 - v.r0, dx, dy, dw, dh);
  }
}

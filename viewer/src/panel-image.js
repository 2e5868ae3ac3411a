// The selected image in the details panel, sharp: one level of its own pyramid (detail.js
// levelTiles), as fine as the panel is wide in device pixels, drawn tile by tile on a canvas.

import { hasDetail, levelTiles } from './detail.js';

export class PanelImage {
  /**
   * @param {import('./page.js').Elements} el
   * @param {import('./detail.js').Detail | null} detail
   * @param {Map<string, number>} idIndex  id -> item
   */
  constructor(el, detail, idIndex) {
    this.detail = detail;
    this.idIndex = idIndex;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'panel-image';
    this.canvas.setAttribute('role', 'img');
    this.canvas.hidden = true;
    el.panelTitle.after(this.canvas);
    this.shown = null; // the id being drawn: tiles of an earlier one are dropped
  }

  /**
   * Draws image `id`, named `title` for screen readers (hidden when it has no pyramid).
   * `data-state` is 'ready' once every tile is drawn.
   */
  show(id, title) {
    const item = this.idIndex.get(id) ?? -1;
    const canvas = this.canvas;
    this.shown = id;
    canvas.hidden = !hasDetail(this.detail, item);
    if (canvas.hidden) return;
    const dpr = window.devicePixelRatio || 1;
    const wanted = Math.round((canvas.clientWidth || canvas.parentElement.clientWidth || 352) * dpr);
    const level = levelTiles(this.detail, item, wanted);
    canvas.width = level.width;
    canvas.height = level.height;
    canvas.dataset.item = id;
    canvas.dataset.state = 'loading';
    canvas.setAttribute('aria-label', title);
    const ctx = canvas.getContext('2d');
    let left = level.tiles.length;
    for (const tile of level.tiles) {
      const img = new Image();
      img.onload = () => {
        if (this.shown !== id) return;
        ctx.drawImage(img, tile.x, tile.y);
        if (--left === 0) canvas.dataset.state = 'ready';
      };
      img.onerror = () => {
        if (this.shown === id) canvas.dataset.state = 'error';
      };
      img.src = new URL(tile.path, this.detail.base).href;
    }
  }
}

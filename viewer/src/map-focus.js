// Moving the map to what the visitor chose, in the part of it they can see: the selected image,
// never left under the details panel (a bottom sheet on phones) or the results list, and the
// extent of the current results. Computed on OpenSeadragon's target view, so a move that is
// still animating is taken into account.

import { cellExtent, frameRect } from './framing.js';
import { padRect } from './geometry.js';
import { OpenSeadragon } from './map.js';
import { fitView, revealView, visibleArea } from './visible-area.js';

/** Pixels kept between a revealed cell, or framed results, and the hidden part of the map. */
const MARGIN = 12;
/** Room around a zoomed-to image on every side, as a share of its cell's longer side. */
const ITEM_PADDING = 0.35;

export class MapFocus {
  /**
   * @param {import('./map.js').MapView} map
   * @param {HTMLElement[]} covers  elements that may lie over the map (hidden ones cover nothing)
   */
  constructor(map, covers) {
    this.map = map;
    this.covers = covers;
    this.pending = null; // the move waiting for OpenSeadragon to take the map's new size
    map.viewer.addHandler('viewport-change', () => {
      if (this.pending && this.sized()) {
        const move = this.pending;
        this.pending = null;
        move();
      }
    });
  }

  /** Whether OpenSeadragon has taken the map element's size (it resizes a frame after the layout). */
  sized() {
    const size = this.map.viewer.viewport.getContainerSize();
    const c = this.map.viewer.container;
    return size.x === Math.max(1, c.clientWidth) && size.y === Math.max(1, c.clientHeight);
  }

  /** Runs `move` now, or once the map has its new size; a later move replaces a waiting one. */
  whenSized(move) {
    this.pending = null;
    if (this.sized()) move();
    else this.pending = move;
  }

  /**
   * Moves the view to `rect` (viewport coordinates) as `place(view, size, visible, rect)` decides,
   * `visible` being the map less `covers`.
   */
  moveTo(rect, place, immediately = false, covers = this.covers) {
    const viewport = this.map.viewer.viewport;
    const box = this.map.viewer.container.getBoundingClientRect();
    const over = covers.map((el) => {
      const r = el.getBoundingClientRect(); // all zero when hidden: covers nothing
      return { left: r.left - box.left, top: r.top - box.top, right: r.right - box.left, bottom: r.bottom - box.top };
    });
    const s = viewport.getContainerSize();
    const size = { width: s.x, height: s.y };
    const view = place(viewport.getBounds(), size, visibleArea(size, over), rect);
    if (view) viewport.fitBounds(new OpenSeadragon.Rect(view.x, view.y, view.width, view.height), immediately);
  }

  /**
   * Brings `item`'s cell into the visible part of the map: by the smallest pan (`zoom` false:
   * a click keeps the zoom), or zoomed onto it with room around (`zoom` true: a step, a link).
   * `immediately` (a link being opened): zoomed at once on the whole map as OpenSeadragon has
   * it now (the panel's layout may not have reached it yet), then, once it has the map's size,
   * only panned if the panel hides the image.
   */
  showItem(item, { zoom = false, immediately = false } = {}) {
    const cell = this.map.grid.cellOfItem[item];
    if (cell < 0) return;
    const reveal = (v, size, visible, r) => revealView(v, size, visible, r, MARGIN);
    if (zoom && immediately) this.moveTo(padRect(this.map.cellViewportRect(cell), ITEM_PADDING), fitView, true, []);
    this.whenSized(() => {
      const rect = this.map.cellViewportRect(cell);
      if (zoom && !immediately) this.moveTo(padRect(rect, ITEM_PADDING), fitView);
      else this.moveTo(rect, reveal, immediately);
    });
  }

  /** Frames `items` (a result set): all of them in the visible part of the map; nothing for none. */
  frame(items) {
    const extent = cellExtent(this.map.grid, items);
    if (extent) this.frameExtent(extent);
  }

  /** Frames `extent` (a block of cells, framing.js cellExtent's) in the visible part of the map. */
  frameExtent(extent) {
    this.whenSized(() => {
      const r = frameRect(this.map.grid, extent);
      const s = this.map.scale;
      const rect = this.map.tiled.imageToViewportRectangle(r.x * s, r.y * s, r.width * s, r.height * s);
      this.moveTo(rect, (v, size, visible, fr) => fitView(v, size, visible, fr, MARGIN));
    });
  }
}

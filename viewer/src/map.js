// The OpenSeadragon viewer and hit testing: pointer -> image pixel -> cell -> item, by arithmetic.
// The map is never rotated, flipped or paged, so one TiledImage and a scale say where every cell is.

import OpenSeadragon from 'openseadragon';
import { imageScale, itemAtImagePoint, itemNearImagePoint, scaledCellRect } from './geometry.js';
import { MINIMAP_OPTIONS, mirrorMapOnly } from './minimap.js';

export { OpenSeadragon };

function createViewer(element, imageUrl) {
  const viewer = OpenSeadragon({
    element,
    tileSources: imageUrl, // a DZI or a IIIF image service's info.json: OpenSeadragon reads both
    drawer: 'canvas',
    showNavigationControl: false, // our own accessible buttons instead
    prefixUrl: '',
    crossOriginPolicy: false,
    visibilityRatio: 0.5,
    minZoomImageRatio: 0.8,
    maxZoomPixelRatio: 4, // small cells (128 px) can still fill a good part of the screen
    animationTime: 0.5,
    springStiffness: 9,
    preserveImageSizeOnResize: true,
    gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true, scrollToZoom: true },
    gestureSettingsTouch: { clickToZoom: false, dblClickToZoom: true, pinchToZoom: true, flickEnabled: true },
    gestureSettingsPen: { clickToZoom: false, dblClickToZoom: true },
    ...MINIMAP_OPTIONS,
  });
  mirrorMapOnly(viewer);
  // The focusable canvas is what keyboard and screen-reader users meet: it takes the map's name.
  const canvas = viewer.canvas;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'zoomable map');
  canvas.setAttribute('aria-label', element.getAttribute('aria-label'));
  canvas.setAttribute('aria-describedby', 'map-status');
  element.removeAttribute('aria-label');
  return viewer;
}

function outline(kind) {
  const box = document.createElement('div');
  box.className = `cell-outline ${kind}`;
  return box;
}

export class MapView {
  /**
   * @param {HTMLElement} element  the map's container (#map)
   * @param {string} imageUrl  the map's DZI or IIIF info.json
   * @param {import('./grid.js').Grid | null} [grid]  set before `open` where the tiles load first
   */
  constructor(element, imageUrl, grid = null) {
    this.grid = grid;
    this.viewer = createViewer(element, imageUrl);
    this.tiled = null; // the OpenSeadragon TiledImage, once open
    this.scale = 1; // DZI pixels per metadata image pixel
    // Outlines for the hovered and the selected cell: two overlays, moved, never created per cell.
    this.outlines = { hover: outline('hover'), selected: outline('selected') };
  }

  /** Called on the viewer's 'open': the tiles' size is known from here on. */
  open(image) {
    const viewer = this.viewer;
    this.tiled = viewer.world.getItemAt(0);
    this.scale = imageScale(image, this.tiled.source.dimensions.x);
    for (const box of Object.values(this.outlines)) {
      viewer.addOverlay({ element: box, location: new OpenSeadragon.Rect(0, 0, 0, 0) });
      box.hidden = true;
    }
  }

  /** A point in viewer element coordinates from a pointer event's client coordinates. */
  elementPoint(clientX, clientY) {
    const r = this.viewer.container.getBoundingClientRect();
    return new OpenSeadragon.Point(clientX - r.left, clientY - r.top);
  }

  centre() {
    const size = this.viewer.viewport.getContainerSize();
    return new OpenSeadragon.Point(size.x / 2, size.y / 2);
  }

  /** The item under a point in viewer element coordinates, or -1. */
  itemAt(point) {
    if (!this.tiled) return -1;
    return itemAtImagePoint(this.grid, this.scale, this.tiled.viewerElementToImageCoordinates(point));
  }

  /** The item nearest a point in viewer element coordinates, within a cell of it, or -1. */
  itemNear(point) {
    if (!this.tiled) return -1;
    return itemNearImagePoint(this.grid, this.scale, this.tiled.viewerElementToImageCoordinates(point));
  }

  /** A cell's rectangle in viewport coordinates. */
  cellViewportRect(cell) {
    const r = scaledCellRect(this.grid, this.scale, cell);
    return this.tiled.imageToViewportRectangle(r.x, r.y, r.w, r.h);
  }

  /** Moves outline `kind` ('hover' | 'selected') onto `item`'s cell, or hides it (item -1). */
  showOutline(kind, item) {
    const box = this.outlines[kind];
    const cell = item >= 0 ? this.grid.cellOfItem[item] : -1;
    if (cell < 0) {
      box.hidden = true;
      return;
    }
    this.viewer.updateOverlay(box, this.cellViewportRect(cell));
    box.hidden = false;
  }

  /** Image pixels (of the DZI) -> viewer element coordinates, for drawing. */
  toElement(x, y) {
    return this.tiled.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
  }

  /** Viewer element coordinates -> image pixels (of the DZI). */
  toImage(x, y) {
    return this.tiled.viewerElementToImageCoordinates(new OpenSeadragon.Point(x, y));
  }
}

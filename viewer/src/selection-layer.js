// The selection on the map: selected cells tinted by one canvas layer (a DimLayer drawing a mask
// of one pixel per cell, so any number of selected images costs one drawImage a frame), and the
// rectangle or lasso being drawn as an SVG shape. Both are kept in image coordinates and redrawn
// as the view moves, so they stay on their cells while zooming.

import { DimLayer } from './dim-layer.js';
import { tintPixels } from './selection-geometry.js';

const SVG = 'http://www.w3.org/2000/svg';

export class SelectionLayer {
  /** @param {import('./map.js').MapView} map */
  constructor(map) {
    this.map = map;
    this.tint = new DimLayer(map, 'selection-layer');
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('class', 'selection-shape');
    this.svg.setAttribute('aria-hidden', 'true');
    this.path = document.createElementNS(SVG, 'path');
    this.path.setAttribute('fill-rule', 'evenodd');
    this.svg.append(this.path);
    /** @type {{kind: 'rect' | 'lasso' | 'corner', points: {x: number, y: number}[]} | null} DZI pixels */
    this.shape = null;
    this.items = []; // the selected items
    this.grid = null; // the grid the tint was made for
  }

  /** Called on the viewer's 'open': the tint over the tiles, the shape above everything. */
  attach() {
    const viewer = this.map.viewer;
    this.tint.attach();
    viewer.container.append(this.svg);
    viewer.addHandler('update-viewport', () => this.draw());
    viewer.addHandler('resize', () => this.tint.resize());
  }

  /** The selected items, tinted from the next draw on. */
  setItems(items) {
    this.items = items;
    this.tinted();
    this.draw();
  }

  /** The tint of `items` on the map's grid now (another arrangement swaps the grid under it). */
  tinted() {
    const grid = this.map.grid;
    this.grid = grid;
    this.tint.setPixels(this.items.length ? tintPixels(grid.cellOfItem, this.items, grid.cells.length) : null);
  }

  /** The shape being drawn (points in DZI pixels), or null for none. */
  setShape(shape) {
    this.shape = shape;
    this.drawShape();
  }

  draw() {
    if (this.grid !== this.map.grid) this.tinted();
    this.tint.draw();
    this.drawShape();
  }

  drawShape() {
    const shape = this.shape;
    this.svg.toggleAttribute('hidden', !shape); // an SVG element has no `hidden` property
    if (!shape || !this.map.tiled) return;
    const p = shape.points.map(({ x, y }) => this.map.toElement(x, y));
    let d = '';
    if (shape.kind === 'lasso') d = `M${p.map((q) => `${q.x},${q.y}`).join('L')}Z`;
    else if (shape.kind === 'rect' && p.length === 2) {
      const [a, b] = p;
      d = `M${a.x},${a.y}H${b.x}V${b.y}H${a.x}Z`;
    } else if (shape.kind === 'corner') d = `M${p[0].x - 8},${p[0].y}h16M${p[0].x},${p[0].y - 8}v16`;
    this.path.setAttribute('d', d);
  }
}

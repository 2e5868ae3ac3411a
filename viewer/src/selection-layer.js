// The selection on the map: selected cells tinted by one canvas layer (a DimLayer drawing a mask
// of one pixel per cell, so any number of selected images costs one drawImage a frame) and
// outlined on it, a dark line with a light one along it just inside each group of selected cells,
// so that the selection shows on any colour (the edges found once per selection, only those in
// view drawn: selection-outline.js); and the rectangle or lasso being drawn as an SVG shape. All are
// kept in image coordinates and redrawn as the view moves, so they stay on their cells while zooming.

import { DimLayer } from './dim-layer.js';
import { visibleCells } from './mask.js';
import { TINT_RGBA, tintPixels } from './selection-geometry.js';
import { outlineOf, outlineSegments, outlineWidths } from './selection-outline.js';

/** The outline's colours: dark, seen on light images, and the tint's colour, opaque, on dark ones. */
const OUTLINE_DARK = 'rgba(8, 8, 12, 0.95)';
const OUTLINE_LIGHT = `rgb(${TINT_RGBA.slice(0, 3).join(', ')})`;

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
    this.grid = null; // the grid the tint and the outline were made for
    /** @type {import('./selection-outline.js').Outline | null} */
    this.outline = null;
  }

  /** Called on the viewer's 'open': the tint over the tiles, the shape above everything. */
  attach() {
    const viewer = this.map.viewer;
    this.tint.attach();
    viewer.container.append(this.svg);
    viewer.addHandler('update-viewport', () => this.draw());
    viewer.addHandler('resize', () => this.draw()); // the tint's draw fits its canvas first
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
    const any = this.items.length > 0;
    this.tint.setPixels(any ? tintPixels(grid.cellOfItem, this.items, grid.cells.length) : null);
    this.outline = any ? outlineOf(grid.cellOfItem, this.items, grid.cols, grid.rows) : null;
  }

  /** The shape being drawn (points in DZI pixels), or null for none. */
  setShape(shape) {
    this.shape = shape;
    this.drawShape();
  }

  draw() {
    if (this.grid !== this.map.grid) this.tinted();
    this.tint.draw();
    this.drawOutline();
    this.drawShape();
  }

  /** The outline of the selected cells in view, over the tint on the same canvas. */
  drawOutline() {
    const map = this.map;
    if (!this.outline || !map.tiled) return;
    const g = map.grid;
    const size = map.viewer.viewport.getContainerSize();
    const [w, h] = [g.cellWidth * map.scale, g.cellHeight * map.scale];
    const block = visibleCells(map.toImage(0, 0), map.toImage(size.x, size.y), w, h, g.cols, g.rows);
    const origin = map.toElement(0, 0);
    const corner = map.toElement(w, h);
    const cell = { x: corner.x - origin.x, y: corner.y - origin.y };
    const widths = outlineWidths(Math.min(cell.x, cell.y));
    if (!block || !widths) return;
    const segments = outlineSegments(this.outline, block, origin, cell, widths.dark / 2);
    const ctx = this.tint.canvas.getContext('2d');
    const dpr = this.tint.canvas.width / Math.max(1, size.x);
    ctx.save();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.beginPath();
    for (let i = 0; i < segments.length; i += 4) {
      ctx.moveTo(segments[i], segments[i + 1]);
      ctx.lineTo(segments[i + 2], segments[i + 3]);
    }
    // Square ends take the dark line to the cells' corners; the light one stops where the paths meet.
    for (const [colour, width, cap] of [[OUTLINE_DARK, widths.dark, 'square'], [OUTLINE_LIGHT, widths.light, 'butt']]) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.lineCap = /** @type {CanvasLineCap} */ (cap);
      ctx.stroke();
    }
    ctx.restore();
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

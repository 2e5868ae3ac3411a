// The timeline's axis: a label per band of columns (its years, or "undated") along the top of
// the map, following the view as the cluster labels do; labels that would collide thin out
// (labels.js placeLabels), the undated one kept first. Each label is a button that frames its
// band (timeline-bands.js) and tells the caller, which offers to select the band.

import { axisGeometry } from './arrangement.js';
import { placeLabels } from './labels.js';
import { imageCount } from './counts.js';
import { bandExtent, bandName } from './timeline-bands.js';

/** Pixels between the axis and the top of the map's element, where the map's top is scrolled away. */
const TOP = 4;

export class TimelineAxis {
  /**
   * @param {import('./map.js').MapView} map
   * @param {import('./map-focus.js').MapFocus} focus  frames a band in the part of the map in view
   * @param {(band: object) => void} [chosen]  a label was activated, after its band was framed
   */
  constructor(map, focus, chosen = () => {}) {
    this.map = map;
    this.focus = focus;
    this.chosen = chosen;
    this.layer = document.createElement('div');
    this.layer.className = 'timeline-axis';
    this.layer.setAttribute('role', 'group');
    this.layer.setAttribute('aria-label', 'Timeline: columns by date, oldest on the left');
    this.layer.hidden = true;
    this.axis = [];
    this.labels = [];
    this.sizes = null;
    this.frame = 0;
  }

  /** Called on the viewer's 'open': above the tiles, below the controls. */
  attach() {
    const viewer = this.map.viewer;
    viewer.container.append(this.layer);
    // Laid out at most once a frame, however many view changes it brings.
    const schedule = () => (this.frame ||= requestAnimationFrame(() => this.layout()));
    for (const change of ['update-viewport', 'resize']) viewer.addHandler(change, schedule);
  }

  /** Shows `axis` (arrangement.js timelineAxis) over the map's current grid, or none (null). */
  show(axis) {
    this.axis = axis || [];
    this.labels = this.axis.map((band) => this.button(band));
    this.layer.replaceChildren(...this.labels);
    this.layer.hidden = this.axis.length === 0;
    this.sizes = null;
    this.layout();
  }

  button(band) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'timeline-label';
    button.textContent = band.label;
    button.setAttribute('aria-label', bandName(band));
    button.title = imageCount(band.count);
    button.dataset.col = String(band.col);
    button.dataset.cols = String(band.cols);
    button.addEventListener('click', () => {
      this.focus.frameExtent(bandExtent(this.map.grid, band));
      this.chosen(band);
    });
    return button;
  }

  layout() {
    this.frame = 0;
    if (this.layer.hidden || !this.map.tiled) return;
    if (!this.sizes) this.sizes = this.labels.map((l) => ({ width: l.offsetWidth, height: l.offsetHeight }));
    const s = this.map.scale;
    const size = this.map.viewer.viewport.getContainerSize();
    const cellWidth = this.map.grid.cellWidth * s;
    const boxes = axisGeometry(this.axis, this.map.grid).map((g, i) => {
      const p = this.map.toElement(g.x * s, g.y * s);
      const { width, height } = this.sizes[i];
      // Above the grid's top edge, or at the top of the view once that edge is scrolled away.
      const y = Math.min(Math.max(p.y - height / 2 - TOP, TOP + height / 2), size.y - TOP - height / 2);
      // Over its band, moved into the view where the band is at its edge (placeLabels hides
      // a label that is not inside the view: that of a band out of view).
      const band = this.axis[i];
      const left = this.map.toElement(band.col * cellWidth, 0).x;
      const right = this.map.toElement((band.col + band.cols) * cellWidth, 0).x;
      const inView = right > 0 && left < size.x;
      const x = inView ? Math.min(Math.max(p.x, width / 2 + TOP), size.x - width / 2 - TOP) : p.x;
      return { x, y, width, height, size: g.priority };
    });
    const shown = placeLabels(boxes, { width: size.x, height: size.y });
    this.labels.forEach((label, i) => {
      label.hidden = !shown[i];
      label.style.transform = `translate(${Math.round(boxes[i].x - boxes[i].width / 2)}px, ${Math.round(boxes[i].y - boxes[i].height / 2)}px)`;
    });
  }
}

// The cluster labels over the map (labels.js decides what shows where): buttons in a layer above
// the tiles that follow the view, fade as the visitor zooms in and frame their cluster on click.

import { imageCount } from './counts.js';
import { OpenSeadragon } from './map.js';
import { LABEL_GAP, clusterGeometry, labelOpacity, placeLabels, validClusters } from './labels.js';

/** How much room a framed cluster gets around it, as a share of its longer side. */
const FRAME_PADDING = 0.08;

export class ClusterLabels {
  /**
   * @param {import('./map.js').MapView} map
   * @param {import('./metadata.js').Metadata} meta  `meta.clusters`, largest first
   * @param {(cluster: object) => void} [chosen]  a label was clicked (the selection offers its group)
   */
  constructor(map, meta, chosen = () => {}) {
    this.map = map;
    this.chosen = chosen;
    // `index`: the cluster's place in the metadata's list, which `cluster_codes` refer to.
    const listed = Array.isArray(meta.clusters) ? meta.clusters.map((c, index) => c && { ...c, index }) : [];
    this.clusters = validClusters(listed, map.grid).map((c) => ({ ...c, ...clusterGeometry(c, map.grid) }));
    this.layer = document.createElement('div');
    this.layer.className = 'cluster-labels';
    this.layer.setAttribute('role', 'group');
    this.layer.setAttribute('aria-label', 'Groups on the map');
    this.buttons = this.clusters.map((cluster) => this.button(cluster));
    this.layer.append(...this.buttons);
    this.sizes = null; // each label's {width, height}, measured once shown
    this.frame = 0;
    this.visible = true; // false while the map shows another arrangement (the timeline)
  }

  /** Shows or hides every label: clusters belong to the similarity map. */
  setVisible(visible) {
    this.visible = visible;
    if (this.clusters.length) this.layout();
  }

  button(cluster) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'cluster-label';
    button.textContent = cluster.label;
    const count = imageCount(cluster.size);
    button.setAttribute('aria-label', `${cluster.label}: show this group (${count})`);
    button.title = count;
    button.addEventListener('click', () => {
      this.frameCluster(cluster);
      this.chosen(cluster);
    });
    return button;
  }

  /** Called on the viewer's 'open': above the tiles, outside OpenSeadragon's canvas (its clicks select). */
  attach() {
    if (!this.clusters.length) return;
    const viewer = this.map.viewer;
    viewer.container.append(this.layer);
    const schedule = () => {
      if (!this.frame) this.frame = requestAnimationFrame(() => this.layout());
    };
    viewer.addHandler('update-viewport', schedule);
    viewer.addHandler('resize', schedule);
    this.layout();
  }

  /** Fits the view to a cluster's extent. */
  frameCluster(cluster) {
    const { x, y, width, height } = cluster.rect;
    const s = this.map.scale;
    const pad = Math.max(width, height) * FRAME_PADDING;
    const r = this.map.tiled.imageToViewportRectangle((x - pad) * s, (y - pad) * s, (width + 2 * pad) * s, (height + 2 * pad) * s);
    this.map.viewer.viewport.fitBounds(new OpenSeadragon.Rect(r.x, r.y, r.width, r.height));
  }

  layout() {
    this.frame = 0;
    const viewport = this.map.viewer.viewport;
    const opacity = labelOpacity(viewport.getZoom(true) / viewport.getHomeZoom());
    this.layer.style.opacity = String(opacity);
    this.layer.hidden = opacity === 0 || !this.visible;
    if (this.layer.hidden) return;
    if (!this.sizes) this.sizes = this.buttons.map((b) => ({ width: b.offsetWidth, height: b.offsetHeight }));
    const s = this.map.scale;
    const boxes = this.clusters.map((c, i) => {
      const p = this.map.toElement(c.point.x * s, c.point.y * s);
      const { width, height } = this.sizes[i];
      // On its cell's top edge; in the top row, pushed down just enough to stay on the map.
      return { x: p.x, y: Math.max(p.y, LABEL_GAP + height / 2), width, height, size: c.size };
    });
    const size = viewport.getContainerSize();
    const shown = placeLabels(boxes, { width: size.x, height: size.y });
    this.buttons.forEach((button, i) => {
      button.hidden = !shown[i];
      button.style.transform = `translate(${Math.round(boxes[i].x - boxes[i].width / 2)}px, ${Math.round(boxes[i].y - boxes[i].height / 2)}px)`;
    });
  }
}

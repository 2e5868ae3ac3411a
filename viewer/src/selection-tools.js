// The selection's tools and state: the toolbar's Selection group (Pan / Rectangle / Lasso, the
// Remove toggle, the count that opens the list, "Select" for a cluster label or timeline band
// just clicked), the map input that draws shapes, and the selection's part of the link (`sel=`).
// Every change of the selection goes through here, so the tint, the list, the count and the
// link agree.

import { Selection } from './selection.js';
import { decodeSelection, encodeSelection, LINK_LIMIT } from './selection-codec.js';
import { clusterMembers, itemsInExtent, itemsInPolygon, itemsInRect } from './selection-geometry.js';
import { bindSelectionInput } from './selection-input.js';
import { SelectionLayer } from './selection-layer.js';
import { SelectionPanel } from './selection-panel.js';
import { bandOffer } from './timeline-bands.js';
import { showMoreTools } from './toolbar-menu.js';

/** @typedef {'pan' | 'rect' | 'lasso'} Tool */

export class SelectionTools {
  /**
   * @param {import('./page.js').Elements} el
   * @param {import('./metadata.js').Collection} collection
   * @param {import('./map.js').MapView} map
   * @param {{visit: (item: number) => void, changed: () => void, matches: () => number[] | null,
   *   layout: () => void}} on  visit: show an image (zoomed); changed: the selection changed (the
   *   link is written again); matches: the current results; layout: the list opened or closed
   */
  constructor(el, collection, map, on) {
    this.el = el;
    this.collection = collection;
    this.map = map;
    this.on = on;
    this.selection = new Selection(collection.meta.items.id.length);
    this.layer = new SelectionLayer(map);
    this.panel = new SelectionPanel(el, collection, map, this.selection, { visit: on.visit, layout: on.layout, link: () => this.linkUrl() });
    /** @type {Tool} */
    this.tool = 'pan';
    this.restoring = false;
    this.offered = null; // the items of the group whose label was clicked last (cluster or band)
    this.selection.onChange(() => this.changed());

    const tools = { pan: el.selectPan, rect: el.selectRect, lasso: el.selectLasso };
    for (const [tool, button] of Object.entries(tools)) button.addEventListener('click', () => this.setTool(/** @type {Tool} */ (tool)));
    this.tools = tools;
    el.selectRemove.addEventListener('click', () => {
      el.selectRemove.setAttribute('aria-pressed', String(el.selectRemove.getAttribute('aria-pressed') !== 'true'));
    });
    el.selectCluster.addEventListener('click', () => this.selectOffered());
    el.resultsSelect.addEventListener('click', () => this.selectResults());
    this.render();
  }

  /** Called on the viewer's 'open'. */
  attach() {
    this.layer.attach();
    bindSelectionInput(this.map, this.el.map, this.layer, {
      tool: () => this.tool,
      mode: (ev) => this.mode(ev),
      done: (shape, mode) => this.take(shape, mode),
      toggle: (item) => this.selection.toggle(item),
    });
    this.layer.setItems([...this.selection.items]);
  }

  /** @param {Tool} tool */
  setTool(tool) {
    this.tool = tool;
    for (const [name, button] of Object.entries(this.tools)) button.setAttribute('aria-pressed', String(name === tool));
    this.el.map.classList.toggle('drawing', tool !== 'pan');
  }

  /** How a shape changes the selection: Alt or the Remove toggle removes, Shift adds, else it replaces. */
  mode(ev) {
    if (ev.altKey || this.el.selectRemove.getAttribute('aria-pressed') === 'true') return 'remove';
    return ev.shiftKey ? 'add' : 'replace';
  }

  /** A finished shape in grid pixels: the items whose cell centres it holds (a click: the image under it). */
  take(shape, mode) {
    const grid = this.map.grid;
    let items;
    if (shape.kind === 'point') {
      const [p] = shape.points;
      const item = grid.itemInCell(grid.cellAt(p.x, p.y));
      items = item >= 0 ? [item] : [];
    } else if (shape.kind === 'rect') items = itemsInRect(grid, shape.points[0], shape.points[1]);
    else items = itemsInPolygon(grid, shape.points);
    this.selection.apply(items, mode);
  }

  /** "Select all results": the current result set joins the selection (leaves it, with Remove on). */
  selectResults() {
    const matches = this.on.matches();
    if (matches) this.selection.apply(matches, this.mode({ shiftKey: true, altKey: false }));
  }

  /**
   * A cluster label was clicked (cluster-labels.js): offer to select its group, its members
   * (`cluster_codes`) in either arrangement; from a build without codes, the images whose cells
   * lie in its extent on the similarity map, taken now (its labels show only there), so that
   * "Select" after a switch to the timeline still takes them.
   */
  offerCluster(cluster) {
    const { meta } = this.collection;
    this.offer(cluster.label, clusterMembers(meta.cluster_codes, cluster.index, meta.items.id.length) ?? itemsInExtent(this.map.grid, cluster.extent));
  }

  /**
   * A timeline label was activated (timeline-axis.js): offer to select the images in its band's
   * columns, taken now from the timeline's grid so that they stay the band's in either arrangement.
   * An empty band withdraws the offer: there is nothing to select (timeline-bands.js bandOffer).
   */
  offerBand(band) {
    this.offer(band.label, bandOffer(this.map.grid, band));
  }

  /** Shows "Select “label”", which selects `members` (item indices); null withdraws the offer. */
  offer(label, members) {
    this.offered = members;
    this.el.selectCluster.textContent = `Select “${label}”`;
    this.el.selectCluster.hidden = !members;
    if (members) showMoreTools(this.el); // on phones the offer lies behind "More tools"
  }

  /** Adds the offered group to the selection (removes it, with Remove on). */
  selectOffered() {
    if (this.offered) this.selection.apply(this.offered, this.mode({ shiftKey: true, altKey: false }));
  }

  changed() {
    this.layer.setItems([...this.selection.items]);
    this.render();
    if (!this.restoring) this.on.changed();
  }

  render() {
    const n = this.selection.count;
    this.el.selectionCount.textContent = n.toLocaleString();
    this.panel.update(this.linkValue() === null);
  }

  /** The `sel=` value: '' for none, null where it is longer than a link carries. */
  linkValue() {
    const code = encodeSelection(this.selection.sorted());
    return code.length > LINK_LIMIT ? null : code;
  }

  /** The page that shows this selection, or null where it is too large for a link. */
  linkUrl() {
    return this.linkValue() === null ? null : location.href;
  }

  /**
   * The selection a link names (its `sel=` value, '' for none). A link without one leaves a
   * selection too large for links as it is: its own link could not hold it.
   */
  restore(code) {
    if (!code && this.linkValue() === null) return;
    const items = decodeSelection(code, this.selection.size) ?? [];
    this.restoring = true;
    try {
      this.selection.apply(items, 'replace');
    } finally {
      this.restoring = false;
    }
  }
}

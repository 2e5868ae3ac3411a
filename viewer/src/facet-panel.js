// The Filters drawer (toolbar button "Filters"): every facet of metadata.json (facet-views.js), a
// "Clear all", and "N of M shown" while a filter or the search is active. It owns the filter
// state (filters.js); the controller asks it for the current result set and for the deep link.

import { CategoricalView, RangeView } from './facet-views.js';
import { decodeState, encodeState, evaluate, isFiltering, passingInCellOrder, prepareFacets, sameState, shownText } from './filters.js';

export class FacetPanel {
  /**
   * @param {import('./page.js').Elements} el
   * @param {import('./metadata.js').Collection} collection
   * @param {{change: () => void, layout: () => void}} on  change: the filters changed (the
   *   controller recomputes the result set); layout: the drawer opened or closed (the map resizes)
   */
  constructor(el, collection, on) {
    const { meta, grid } = collection;
    this.el = el;
    this.on = on;
    this.facets = prepareFacets(meta.facets, meta.items.id.length);
    this.cells = meta.cells;
    this.onMap = Uint8Array.from(grid.cellOfItem, (c) => (c >= 0 ? 1 : 0));
    /** @type {import('./filters.js').FilterState} */
    this.state = new Map();
    this.found = null; // the search's hits as last given, and as a 0/1 mask
    this.hits = null;
    this.views = this.facets.map((facet) =>
      facet.kind === 'categorical'
        ? new CategoricalView(facet, { toggle: (v, on) => this.toggle(facet.field, v, on), clear: () => this.clear(facet.field) })
        : new RangeView(facet, { range: (lo, hi) => this.set(facet.field, [lo, hi]), clear: () => this.clear(facet.field) }),
    );
    el.filtersList.replaceChildren(...this.views.map((v) => v.root));
    el.filtersOpen.hidden = this.facets.length === 0;
    el.filtersOpen.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
    el.filtersClose.addEventListener('click', () => this.close());
    el.filtersClear.addEventListener('click', () => this.replace(new Map()));
    el.filters.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Escape') return;
      ev.stopPropagation(); // closes the drawer only, not the details panel
      this.close();
    });
  }

  get isOpen() {
    return !this.el.filters.hidden;
  }

  open() {
    this.el.filters.hidden = false;
    this.el.filtersOpen.setAttribute('aria-expanded', 'true');
    this.on.layout();
    this.el.filtersTitle.focus();
  }

  close() {
    if (!this.isOpen) return;
    this.el.filters.hidden = true;
    this.el.filtersOpen.setAttribute('aria-expanded', 'false');
    this.on.layout();
    this.el.filtersOpen.focus();
  }

  toggle(field, value, on) {
    const chosen = new Set(/** @type {Set<string>} */ (this.state.get(field)) || []);
    if (on) chosen.add(value);
    else chosen.delete(value);
    if (chosen.size) this.state.set(field, chosen);
    else this.state.delete(field);
    this.on.change();
  }

  set(field, range) {
    this.state.set(field, range);
    this.on.change();
  }

  clear(field) {
    const next = new Map(this.state);
    next.delete(field);
    this.replace(next);
  }

  /** A new state from elsewhere (Clear, Clear all): the views show it, the result set follows. */
  replace(state) {
    this.show(state);
    this.on.change();
  }

  show(state) {
    this.state = state;
    this.syncViews({ relist: true });
  }

  /** Each facet's view shows its part of the filter state. */
  syncViews(options = {}) {
    this.views.forEach((view, k) => {
      const filter = this.state.get(this.facets[k].field);
      if (view instanceof CategoricalView) view.setFilter(filter instanceof Set ? filter : new Set(), options);
      else view.setFilter(Array.isArray(filter) ? filter : null);
    });
  }

  /**
   * The current result set: images on the map that the search found (`found`: item indices, or
   * null for no search) and that pass the filters, in cell order; null when neither is active.
   * Updates the counts and the "N of M shown" badge on the way.
   * @param {number[] | null} found
   */
  apply(found) {
    if (found !== this.found) {
      this.found = found;
      this.hits = found && new Uint8Array(this.onMap.length);
      if (found) for (const i of found) this.hits[i] = 1;
    }
    if (this.facets.length === 0) return found && passingInCellOrder(this.hits, this.cells);
    const filtering = isFiltering(this.state);
    const ev = evaluate(this.facets, this.state, this.hits, this.onMap);
    this.syncViews();
    this.views.forEach((view, k) => view.setCounts(ev.counts[k]));
    this.el.filtersClear.disabled = !filtering;
    this.el.filtersOpen.classList.toggle('active', filtering);
    if (!filtering && !found) return this.badge(null);
    this.badge(shownText(ev.shown, ev.total));
    return passingInCellOrder(ev.pass, this.cells);
  }

  /** "N of M shown" in the toolbar and the drawer, or nothing. @returns {null} */
  badge(text) {
    for (const node of [this.el.filtersShown, this.el.filtersBadge]) {
      node.textContent = text || '';
      node.hidden = !text;
    }
    return null;
  }

  /** The filters as deep-link pairs (deeplink.js formatHash's `filters`). */
  link() {
    return encodeState(this.facets, this.state);
  }

  /**
   * Takes the filters of a deep link (deeplink.js parseFilters; unknown fields and values are
   * ignored). @returns {boolean} whether they differ from the current ones
   */
  restore(pairs) {
    const next = decodeState(this.facets, pairs);
    if (sameState(next, this.state)) return false;
    this.show(next);
    return true;
  }
}

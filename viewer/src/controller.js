// What is selected and what is searched, and the URL hash that mirrors both (deeplink.js). Every
// change goes through here, so the panel, the outline, the dimming, the count and the hash agree.

import { detailsOf } from './details.js';
import { formatHash, parseFilters, parseHash, parseView, sameHash } from './deeplink.js';
import { stepMatch } from './matches.js';
import { showStatus } from './page.js';
import { renderResultSteps } from './result-steps.js';
import { selectionOfHash, withSelection } from './selection-codec.js';
import { renderCount } from './search-box.js';

/** @typedef {'push' | 'replace' | 'none'} HistoryMode  how a change reaches the browser history */

export class Controller {
  /** @param {import('./page.js').Elements} el */
  constructor(el) {
    this.el = el;
    /**
     * The loaded map, null until then (the search box may be used before).
     * @type {{collection: import('./metadata.js').Collection, map: import('./map.js').MapView,
     *   dim: import('./dim-layer.js').DimLayer, panel: import('./panel.js').Panel,
     *   focus: import('./map-focus.js').MapFocus, results: import('./results-list.js').ResultsList,
     *   facets: import('./facet-panel.js').FacetPanel, similar: import('./similar-section.js').SimilarSection} | null}
     */
    this.app = null;
    this.query = '';
    this.matches = null; // item indices in cell order, or null when no search or filter is active
    this.found = null; // the search's hits (null: no search), kept while only the filters change
    this.searched = null; // the query `found` answers
    this.matchPos = -1; // which match the view was last stepped to
    this.selected = -1;
    this.statusBefore = null; // the status line under a "not in this collection" notice
    /** @type {import('./selection-tools.js').SelectionTools | null} the selection, `sel=` in the hash */
    this.selection = null;
  }

  attach(app) {
    this.app = app;
  }

  /** @param {import('./selection-tools.js').SelectionTools} selection */
  attachSelection(selection) {
    this.selection = selection;
  }

  /**
   * @param {string} query
   * @param {{history?: HistoryMode, frame?: boolean}} [options]  frame: show all the results
   */
  search(query, { history = 'replace', frame = true } = {}) {
    this.query = query;
    const app = this.app;
    if (query !== this.searched) this.found = app ? app.collection.search(query) : null;
    this.searched = app ? query : null; // typing may come before the map
    this.matches = app ? app.facets.apply(this.found) : null; // facet-panel.js: AND the filters
    if (app) app.dim.setMatches(this.matches);
    this.matchPos = -1;
    this.el.root.dataset.searching = this.matches === null ? 'false' : 'true';
    this.renderResults();
    if (app) app.dim.draw();
    if (frame) this.frameResults();
    this.writeHash(history);
  }

  /** The facet filters changed (facet-panel.js): a new result set; the view stays where it is. */
  filter() {
    this.search(this.query, { frame: false });
  }

  /** The count, the results list and the panel's steps, after the results or the selection changed. */
  renderResults() {
    renderCount(this.el, this.matches, this.matchPos);
    renderResultSteps(this.el, this.matches, this.selected);
    if (this.app) this.app.results.update(this.matches, this.selected);
  }

  /** Frames the current result set in the part of the map the visitor can see (none: no move). */
  frameResults() {
    if (this.app) this.app.focus.frame(this.matches);
  }

  /** After the map's size changed (a list opened or closed): the selected image, else the results, stay in view. */
  keepInView() {
    if (!this.app) return;
    if (this.selected >= 0) this.app.focus.showItem(this.selected);
    else this.frameResults();
  }

  /** Enter in the search box: search now if the pause has not passed yet, then go to a match. */
  submit(query) {
    if (query !== this.query) this.search(query, { frame: false });
    this.step(1);
  }

  step(delta) {
    const m = this.matches;
    if (!m || m.length === 0) return;
    this.goToMatch(stepMatch(m, this.matchPos, this.selected, delta));
  }

  /** Selects the result at `pos` and zooms onto it (the step buttons, the results list). */
  goToMatch(pos) {
    this.matchPos = pos;
    this.select(this.matches[pos], { history: 'replace', zoom: true, keepMatchPos: true });
  }

  /**
   * @param {number} item
   * @param {{history?: HistoryMode, zoom?: boolean, immediately?: boolean, keepMatchPos?: boolean}} [options]
   *   keepMatchPos: the selection comes from stepping, so the "n of m" position stays
   */
  select(item, { history = 'push', zoom = false, immediately = false, keepMatchPos = false } = {}) {
    const { collection, map, panel } = this.app;
    if (!keepMatchPos && this.matches && this.matchPos >= 0 && this.matches[this.matchPos] !== item) {
      this.matchPos = -1;
    }
    this.selected = item;
    this.renderResults();
    panel.fill(detailsOf(collection.meta, item));
    this.app.similar.show(item);
    panel.open();
    map.showOutline('selected', item);
    // After the panel's layout: zoomed onto the image, or panned just enough to leave it in view.
    this.app.focus.showItem(item, { zoom, immediately });
    this.writeHash(history);
  }

  /** @param {{history?: HistoryMode}} [options] */
  deselect({ history = 'push' } = {}) {
    if (this.selected < 0 && !(this.app && this.app.panel.isOpen)) return;
    this.selected = -1;
    this.renderResults();
    this.app.map.showOutline('selected', -1);
    this.app.panel.close();
    this.writeHash(history);
  }

  /** The switch pressed (arrangements.js): the map shows arrangement `name`, and the link says so. */
  arrange(name) {
    this.app.arrangements
      .show(name)
      .then(() => this.writeHash('push'))
      .catch((error) => showStatus(this.el, `The ${name} could not be shown: ${error.message}`, { error: true }));
  }

  /** The map switched arrangement: the dimming, the outline and the view follow the new grid. */
  arranged() {
    const { dim, map, focus } = this.app;
    dim.setMatches(this.matches);
    dim.draw();
    map.showOutline('selected', this.selected);
    if (this.selected >= 0) focus.showItem(this.selected, { zoom: true });
    else this.frameResults();
  }

  /** @param {HistoryMode} mode */
  writeHash(mode) {
    if (mode === 'none' || !this.app) return;
    const ids = this.app.collection.meta.items.id;
    const filters = this.app.facets.link();
    const view = this.app.arrangements.linkView();
    const hash = formatHash({ item: this.selected >= 0 ? String(ids[this.selected]) : null, q: this.query, filters, view });
    const full = withSelection(hash, this.selection ? this.selection.linkValue() : '');
    if (sameHash(full, location.hash)) return;
    const url = full || location.pathname + location.search;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  /** Shows what the hash says: on opening (`initial`: zoom at once) and on back/forward. */
  applyHash({ initial = false } = {}) {
    if (!this.app || !this.app.map.tiled) return;
    const view = this.app.arrangements.viewOf(parseView(location.hash));
    if (view !== this.app.arrangements.current) {
      // The map switches first; the rest of the link then applies to the arrangement shown.
      this.app.arrangements
        .show(view)
        .catch((error) => showStatus(this.el, `The ${view} could not be shown: ${error.message}`, { error: true }))
        .then(() => this.applyHash({ initial })); // a timeline that failed is gone: the similarity map
      return;
    }
    const link = parseHash(location.hash);
    if (this.statusBefore !== null) {
      showStatus(this.el, this.statusBefore); // a notice about the previous link is stale now
      this.statusBefore = null;
    }
    const filtered = this.app.facets.restore(parseFilters(location.hash));
    if (this.selection) this.selection.restore(selectionOfHash(location.hash));
    const searched = initial || link.q !== this.query || filtered;
    if (searched) {
      this.el.input.value = link.q;
      this.search(link.q, { history: 'none', frame: false });
    }
    const item = link.item === null ? -1 : (this.app.collection.idIndex.get(link.item) ?? -1);
    if (item >= 0) {
      if (item !== this.selected || initial) this.select(item, { history: 'none', zoom: true, immediately: initial });
    } else {
      this.deselect({ history: 'none' });
      if (searched) this.frameResults(); // with the panel's new layout
      if (link.item !== null) {
        this.statusBefore = this.el.status.textContent;
        showStatus(this.el, 'That image is not in this collection.');
      }
    }
  }
}

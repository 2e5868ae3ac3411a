// What is selected and what is searched, and the URL hash that mirrors both (deeplink.js). Every
// change goes through here, so the panel, the outline, the dimming, the count and the hash agree.

import { detailsOf } from './details.js';
import { formatHash, parseHash, sameHash } from './deeplink.js';
import { orderMatches, stepMatch } from './matches.js';
import { showStatus } from './page.js';
import { renderCount } from './search-box.js';

/** @typedef {'push' | 'replace' | 'none'} HistoryMode  how a change reaches the browser history */

export class Controller {
  /** @param {import('./page.js').Elements} el */
  constructor(el) {
    this.el = el;
    /**
     * The loaded map, null until then (the search box may be used before).
     * @type {{collection: import('./metadata.js').Collection, map: import('./map.js').MapView,
     *   dim: import('./dim-layer.js').DimLayer, panel: import('./panel.js').Panel} | null}
     */
    this.app = null;
    this.query = '';
    this.matches = null; // item indices in cell order, or null when no search is active
    this.matchPos = -1; // which match the view was last stepped to
    this.selected = -1;
  }

  attach(app) {
    this.app = app;
  }

  /**
   * @param {string} query
   * @param {{history?: HistoryMode}} [options]
   */
  search(query, { history = 'replace' } = {}) {
    this.query = query;
    const app = this.app;
    const found = app ? app.collection.search(query) : null;
    this.matches = orderMatches(found, app && app.collection.grid.cellOfItem);
    if (app) app.dim.setMatches(this.matches);
    this.matchPos = -1;
    this.el.root.dataset.searching = this.matches === null ? 'false' : 'true';
    renderCount(this.el, this.matches, this.matchPos);
    if (app) app.dim.draw();
    this.writeHash(history);
  }

  /** Enter in the search box: search now if the pause has not passed yet, then go to a match. */
  submit(query) {
    if (query !== this.query) this.search(query);
    this.step(1);
  }

  step(delta) {
    const m = this.matches;
    if (!m || m.length === 0) return;
    this.matchPos = stepMatch(m, this.matchPos, this.selected, delta);
    renderCount(this.el, m, this.matchPos);
    this.select(m[this.matchPos], { history: 'replace', zoom: true, keepMatchPos: true });
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
      renderCount(this.el, this.matches, this.matchPos);
    }
    this.selected = item;
    panel.fill(detailsOf(collection.meta, item));
    if (this.app.similar) this.app.similar.show(item);
    panel.open();
    map.showOutline('selected', item);
    if (zoom) map.zoomToItem(item, immediately);
    this.writeHash(history);
  }

  /** @param {{history?: HistoryMode}} [options] */
  deselect({ history = 'push' } = {}) {
    if (this.selected < 0 && !(this.app && this.app.panel.isOpen)) return;
    this.selected = -1;
    this.app.map.showOutline('selected', -1);
    this.app.panel.close();
    this.writeHash(history);
  }

  /** @param {HistoryMode} mode */
  writeHash(mode) {
    if (mode === 'none' || !this.app) return;
    const ids = this.app.collection.meta.items.id;
    const hash = formatHash({ item: this.selected >= 0 ? String(ids[this.selected]) : null, q: this.query });
    if (sameHash(hash, location.hash)) return;
    const url = hash || location.pathname + location.search;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  /** Shows what the hash says: on opening (`initial`: zoom at once) and on back/forward. */
  applyHash({ initial = false } = {}) {
    if (!this.app || !this.app.map.tiled) return;
    const link = parseHash(location.hash);
    if (initial || link.q !== this.query) {
      this.el.input.value = link.q;
      this.search(link.q, { history: 'none' });
    }
    const item = link.item === null ? -1 : (this.app.collection.idIndex.get(link.item) ?? -1);
    if (item >= 0) {
      if (item !== this.selected || initial) this.select(item, { history: 'none', zoom: true, immediately: initial });
    } else {
      this.deselect({ history: 'none' });
      if (link.item !== null) showStatus(this.el, 'That image is not in this collection.');
    }
  }
}

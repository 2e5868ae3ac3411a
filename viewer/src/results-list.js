// The results list: the current result set as rows of thumbnail and title, a page at a time
// (results.js), so that 100,000 results never make 100,000 rows. Choosing a row selects its
// image and moves the map to it; the row of the selected image is marked as current.

import { itemButton } from './item-row.js';
import { moreText, nextPageEnd } from './results.js';

export class ResultsList {
  /**
   * @param {import('./page.js').Elements} el
   * @param {import('./metadata.js').Collection} collection
   * @param {import('./map.js').MapView} map
   * @param {{choose: (pos: number) => void, layout: () => void}} on  choose: selects the result at
   *   `pos` and moves the map to it; layout: the list opened or closed (the map's size changes)
   */
  constructor(el, collection, map, on) {
    this.el = el;
    this.collection = collection;
    this.map = map;
    this.on = on;
    this.matches = null;
    this.selected = -1;
    this.shown = 0; // rows made so far
    el.resultsToggle.addEventListener('click', () => this.toggle(el.results.hidden));
    el.resultsMore.addEventListener('click', () => {
      const first = this.shown;
      this.addRows();
      this.el.resultsList.children[first]?.querySelector('button')?.focus();
    });
  }

  get isOpen() {
    return !this.el.results.hidden;
  }

  /** Opens or closes the list; it opens on the first page of the current results. */
  toggle(open) {
    const el = this.el;
    const changed = open === el.results.hidden;
    el.results.hidden = !open;
    el.resultsToggle.setAttribute('aria-expanded', String(open));
    el.root.dataset.results = open ? 'open' : 'closed';
    this.shown = 0;
    el.resultsList.replaceChildren();
    if (open) this.addRows();
    if (changed) this.on.layout();
  }

  /** A new result set (back to its first page) or a new selection (the current row moves). */
  update(matches, selected) {
    const any = !!matches && matches.length > 0;
    this.el.resultsToggle.disabled = !any;
    if (matches !== this.matches) {
      this.matches = matches;
      this.selected = selected;
      if (this.isOpen || !any) this.toggle(this.isOpen && any);
      return;
    }
    if (selected === this.selected) return;
    this.selected = selected;
    for (const button of this.el.resultsList.querySelectorAll('button')) this.markCurrent(button);
  }

  addRows() {
    const total = this.matches ? this.matches.length : 0;
    const end = nextPageEnd(total, this.shown);
    const rows = [];
    for (let pos = this.shown; pos < end; pos++) rows.push(this.row(pos));
    this.el.resultsList.append(...rows);
    this.shown = end;
    const more = moreText(total, end);
    this.el.resultsMore.textContent = more;
    this.el.resultsMore.hidden = !more;
  }

  row(pos) {
    const button = itemButton(this.collection, this.map, this.matches[pos]);
    this.markCurrent(button);
    button.addEventListener('click', () => {
      // Where the list lies over the map (phones), it gives way to the map and the panel.
      const over = getComputedStyle(this.el.results).position === 'absolute';
      if (over) this.toggle(false);
      this.on.choose(pos);
      if (over) this.el.panelTitle.focus();
    });
    const li = document.createElement('li');
    li.append(button);
    return li;
  }

  markCurrent(button) {
    const current = this.selected >= 0 && button.dataset.item === String(this.collection.meta.items.id[this.selected]);
    if (current) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
}

// The selection list: a drawer (beside the map, over it on phones) with the count, the export
// buttons, Clear, and the selected images as rows (thumbnail and title, a page at a time) that
// can be visited or removed.

import { imageCount } from './counts.js';
import { titleOf } from './metadata.js';
import { itemButton } from './item-row.js';
import { moreText, nextPageEnd } from './results.js';
import { downloadSelection } from './selection-files.js';

export class SelectionPanel {
  /**
   * @param {import('./page.js').Elements} el
   * @param {import('./metadata.js').Collection} collection
   * @param {import('./map.js').MapView} map
   * @param {import('./selection.js').Selection} selection
   * @param {{visit: (item: number) => void, layout: () => void, link: () => string | null}} on
   *   visit: show an image; layout: the drawer opened or closed; link: the selection's page, if any
   */
  constructor(el, collection, map, selection, on) {
    this.el = el;
    this.collection = collection;
    this.map = map;
    this.selection = selection;
    this.on = on;
    this.items = []; // the rows' items, ascending
    this.shown = 0;
    el.selectionToggle.addEventListener('click', () => this.toggle(el.selection.hidden));
    el.selectionClose.addEventListener('click', () => {
      this.toggle(false);
      el.selectionToggle.focus();
    });
    el.selectionClear.addEventListener('click', () => selection.clear());
    el.selectionMore.addEventListener('click', () => {
      const first = this.shown;
      this.addRows();
      el.selectionList.children[first]?.querySelector('button')?.focus();
    });
    for (const [button, format] of [[el.exportCsv, 'csv'], [el.exportJson, 'json'], [el.exportIiif, 'iiif']]) {
      button.addEventListener('click', () => downloadSelection(format, collection, map, selection.sorted(), on.link()));
    }
  }

  get isOpen() {
    return !this.el.selection.hidden;
  }

  /** Opens or closes the drawer; on phones, where drawers lie over the map, it takes the results list's place. */
  toggle(open) {
    const el = this.el;
    const changed = open === el.selection.hidden;
    if (open && !el.results.hidden && getComputedStyle(el.results).position === 'absolute') el.resultsToggle.click();
    el.selection.hidden = !open;
    el.selectionToggle.setAttribute('aria-expanded', String(open));
    this.render();
    if (open) el.selectionTitle.focus();
    if (changed) this.on.layout();
  }

  /** The selection changed: the summary, the buttons and (while open) the rows. */
  update(tooLong) {
    const el = this.el;
    const n = this.selection.count;
    el.selectionSummary.textContent = n ? `${imageCount(n)} selected` : 'Nothing selected yet: draw a rectangle or a lasso on the map, or press x over an image.';
    for (const b of [el.exportCsv, el.exportJson, el.exportIiif, el.selectionClear]) b.disabled = n === 0;
    el.selectionNote.hidden = !tooLong;
    if (this.isOpen) this.render();
  }

  render() {
    this.items = [...this.selection.sorted()];
    this.shown = 0;
    this.el.selectionList.replaceChildren();
    if (this.isOpen) this.addRows();
  }

  addRows() {
    const end = nextPageEnd(this.items.length, this.shown);
    const rows = [];
    for (let pos = this.shown; pos < end; pos++) rows.push(this.row(this.items[pos]));
    this.el.selectionList.append(...rows);
    this.shown = end;
    const more = moreText(this.items.length, end);
    this.el.selectionMore.textContent = more;
    this.el.selectionMore.hidden = !more;
  }

  row(item) {
    const visit = itemButton(this.collection, this.map, item);
    visit.addEventListener('click', () => this.on.visit(item));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'btn selection-remove';
    remove.setAttribute('aria-label', `Remove ${titleOf(this.collection.meta, item)} from the selection`);
    const mark = document.createElement('span');
    mark.setAttribute('aria-hidden', 'true');
    mark.textContent = '×';
    remove.append(mark);
    remove.addEventListener('click', () => {
      const pos = this.items.indexOf(item);
      this.selection.remove([item]);
      // Focus stays in the list: on the row that took this one's place, else the one before.
      const rows = this.el.selectionList.children;
      const target = (rows[pos] ?? rows[pos - 1])?.querySelector('.selection-remove');
      (target ?? this.el.selectionTitle).focus();
    });
    const li = document.createElement('li');
    li.className = 'selection-row';
    li.append(visit, remove);
    return li;
  }
}

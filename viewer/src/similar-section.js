// "Similar objects" in the details panel: thumbnails of the selected image's most similar
// images, cut from the map's own tiles; choosing one selects it and moves the map to it.

import { titleOf } from './metadata.js';
import { SimilarRows, similarSource } from './similar.js';
import { cellThumbnail } from './thumbnail.js';

/** The thumbnails' longer side in CSS pixels: four to a row in the panel. */
const THUMB_SIZE = 72;

export class SimilarSection {
  /**
   * @param {import('./page.js').Elements} el
   * @param {import('./metadata.js').Collection} collection
   * @param {import('./map.js').MapView} map
   * @param {(item: number) => void} select  selects an item and moves the map to it
   */
  constructor(el, collection, map, select) {
    this.el = el;
    this.collection = collection;
    this.map = map;
    this.select = select;
    const source = similarSource(collection.meta, collection.base);
    this.rows = source && new SimilarRows(source, collection.meta.items.id.length);
    this.item = -1;
  }

  /** Shows `item`'s similar images (-1: none) once its row has arrived; hidden until then. */
  show(item) {
    this.item = item;
    this.render([]);
    if (!this.rows || item < 0) return;
    this.rows
      .of(item)
      .then((items) => {
        if (this.item === item) this.render(items); // not a row for an image left meanwhile
      })
      .catch((error) => console.warn(`Similar objects are not available: ${error.message}`));
  }

  render(items) {
    this.el.similarList.replaceChildren(...items.map((other) => this.entry(other)));
    this.el.similar.hidden = items.length === 0;
  }

  entry(item) {
    const title = titleOf(this.collection.meta, item);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'similar-item';
    button.title = title;
    button.dataset.item = String(this.collection.meta.items.id[item]);
    const name = document.createElement('span');
    name.className = 'visually-hidden';
    name.textContent = title;
    const drawn = () => (button.dataset.drawn = 'true');
    button.append(cellThumbnail(this.map, item, THUMB_SIZE, drawn), name);
    button.addEventListener('click', () => {
      this.select(item);
      this.el.panelTitle.focus(); // the button is gone with the old list: keyboard users go on from the new title
    });
    const li = document.createElement('li');
    li.append(button);
    return li;
  }
}

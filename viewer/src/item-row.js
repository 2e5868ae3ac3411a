// One image as a list row's button: its thumbnail cut from the map's tiles and its title (the
// results list and the selection list).

import { titleOf } from './metadata.js';
import { cellThumbnail } from './thumbnail.js';

/** The thumbnails' longer side in CSS pixels. */
const THUMB_SIZE = 48;

/**
 * A button showing `item` (class `result`, `data-item` its id; `data-drawn` once the thumbnail
 * is drawn); the caller adds what clicking it does.
 * @param {import('./metadata.js').Collection} collection
 * @param {import('./map.js').MapView} map
 * @param {number} item
 */
export function itemButton(collection, map, item) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'result';
  button.dataset.item = String(collection.meta.items.id[item]);
  const title = document.createElement('span');
  title.className = 'result-title';
  title.textContent = titleOf(collection.meta, item);
  button.append(cellThumbnail(map, item, THUMB_SIZE, () => (button.dataset.drawn = 'true')), title);
  return button;
}

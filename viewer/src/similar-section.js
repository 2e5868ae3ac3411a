// "Similar objects" in the details panel: thumbnails of the selected image's most similar
// images, cut from the map's own tiles; choosing one selects it and moves the map to it.

import { scaledCellRect } from './geometry.js';
import { titleOf } from './metadata.js';
import { loadSimilar, similarOf, similarSource } from './similar.js';
import { fitBox, levelFor, tilePieces } from './tile-crop.js';

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
    this.source = similarSource(collection.meta, collection.dziUrl);
    this.table = null;
    this.loading = null;
    this.item = -1;
  }

  /** Fetches the table, once (after the map's first paint); without it the section stays hidden. */
  load() {
    if (this.source && !this.loading) {
      this.loading = loadSimilar(this.source, this.collection.meta.items.id.length)
        .then((table) => {
          this.table = table;
          this.render();
        })
        .catch((error) => console.warn(`Similar objects are not available: ${error.message}`));
    }
    return this.loading;
  }

  /** Shows `item`'s similar images (-1: none). */
  show(item) {
    this.item = item;
    this.render();
  }

  render() {
    const items = this.table && this.item >= 0 ? similarOf(this.table, this.item) : [];
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
    button.append(this.thumbnail(item, button), name);
    button.addEventListener('click', () => {
      this.select(item);
      this.el.panelTitle.focus(); // the button is gone with the old list: keyboard users go on from the new title
    });
    const li = document.createElement('li');
    li.append(button);
    return li;
  }

  /** A canvas with `item`'s cell drawn from the map's tiles; `button.dataset.drawn` once complete. */
  thumbnail(item, button) {
    const grid = this.collection.grid;
    const box = fitBox(grid.cellWidth, grid.cellHeight, THUMB_SIZE);
    const ratio = window.devicePixelRatio || 1;
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    canvas.style.width = `${box.width}px`;
    canvas.style.height = `${box.height}px`;
    const cell = grid.cellOfItem[item];
    const tiled = this.map.tiled;
    if (cell < 0 || !tiled) return canvas;

    const source = tiled.source;
    const dzi = {
      width: source.dimensions.x,
      height: source.dimensions.y,
      tileSize: source.getTileWidth(source.maxLevel),
      overlap: source.tileOverlap,
      maxLevel: source.maxLevel,
    };
    const rect = scaledCellRect(grid, this.map.scale, cell);
    const level = levelFor(dzi, rect.w, canvas.width);
    const pieces = tilePieces(dzi, rect, level);
    const context = canvas.getContext('2d');
    let left = pieces.length;
    for (const p of pieces) {
      const image = new Image();
      image.addEventListener('load', () => {
        const { width: w, height: h } = canvas;
        context.drawImage(image, p.sx, p.sy, p.sw, p.sh, p.fx * w, p.fy * h, p.fw * w, p.fh * h);
        if (--left === 0) button.dataset.drawn = 'true';
      });
      image.src = source.getTileUrl(level, p.x, p.y);
    }
    return canvas;
  }
}

// A thumbnail of one image cut from the map's own tiles (tile-crop.js): the browser has most of
// them cached already, so the similar objects and the results list cost no extra downloads.

import { scaledCellRect } from './geometry.js';
import { fitBox, levelFor, tilePieces } from './tile-crop.js';

/**
 * The map pyramid's geometry (tile-crop.js) from its OpenSeadragon tile source.
 * @returns {import('./tile-crop.js').DziGeometry}
 */
export function dziGeometry(source) {
  return {
    width: source.dimensions.x,
    height: source.dimensions.y,
    tileSize: source.getTileWidth(source.maxLevel),
    overlap: source.tileOverlap,
    maxLevel: source.maxLevel,
  };
}

/**
 * A canvas of at most `size` × `size` CSS pixels with `item`'s cell drawn from the tiles (blank
 * when the item is not on the map); `drawn()` is called once every piece is drawn.
 * @param {import('./map.js').MapView} map  an open map (its TiledImage is known)
 * @param {number} item
 * @param {number} size
 * @param {() => void} [drawn]
 */
export function cellThumbnail(map, item, size, drawn = () => {}) {
  const grid = map.grid;
  const box = fitBox(grid.cellWidth, grid.cellHeight, size);
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-hidden', 'true');
  canvas.width = Math.round(box.width * ratio);
  canvas.height = Math.round(box.height * ratio);
  canvas.style.width = `${box.width}px`;
  canvas.style.height = `${box.height}px`;
  const cell = grid.cellOfItem[item];
  const tiled = map.tiled;
  if (cell < 0 || !tiled) return canvas;

  const source = tiled.source;
  const dzi = dziGeometry(source);
  const rect = scaledCellRect(grid, map.scale, cell);
  const level = levelFor(dzi, rect.w, canvas.width);
  const pieces = tilePieces(dzi, rect, level);
  const context = canvas.getContext('2d');
  let left = pieces.length;
  for (const p of pieces) {
    const image = new Image();
    image.addEventListener('load', () => {
      const { width: w, height: h } = canvas;
      context.drawImage(image, p.sx, p.sy, p.sw, p.sh, p.fx * w, p.fy * h, p.fw * w, p.fh * h);
      if (--left === 0) drawn();
    });
    image.src = source.getTileUrl(level, p.x, p.y);
  }
  return canvas;
}

// The selection's IIIF manifest assembled from the collection and the arrangement on screen:
// which image paints each canvas (export-iiif.js). Pure: no DOM; the page's URL comes in.

import { hasDetail } from './detail.js';
import { detailsOf } from './details.js';
import { cellImage, detailImage, selectionManifest, serviceImage } from './export-iiif.js';
import { scaledCellRect } from './geometry.js';
import { sourceOf } from './iiif-source.js';
import { collectionName } from './metadata.js';

/**
 * @typedef {object} ShownTiles  the arrangement on screen (similarity map or timeline)
 * @property {import('./grid.js').Grid} grid  its grid
 * @property {number} scale  its pyramid's pixels per grid pixel
 * @property {import('./tile-crop.js').DziGeometry} dzi  its pyramid
 * @property {string} format  its tiles' format ('jpg', 'png', ...)
 * @property {(level: number, x: number, y: number) => string} tileUrl  a tile's URL, absolute or
 *   relative to the page
 */

/**
 * The manifest of `items`. Each image is painted by its IIIF source's image service where it
 * has one, else by its own pyramid's single-tile level, else by its cell in the tiles of the
 * arrangement shown (`shown`); an image with none of these (no service, no pyramid, not on the
 * map) is left out. The manifest's resources are named under `selection/` beside the page.
 * @param {import('./metadata.js').Collection} collection
 * @param {ShownTiles} shown
 * @param {ArrayLike<number>} items
 * @param {string | null} link  the page showing the selection
 * @param {string} pageHref  the page's absolute URL (its hash and query are dropped)
 */
export function manifestOf(collection, shown, items, link, pageHref) {
  const { meta, detail } = collection;
  const tileUrl = (level, x, y) => new URL(shown.tileUrl(level, x, y), pageHref).href;
  const entries = [];
  for (const item of items) {
    const cell = shown.grid.cellOfItem[item];
    const source = sourceOf(meta, item);
    let image = null;
    if (hasDetail(detail, item)) image = detailImage(detail, item);
    else if (cell >= 0) image = cellImage(shown.dzi, scaledCellRect(shown.grid, shown.scale, cell), tileUrl, shown.format);
    if (source?.service) {
      // Where the source's size is unknown, the canvas today's file would have (else a cell).
      const canvas = image?.canvas ?? { width: meta.grid.cell_width, height: meta.grid.cell_height };
      image = serviceImage(source.service, source, canvas);
    }
    if (!image) continue;
    const d = detailsOf(meta, item);
    entries.push({ title: d.title, fields: d.rows, url: d.url, image, source });
  }
  const page = new URL(pageHref);
  page.hash = '';
  page.search = '';
  const n = entries.length;
  return selectionManifest(
    { base: new URL('selection/', page).href, label: `${collectionName(meta)}: ${n.toLocaleString()} selected ${n === 1 ? 'image' : 'images'}`, homepage: link },
    entries,
  );
}

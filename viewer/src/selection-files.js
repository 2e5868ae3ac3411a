// The selection's files for download: CSV and JSON records (export-records.js) and a IIIF
// Presentation 3 manifest (export-iiif.js) whose images are files the site publishes, as
// absolute URLs; handed to the browser through a Blob and a temporary <a download>.

import { hasDetail } from './detail.js';
import { detailsOf } from './details.js';
import { cellImage, detailImage, selectionManifest } from './export-iiif.js';
import { toCsv, toJson } from './export-records.js';
import { scaledCellRect } from './geometry.js';
import { collectionName } from './metadata.js';
import { dziGeometry } from './thumbnail.js';

/**
 * The manifest of `items`: each image's own pyramid's single-tile level where it has one, else
 * its cell in the tiles of the arrangement shown. Items that are not on the map and have no pyramid are left out.
 * @param {import('./metadata.js').Collection} collection
 * @param {import('./map.js').MapView} map  an open map
 * @param {ArrayLike<number>} items
 * @param {string | null} link  the page showing the selection
 */
export function manifestOf(collection, map, items, link) {
  const { meta, detail } = collection;
  // The arrangement on screen: its grid and its tiles (the timeline's after a switch), never
  // the similarity grid over the timeline's tiles.
  const { grid, tiled } = map;
  const source = tiled.source;
  const dzi = dziGeometry(source);
  const tileUrl = (level, x, y) => new URL(source.getTileUrl(level, x, y), location.href).href;
  const entries = [];
  for (const item of items) {
    const cell = grid.cellOfItem[item];
    let image;
    if (hasDetail(detail, item)) image = detailImage(detail, item);
    else if (cell >= 0) image = cellImage(dzi, scaledCellRect(grid, map.scale, cell), tileUrl, source.fileFormat);
    else continue;
    const d = detailsOf(meta, item);
    entries.push({ title: d.title, fields: d.rows, url: d.url, image });
  }
  const page = new URL(location.href);
  page.hash = '';
  page.search = '';
  const n = entries.length;
  return selectionManifest(
    { base: new URL('selection/', page).href, label: `${collectionName(meta)}: ${n.toLocaleString()} selected ${n === 1 ? 'image' : 'images'}`, homepage: link },
    entries,
  );
}

/** Hands `text` to the browser as a file download named `name`. */
function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0); // after the click has started the download
}

/**
 * Downloads the selection as `format`: 'csv', 'json' or 'iiif' (a manifest).
 * @param {'csv' | 'json' | 'iiif'} format
 * @param {import('./metadata.js').Collection} collection
 * @param {import('./map.js').MapView} map
 * @param {ArrayLike<number>} items  ascending
 * @param {string | null} link  the page showing the selection, if a link can hold it
 */
export function downloadSelection(format, collection, map, items, link) {
  const stem = `${String(collection.meta.collection || 'collection').replace(/[^\w.-]+/g, '_')}-selection`;
  if (format === 'csv') download(toCsv(collection.meta, items), `${stem}.csv`, 'text/csv;charset=utf-8');
  else if (format === 'json') download(toJson(collection.meta, items, link), `${stem}.json`, 'application/json');
  else {
    const manifest = manifestOf(collection, map, items, link);
    download(`${JSON.stringify(manifest, null, 2)}\n`, `${stem}-iiif.json`, 'application/ld+json');
  }
}

// The selection's files for download: CSV and JSON records (export-records.js) and a IIIF
// Presentation 3 manifest (selection-manifest.js); handed to the browser through a Blob and a
// temporary <a download>. The only module of the export that touches the page.

import { toCsv, toJson } from './export-records.js';
import { manifestOf } from './selection-manifest.js';
import { dziGeometry } from './thumbnail.js';

/**
 * The arrangement on screen, as the manifest's assembly needs it: its grid and its tiles (the
 * timeline's after a switch), never the similarity grid over the timeline's tiles.
 * @param {import('./map.js').MapView} map  an open map
 * @returns {import('./selection-manifest.js').ShownTiles}
 */
function shownTiles(map) {
  const source = map.tiled.source;
  return {
    grid: map.grid,
    scale: map.scale,
    dzi: dziGeometry(source),
    format: source.fileFormat,
    tileUrl: (level, x, y) => source.getTileUrl(level, x, y),
  };
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
    const manifest = manifestOf(collection, shownTiles(map), items, link, location.href);
    download(`${JSON.stringify(manifest, null, 2)}\n`, `${stem}-iiif.json`, 'application/ld+json');
  }
}

// The collection's runtime contract (docs/architecture.md): `current.json` (relative to the page)
// -> {"format": 1, "path": "versions/<v>/", "image": "<dzi or iiif/info.json>"}, then
// `<path>metadata.json`, and the map's image at `<path><image>`: a Deep Zoom descriptor or a
// IIIF image service's info.json, both of which OpenSeadragon opens by URL (or
// `<path><metadata.image.dzi or .iiif>` where the pointer does not name it): the tiles load
// beside the metadata. Pure: no DOM; `fetchJson` is injectable, so tests need no server.

import { detailOf } from './detail.js';
import { Grid } from './grid.js';
import { createSearcher } from './search.js';

/**
 * @typedef {object} Metadata  the parts of metadata.json the viewer relies on; the rest is data
 * @property {string} format  "tsne-assets.viewer/1..."
 * @property {string} [title]
 * @property {string} [collection]
 * @property {{dzi?: string, iiif?: string, manifest?: string, width?: number}} [image]
 * @property {{cols: number, rows: number, cell_width: number, cell_height: number}} grid
 * @property {number[]} cells  item index per cell (row-major), -1 for an empty cell
 * @property {Record<string, any[]>} items  columns: `id` always, `title` and `url` usually
 * @property {string[]} fields  columns shown in the details panel and searched
 */

/** Checks `meta` (throws a readable Error) and keeps only the fields that are columns. */
export function validate(meta) {
  if (!meta || typeof meta.format !== 'string' || !meta.format.startsWith('tsne-assets.viewer/1')) {
    throw new Error('metadata.json: unsupported format');
  }
  const { grid, items, cells } = meta;
  if (!grid || !(grid.cols > 0) || !(grid.rows > 0) || !(grid.cell_width > 0) || !(grid.cell_height > 0)) {
    throw new Error('metadata.json: invalid grid');
  }
  if (!Array.isArray(cells) || cells.length !== grid.cols * grid.rows) {
    throw new Error('metadata.json: cells must have cols × rows entries');
  }
  if (!items || !Array.isArray(items.id)) throw new Error('metadata.json: items.id is missing');
  if (!Array.isArray(meta.fields)) meta.fields = [];
  meta.fields = meta.fields.filter((f) => typeof f === 'string' && Array.isArray(items[f]));
  return /** @type {Metadata} */ (meta);
}

/** The version folder that `current.json` points to, as an absolute URL ending in '/'. */
export function versionBase(current, pageHref) {
  if (!current || current.format !== 1 || typeof current.path !== 'string') {
    throw new Error('current.json: unsupported format');
  }
  return new URL(current.path.endsWith('/') ? current.path : current.path + '/', pageHref);
}

/**
 * The map image's absolute URL: its DZI (metadata.image.dzi, relative to the version folder),
 * else its IIIF image service's info.json (image.iiif, where a site publishes only that).
 */
export function imageUrl(meta, base) {
  const image = meta.image || {};
  return new URL(image.dzi || image.iiif || 'tiles.dzi', base).href;
}

/** The map's IIIF manifest's absolute URL (metadata.image.manifest, in the version folder), or null. */
export function manifestUrl(meta, base) {
  const name = (meta.image || {}).manifest;
  return typeof name === 'string' && /^[\w.-]+\.json$/.test(name) ? new URL(name, base).href : null;
}

export function collectionName(meta) {
  return String(meta.title || meta.collection || 'Collection');
}

/** An item's title, or its id where it has none. */
export function titleOf(meta, item) {
  const t = meta.items.title && meta.items.title[item];
  return t == null || t === '' ? String(meta.items.id[item]) : String(t);
}

/** id (as a string, as deep links carry it) -> item index. */
export function idIndex(ids) {
  const index = new Map();
  ids.forEach((id, i) => index.set(String(id), i));
  return index;
}

/**
 * @typedef {object} Collection  a loaded collection with what lookups need, built once
 * @property {Metadata} meta
 * @property {Grid} grid
 * @property {(query: string) => number[] | null} search
 * @property {Map<string, number>} idIndex
 * @property {string} imageUrl  the map's tiles: a DZI or a IIIF info.json (OpenSeadragon opens either)
 * @property {string | null} manifestUrl  the map's IIIF Presentation manifest, where the site publishes one
 * @property {URL} base  the version folder (timeline.json lies there: arrangements.js)
 * @property {import('./detail.js').Detail | null} detail  the images' own pyramids, if any
 */

async function fetchJsonNoCache(url) {
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * @typedef {object} Pointer  what current.json says
 * @property {URL} base  the version folder
 * @property {string | null} imageUrl  the DZI or IIIF info.json, where the pointer names it (older sites do not)
 */

/** What a pointer may name as the map's image: a file in the version itself. */
const IMAGE_NAME = /^(?:[^/\\]+\.dzi|[^/\\.]+\/info\.json)$/;

/** Fetches and checks current.json. @returns {Promise<Pointer>} */
export async function loadPointer(pageHref, fetchJson = fetchJsonNoCache) {
  const current = await fetchJson('current.json');
  const base = versionBase(current, pageHref);
  const named = typeof current.image === 'string' && IMAGE_NAME.test(current.image);
  return { base, imageUrl: named ? new URL(current.image, base).href : null };
}

/** Fetches and checks the version's metadata.json. @returns {Promise<Collection>} */
export async function loadCollection(base, fetchJson = fetchJsonNoCache) {
  const meta = validate(await fetchJson(new URL('metadata.json', base)));
  return {
    meta,
    grid: new Grid(meta),
    search: createSearcher(meta.items, meta.fields),
    idIndex: idIndex(meta.items.id),
    imageUrl: imageUrl(meta, base),
    manifestUrl: manifestUrl(meta, base),
    base,
    detail: detailOf(meta, base),
  };
}

// Where an image was harvested from, for a collection built from IIIF: its source canvas and
// manifest and that canvas's Image API service, from the metadata's column-oriented `sources`
// (core/iiif/source_images.py). Pure: no DOM.

import { safeUrl } from './details.js';

const SERVICE_TYPES = new Set(['ImageService2', 'ImageService3']);

/** @typedef {{id: string, type: 'ImageService2' | 'ImageService3', profile: string}} SourceService */

/**
 * @typedef {object} Source
 * @property {string | null} canvas  the source canvas's id (absolute http(s))
 * @property {string | null} manifest  the source manifest's id (absolute http(s))
 * @property {SourceService | null} service  the canvas's image service
 * @property {number} width  the full source image's size; 0 where unknown
 * @property {number} height
 */

const size = (value) => (Number.isInteger(value) && value > 0 ? value : 0);
// An id as the source wrote it (a link's normal form could differ from it), if it is http(s).
const idOf = (value) => (safeUrl(value) ? value.trim() : null);

/**
 * `item`'s source, or null where the collection has none or the image has none. Only absolute
 * http(s) ids are kept, and only services of the Image API's versions 2 and 3.
 * @param {import('./metadata.js').Metadata & {sources?: Record<string, any[]>}} meta
 * @param {number} item
 * @returns {Source | null}
 */
export function sourceOf(meta, item) {
  const s = meta.sources;
  if (!s || !Array.isArray(s.canvas) || s.canvas.length !== meta.items.id.length) return null;
  const at = (column, listing) => (Array.isArray(column) && Array.isArray(listing) ? listing[column[item]] : undefined);
  const canvas = idOf(s.canvas[item]);
  const manifest = idOf(at(s.manifest, s.manifests));
  const id = idOf(Array.isArray(s.service) ? s.service[item] : null);
  const kind = at(s.profile, s.profiles);
  const service = id && kind && SERVICE_TYPES.has(kind.type)
    ? { id: id.replace(/\/+$/, ''), type: kind.type, profile: typeof kind.profile === 'string' ? kind.profile : '' }
    : null;
  if (!canvas && !manifest && !service) return null;
  return { canvas, manifest, service, width: size(s.width?.[item]), height: size(s.height?.[item]) };
}

// The selected images as a IIIF Presentation 3 manifest: one canvas per image, with its title as
// label, its fields as metadata, its record as homepage, painted by its IIIF source's image
// service where it was harvested from one, else by an image file the site publishes. Pure: no
// DOM; every URL comes in absolute.

import { tilePieces } from './tile-crop.js';

const CONTEXT = 'http://iiif.io/api/presentation/3/context.json';
const MEDIA_TYPES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** The IIIF media type of a Deep Zoom tile format ('jpg', 'png', ...). */
export function mediaType(format) {
  return MEDIA_TYPES[String(format).toLowerCase()] ?? 'image/jpeg';
}

/** A Deep Zoom level's size: the full size halved (rounding up) once per level below `maxLevel`. */
function levelSize(width, height, level, maxLevel) {
  const scale = 2 ** (maxLevel - level);
  return { width: Math.ceil(width / scale), height: Math.ceil(height / scale) };
}

/**
 * An image's whole picture as one published file: the deepest level of its own pyramid
 * (`detail/<item>_files/<level>/0_0.<format>`) whose single tile holds all of it, as
 * core/deepzoom.py's `single_tile_level` finds it.
 * @param {import('./detail.js').Detail} detail
 * @param {number} item  an item with a pyramid (detail.js `hasDetail`)
 * @returns {{id: string, format: string, width: number, height: number, canvas: {width: number, height: number}}}
 */
export function detailImage(detail, item) {
  const [w, h] = [detail.width[item], detail.height[item]];
  const maxLevel = Math.ceil(Math.log2(Math.max(w, h, 1)));
  let level = maxLevel;
  let size = levelSize(w, h, level, maxLevel);
  while (Math.max(size.width, size.height) > detail.tileSize) size = levelSize(w, h, --level, maxLevel);
  return {
    id: new URL(`${item}_files/${level}/0_0.${detail.format}`, detail.base).href,
    format: mediaType(detail.format),
    ...size,
    canvas: { width: w, height: h },
  };
}

/**
 * An image without a pyramid of its own, as the map's tiles show it: the tile of the deepest
 * level that holds its whole cell, and the cell's part of it (a media-fragment `xywh`).
 * @param {import('./tile-crop.js').DziGeometry} dzi  the map's pyramid
 * @param {{x: number, y: number, w: number, h: number}} rect  the cell, in the map's DZI pixels
 * @param {(level: number, x: number, y: number) => string} tileUrl  a tile's absolute URL
 * @param {string} format  the tiles' format
 */
export function cellImage(dzi, rect, tileUrl, format) {
  let level = dzi.maxLevel;
  let pieces = tilePieces(dzi, rect, level);
  while (pieces.length > 1 && level > 0) pieces = tilePieces(dzi, rect, --level);
  const p = pieces[0];
  const r = (v) => Math.round(v);
  return {
    id: tileUrl(level, p.x, p.y),
    format: mediaType(format),
    xywh: `${r(p.sx)},${r(p.sy)},${Math.max(1, r(p.sw))},${Math.max(1, r(p.sh))}`,
    canvas: { width: Math.max(1, r(rect.w)), height: Math.max(1, r(rect.h)) },
  };
}

/**
 * An image harvested from IIIF, painted by its source's Image API service (iiif-source.js): the
 * service's whole image at its largest (`max` in version 3, `full` in version 2) with the
 * service itself, so that IIIF viewers zoom into it down to its full resolution. The image's
 * size is left unstated: a service that caps `maxWidth` or `maxArea` answers smaller than the
 * source; the canvas has the source's size.
 * @param {import('./iiif-source.js').SourceService} service
 * @param {{width: number, height: number}} size  the source image's size, or zeros where unknown
 * @param {{width: number, height: number}} fallback  the canvas where the size is unknown
 */
export function serviceImage(service, size, fallback) {
  const v3 = service.type === 'ImageService3';
  // Presentation 3 names a version 2 service with the JSON-LD keys of its own version.
  const block = v3 ? { id: service.id, type: service.type } : { '@id': service.id, '@type': service.type };
  if (service.profile) block.profile = service.profile;
  const known = size.width > 0 && size.height > 0;
  return {
    id: `${service.id}/full/${v3 ? 'max' : 'full'}/0/default.jpg`,
    format: 'image/jpeg',
    service: [block],
    canvas: known ? { width: size.width, height: size.height } : fallback,
  };
}

const text = (value) => ({ none: [String(value)] });

/** The painting annotation's body: the image (with its image service), or the part of a tile (`xywh`) that shows it. */
function body(image) {
  const resource = { id: image.id, type: 'Image', format: image.format };
  if (image.width) Object.assign(resource, { width: image.width, height: image.height });
  if (image.service) resource.service = image.service;
  if (!image.xywh) return resource;
  return {
    type: 'SpecificResource',
    source: resource,
    selector: { type: 'FragmentSelector', conformsTo: 'http://www.w3.org/TR/media-frags/', value: `xywh=${image.xywh}` },
  };
}

/**
 * The links of a canvas to the source it was harvested from: `partOf` its source manifest (the
 * Presentation 3 way for a canvas to name a manifest it comes from), and a `linking` annotation
 * whose body is the source canvas within that manifest, as the site's own map manifest links
 * each image's region (core/iiif/map_manifest.py).
 * @param {string} id  the canvas
 * @param {{canvas: string | null, manifest: string | null}} source  absolute http(s) ids
 */
function sourceLinks(id, source) {
  const manifest = source.manifest ? [{ id: source.manifest, type: 'Manifest' }] : null;
  const links = {};
  if (manifest) links.partOf = manifest;
  if (source.canvas) {
    const target = { id: source.canvas, type: 'Canvas', ...(manifest ? { partOf: manifest } : {}) };
    links.annotations = [{
      id: `${id}/source`,
      type: 'AnnotationPage',
      items: [{ id: `${id}/source/1`, type: 'Annotation', motivation: 'linking', body: target, target: id }],
    }];
  }
  return links;
}

/**
 * @typedef {object} CanvasEntry  one selected image
 * @property {string} title
 * @property {{label: string, value: string}[]} fields  label and value of each non-empty field
 * @property {string | null} url  the record page (an absolute http(s) link) or null
 * @property {ReturnType<typeof detailImage> | ReturnType<typeof cellImage> | ReturnType<typeof serviceImage>} image
 * @property {{canvas: string | null, manifest: string | null} | null} [source]  the IIIF canvas and
 *   manifest it was harvested from
 */

/**
 * The manifest. `base` (absolute, ending in '/') names its resources: `<base>manifest.json`,
 * `<base>canvas/<n>` and so on; `homepage` is the page showing the selection, if any.
 * @param {{base: string, label: string, homepage?: string | null, summary?: string}} about
 * @param {CanvasEntry[]} entries
 */
export function selectionManifest(about, entries) {
  if (!/^https?:\/\/.*\/$/.test(about.base)) throw new Error(`base must be an absolute http(s) URL ending in '/': ${about.base}`);
  const manifest = {
    '@context': CONTEXT,
    id: `${about.base}manifest.json`,
    type: 'Manifest',
    label: text(about.label),
    items: entries.map((entry, n) => {
      const id = `${about.base}canvas/${n + 1}`;
      const canvas = {
        id,
        type: 'Canvas',
        label: text(entry.title),
        width: entry.image.canvas.width,
        height: entry.image.canvas.height,
        items: [{
          id: `${id}/page`,
          type: 'AnnotationPage',
          items: [{ id: `${id}/image`, type: 'Annotation', motivation: 'painting', body: body(entry.image), target: id }],
        }],
      };
      if (entry.fields.length) canvas.metadata = entry.fields.map((f) => ({ label: text(f.label), value: text(f.value) }));
      if (entry.url) canvas.homepage = [{ id: entry.url, type: 'Text', label: text(entry.title), format: 'text/html' }];
      return entry.source ? Object.assign(canvas, sourceLinks(id, entry.source)) : canvas;
    }),
  };
  if (about.summary) manifest.summary = text(about.summary);
  if (about.homepage) manifest.homepage = [{ id: about.homepage, type: 'Text', label: text(about.label), format: 'text/html' }];
  return manifest;
}

// The collection's identity from metadata.json: its name, its About text, credit and licence.
// Pure: no DOM. Every value is the curator's plain text and is only ever shown as text.

import { collectionName } from './metadata.js';

/** A trimmed string, or '' for anything that is not a non-empty string. */
function text(value) {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * @param {import('./metadata.js').Metadata & {about?: string, credit?: string, license?: string}} meta
 * @returns {{name: string, about: string, credit: string, license: string}}
 */
export function identityOf(meta) {
  return { name: collectionName(meta), about: text(meta.about), credit: text(meta.credit), license: text(meta.license) };
}

/** Whether the collection has anything to say beyond its name (the About button shows only then). */
export function hasAbout(identity) {
  return Boolean(identity.about || identity.credit || identity.license);
}

/** The attribution line over the map: "credit · licence", or ''. */
export function creditLine(identity) {
  return [identity.credit, identity.license].filter(Boolean).join(' · ');
}

/** The About text as paragraphs: split at blank lines; single line breaks stay within one. */
export function paragraphsOf(about) {
  return text(about)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The page's title (the browser tab, bookmarks, history). */
export function pageTitle(identity) {
  return `${identity.name} — map`;
}

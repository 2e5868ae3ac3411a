// The collection's name in the header and the tab, the credit over the map, and the About
// dialog (a modal <dialog>, modal.js: focus moves in when it opens and back to its button when it closes).

import { creditLine, hasAbout, identityOf, pageTitle, paragraphsOf } from './identity.js';
import { bindModal } from './modal.js';

function element(tag, textContent) {
  const node = document.createElement(tag);
  node.textContent = textContent;
  return node;
}

/** The About dialog's row for the map's IIIF manifest: its URL as a link, for Mirador or Universal Viewer. */
function manifestRow(url) {
  const link = element('a', url);
  link.href = url;
  const hint = element('span', ' (open it in any IIIF viewer, such as Mirador or Universal Viewer)');
  hint.className = 'about-hint';
  const dd = document.createElement('dd');
  dd.append(link, hint);
  return [element('dt', 'IIIF manifest'), dd];
}

/**
 * Shows `meta`'s identity on the page, and `manifestUrl` (null for none) in the About dialog;
 * everything as text, never as markup.
 */
export function showIdentity(el, meta, manifestUrl = null) {
  const identity = identityOf(meta);
  el.title.textContent = identity.name;
  document.title = pageTitle(identity);
  const credit = creditLine(identity);
  el.mapCredit.textContent = credit;
  el.mapCredit.hidden = !credit;

  el.aboutTitle.textContent = identity.name;
  el.aboutText.replaceChildren(...paragraphsOf(identity.about).map((p) => element('p', p)));
  const rows = [];
  if (identity.credit) rows.push(element('dt', 'Credit'), element('dd', identity.credit));
  if (identity.license) rows.push(element('dt', 'Licence'), element('dd', identity.license));
  if (manifestUrl) rows.push(...manifestRow(manifestUrl));
  el.aboutFacts.replaceChildren(...rows);
  el.aboutOpen.hidden = !hasAbout(identity) && !manifestUrl;
}

/** The About button and dialog. Escape closes the dialog only (the selection stays). */
export function bindAbout(el) {
  const about = bindModal(el.about, el.aboutClose);
  el.aboutOpen.addEventListener('click', () => about.open(el.aboutOpen));
}

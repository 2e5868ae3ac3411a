// The keyboard help: a modal dialog listing keys.js's shortcuts by group (help.js), opened by its
// toolbar button or `?` (view-tools.js).

import { helpSections } from './help.js';
import { KEYS } from './keys.js';
import { bindModal } from './modal.js';

function element(tag, className, textContent = '') {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = textContent;
  return node;
}

/** A row's keys: each alternative a <kbd>, joined by "or". */
function keysCell(keys) {
  const dt = element('dt', 'help-keys');
  keys.forEach((key, i) => {
    if (i > 0) dt.append(' or ');
    dt.append(element('kbd', '', key));
  });
  return dt;
}

/**
 * Fills the dialog from keys.js and binds its buttons.
 * @param {import('./page.js').Elements} el
 * @returns {{open: (returnTo?: Element | null) => void}}
 */
export function bindHelp(el) {
  el.helpList.replaceChildren(
    ...helpSections(KEYS).map(({ group, rows }) => {
      const section = element('section', 'help-section');
      const list = element('dl', 'about-facts');
      for (const { keys, action } of rows) list.append(keysCell(keys), element('dd', '', action));
      section.append(element('h3', 'help-group', group), list);
      return section;
    }),
  );
  const modal = bindModal(el.help, el.helpClose);
  el.helpOpen.addEventListener('click', () => modal.open(el.helpOpen));
  return modal;
}

// The toolbar's "More tools" disclosure. On phones the secondary groups (arrangement, selection,
// zoom, view) fold into a panel under the toolbar, so that the toolbar keeps two rows: the button
// opens and closes it. On wider screens the button is hidden and the groups sit in the toolbar
// (style.css), whatever the state here.

/** @param {import('./page.js').Elements} el */
const isOpen = (el) => el.moreToggle.getAttribute('aria-expanded') === 'true';

/** @param {import('./page.js').Elements} el */
function setOpen(el, open) {
  el.moreToggle.setAttribute('aria-expanded', String(open));
  el.toolbarMore.classList.toggle('open', open);
}

/**
 * Opens the panel where the toolbar folds it away (phones), so that a tool just offered there
 * ("Select “Attic”" after a tap on a cluster label) is in sight; elsewhere the tools always are.
 * @param {import('./page.js').Elements} el
 */
export function showMoreTools(el) {
  if (el.moreToggle.offsetParent !== null) setOpen(el, true);
}

/** @param {import('./page.js').Elements} el */
export function bindToolbarMenu(el) {
  const { moreToggle: button, toolbarMore: menu } = el;
  button.addEventListener('click', () => {
    setOpen(el, !isOpen(el));
    // The panel comes after the search in the page; a keyboard user lands on its first tool.
    if (isOpen(el)) menu.querySelector('button:not([hidden])')?.focus();
  });
  menu.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !isOpen(el)) return;
    ev.stopPropagation(); // closes the panel only, not the details
    setOpen(el, false);
    button.focus();
  });
  // A button that opens a drawer ("Selected 3") gives the drawer the room the panel takes.
  menu.addEventListener('click', (ev) => {
    if (/** @type {Element} */ (ev.target).closest('button[aria-expanded]')) setOpen(el, false);
  });
  // A press anywhere else (the map, a drawer, the search) puts the panel away.
  el.root.ownerDocument.addEventListener(
    'pointerdown',
    (ev) => {
      const target = /** @type {Node} */ (ev.target);
      if (isOpen(el) && !menu.contains(target) && !button.contains(target)) setOpen(el, false);
    },
    true,
  );
}

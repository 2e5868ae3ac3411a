// The toolbar's View group: the minimap (minimap.js), full screen, copying the link of this view
// and the keyboard help (help-dialog.js); and the page's own keys, `?` and `F` (shortcuts.js).

import { copyText } from './clipboard.js';
import { bindHelp } from './help-dialog.js';
import { bindMinimap } from './minimap.js';
import { pageShortcut } from './shortcuts.js';

/** Says `text` politely to screen readers (cleared first, so that the same words are said again). */
export function announce(el, text) {
  el.viewAnnounce.textContent = '';
  requestAnimationFrame(() => {
    el.viewAnnounce.textContent = text;
  });
}

/**
 * Full screen for the whole page (toolbar, drawers and panel stay usable), where the browser has
 * the Fullscreen API; the button is hidden elsewhere. Returns the toggle, or null when unavailable.
 */
function bindFullscreen(el, doc) {
  const root = doc.documentElement;
  const button = el.fullscreenToggle;
  button.hidden = !(doc.fullscreenEnabled && typeof root.requestFullscreen === 'function');
  if (button.hidden) return null;
  doc.addEventListener('fullscreenchange', () => {
    const on = doc.fullscreenElement !== null;
    button.setAttribute('aria-pressed', String(on));
    announce(el, on ? 'Full screen on' : 'Full screen off'); // said also when F, not the button, changed it
  });
  const toggle = () => {
    const change = doc.fullscreenElement ? doc.exitFullscreen() : root.requestFullscreen();
    change.catch(() => announce(el, 'Full screen is not available here'));
  };
  button.addEventListener('click', toggle);
  return toggle;
}

/**
 * Copies location.href (the deep link: the selected image, the search, the filters, ...). Where the
 * browser refuses (file://, plain http), the link is shown selected in a read-only box instead.
 */
function bindCopyLink(el) {
  const box = el.copyFallback;
  el.copyLink.addEventListener('click', async () => {
    const href = location.href;
    if (await copyText(href, navigator.clipboard)) {
      box.hidden = true;
      announce(el, 'Link copied');
      return;
    }
    box.value = href;
    box.hidden = false;
    box.focus();
    box.select();
    announce(el, 'The link is selected: copy it with Ctrl+C (⌘C on a Mac)');
  });
  box.addEventListener('blur', () => {
    box.hidden = true;
  });
  box.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    ev.stopPropagation(); // closes the box only, not the details panel
    el.copyLink.focus();
  });
}

/**
 * @param {import('./page.js').Elements} el
 * @param {() => any} getViewer  the map's OpenSeadragon viewer, or null before it exists
 */
export function bindViewTools(el, getViewer) {
  const doc = el.root.ownerDocument;
  bindMinimap(el, getViewer);
  bindCopyLink(el);
  const fullscreen = bindFullscreen(el, doc);
  const help = bindHelp(el);
  doc.addEventListener('keydown', (ev) => {
    const action = pageShortcut(ev);
    if (action === 'help' && !doc.querySelector('dialog[open]')) {
      ev.preventDefault();
      help.open();
    } else if (action === 'fullscreen' && fullscreen) {
      ev.preventDefault();
      fullscreen();
    }
  });
}

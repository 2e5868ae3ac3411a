// The page's own keys (keys.js lists them for people): `?` opens the keyboard help, `F` enters or
// leaves full screen. Neither fires while the visitor types, nor with Ctrl, Alt or Meta held
// (Ctrl+F is the browser's find).

/** Input types that take no text: a key pressed on them is not typing. */
const NOT_TEXT = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit']);

/**
 * Whether keys pressed on `target` are typed into it.
 * @param {{tagName?: string, type?: string, isContentEditable?: boolean} | null} target  the
 *   keydown's target (an element, or null)
 */
export function isTyping(target) {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = String(target.tagName || '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !NOT_TEXT.has(String(target.type || 'text').toLowerCase());
}

/**
 * The page shortcut a keydown asks for, or null.
 * @param {{key: string, ctrlKey?: boolean, altKey?: boolean, metaKey?: boolean, target?: object | null}} ev
 * @returns {'help' | 'fullscreen' | null}
 */
export function pageShortcut(ev) {
  if (ev.ctrlKey || ev.altKey || ev.metaKey || isTyping(ev.target ?? null)) return null;
  if (ev.key === '?') return 'help';
  if (ev.key === 'f' || ev.key === 'F') return 'fullscreen';
  return null;
}

// The search box: typing searches after a short pause; Enter or ›, Shift+Enter or ‹ step through
// the matches. It only reports; the controller decides what changes.

import { countText } from './matches.js';

const SEARCH_DELAY_MS = 60;

/**
 * @param {import('./page.js').Elements} el
 * @param {{search: (query: string) => void, submit: (query: string) => void, step: (delta: number) => void}} on
 */
export function bindSearchBox(el, on) {
  let timer = 0;
  el.input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => on.search(el.input.value), SEARCH_DELAY_MS);
  });
  el.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(timer);
    on.submit(el.input.value);
  });
  el.input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && ev.shiftKey) {
      ev.preventDefault();
      on.step(-1);
    }
  });
  el.next.addEventListener('click', () => on.step(1));
  el.prev.addEventListener('click', () => on.step(-1));
}

/** The announced count; the step buttons work only when something matches. */
export function renderCount(el, matches, pos) {
  el.count.textContent = countText(matches, pos);
  const any = matches !== null && matches.length > 0;
  el.prev.disabled = !any;
  el.next.disabled = !any;
}

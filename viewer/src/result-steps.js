// Previous and next in the details panel: through the current result set (results.js), with
// "n of m" between them; hidden when there is no result set to step through.

import { resultPlace } from './results.js';

/**
 * @param {import('./page.js').Elements} el
 * @param {(delta: number) => void} step  goes to the previous (-1) or next (+1) result
 */
export function bindResultSteps(el, step) {
  el.panelPrev.addEventListener('click', () => step(-1));
  el.panelNext.addEventListener('click', () => step(1));
}

/** Shows where `selected` stands among `matches` (null: no result set, the steps are hidden). */
export function renderResultSteps(el, matches, selected) {
  const { text } = resultPlace(matches, selected);
  el.panelSteps.hidden = !text;
  el.panelPlace.textContent = text;
}

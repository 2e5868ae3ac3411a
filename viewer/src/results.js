// The current result set (the controller's `matches`: the items on the map passing the search
// and the filters, in cell order) as the results list and the details panel step through it.
// Pure: no DOM.

/** How many rows the results list adds at a time: 100,000 results never make 100,000 rows. */
export const PAGE_SIZE = 50;

/** How many rows to show: the next page after `shown` rows, at most `total`. */
export function nextPageEnd(total, shown, pageSize = PAGE_SIZE) {
  return Math.min(total, Math.max(0, shown) + pageSize);
}

/** The "more" button's text, or '' when every result is shown. */
export function moreText(total, shown, pageSize = PAGE_SIZE) {
  const next = nextPageEnd(total, shown, pageSize) - shown;
  if (next <= 0) return '';
  return `Show ${next.toLocaleString()} more (${shown.toLocaleString()} of ${total.toLocaleString()} shown)`;
}

/**
 * Where the details panel stands in the result set: the selected item's position (-1 when it
 * is not a result) and the text beside its steps ('' when there is no result set to step through).
 * @param {ArrayLike<number> | null} matches
 * @param {number} selected  item index, -1 for none
 */
export function resultPlace(matches, selected) {
  if (!matches || matches.length === 0) return { pos: -1, text: '' };
  const n = matches.length;
  const pos = selected >= 0 ? Array.prototype.indexOf.call(matches, selected) : -1;
  const of = `${n.toLocaleString()} ${n === 1 ? 'result' : 'results'}`;
  return { pos, text: pos >= 0 ? `${(pos + 1).toLocaleString()} of ${of}` : of };
}

// The result set as the toolbar shows it (in reading order, filters.js): stepped through one at a time.

/**
 * The position after moving `delta` (+1 or -1) from `pos`, wrapping around. Before the first
 * step (pos < 0) it starts from the selected item if that matches, else from the first or last.
 */
export function stepMatch(matches, pos, selected, delta) {
  const n = matches.length;
  if (pos < 0) {
    const at = selected >= 0 ? matches.indexOf(selected) : -1;
    return at >= 0 ? (at + delta + n) % n : delta > 0 ? 0 : n - 1;
  }
  return (pos + delta + n) % n;
}

const plural = (n) => (n === 1 ? 'match' : 'matches');

/** The count announced beside the search box. */
export function countText(matches, pos) {
  if (matches === null) return '';
  const n = matches.length;
  if (n === 0) return 'No matches';
  if (pos < 0) return `${n.toLocaleString()} ${plural(n)}`;
  return `${(pos + 1).toLocaleString()} of ${n.toLocaleString()} ${plural(n)}`;
}

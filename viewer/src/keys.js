// The keyboard shortcuts, as the `?` help dialog lists them (help.js groups them in this order).
// Each entry: `group` (where the keys work), `keys` (alternatives, each one key or combination as
// shown to people) and `action` (what they do). A feature that adds keys adds its entry here.

/** @typedef {{group: string, keys: string[], action: string}} KeyEntry */

/** @type {KeyEntry[]} */
export const KEYS = [
  { group: 'Anywhere', keys: ['?'], action: 'Show keyboard help' },
  { group: 'Anywhere', keys: ['F'], action: 'Enter or leave full screen' },
  { group: 'Anywhere', keys: ['Esc'], action: 'Close the details, the Filters drawer or a dialog' },
  { group: 'Map', keys: ['Arrow keys', 'W A S D'], action: 'Pan' },
  { group: 'Map', keys: ['+', 'Shift+↑'], action: 'Zoom in' },
  { group: 'Map', keys: ['-', 'Shift+↓'], action: 'Zoom out' },
  { group: 'Map', keys: ['0'], action: 'Show the whole map' },
  { group: 'Map', keys: ['Enter', 'Space'], action: 'Open the image in the centre' },
  { group: 'Search box', keys: ['Enter'], action: 'Next match' },
  { group: 'Search box', keys: ['Shift+Enter'], action: 'Previous match' },
  { group: 'Map', keys: ['X'], action: 'Add the image in the centre to the selection, or remove it' },
  { group: 'Map', keys: ['Shift+X'], action: 'Mark a corner; again: select the rectangle from it to the centre' },
  { group: 'Map', keys: ['Esc'], action: 'Forget the marked corner' },
  { group: 'Map (Rectangle, Lasso)', keys: ['Shift+drag'], action: 'Add to the selection' },
  { group: 'Map (Rectangle, Lasso)', keys: ['Alt+drag'], action: 'Remove from the selection' },
];

// The keyboard help's content: keys.js's entries grouped by where they work, in the order the
// groups first appear.

/** @typedef {import('./keys.js').KeyEntry} KeyEntry */

/**
 * @param {KeyEntry[]} entries
 * @returns {{group: string, rows: {keys: string[], action: string}[]}[]}
 */
export function helpSections(entries) {
  const sections = new Map();
  for (const { group, keys, action } of entries) {
    if (!sections.has(group)) sections.set(group, []);
    sections.get(group).push({ keys: [...keys], action });
  }
  return [...sections].map(([group, rows]) => ({ group, rows }));
}

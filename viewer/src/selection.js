// The selection: a set of item indices (never cells, so it survives a change of arrangement),
// shared by the map's tools, the selection list, the exports and the link. Pure: no DOM.

/** @typedef {'replace' | 'add' | 'remove'} SelectionMode  how a shape's items change the selection */

export class Selection {
  /** @param {number} size  the number of items in the collection: indices are 0 .. size - 1 */
  constructor(size) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a whole number ≥ 0, not ${size}`);
    this.size = size;
    this.items = new Set();
    /** @type {Array<() => void>} */
    this.listeners = [];
  }

  get count() {
    return this.items.size;
  }

  has(item) {
    return this.items.has(item);
  }

  /** Calls `listener()` after every change. */
  onChange(listener) {
    this.listeners.push(listener);
  }

  /** Items in `items` that are valid indices, for the mutators. */
  valid(items) {
    return [...items].filter((i) => Number.isInteger(i) && i >= 0 && i < this.size);
  }

  /**
   * Replaces the selection with `items`, or adds or removes them (`mode`); listeners hear of it
   * only when something changed. @returns {boolean} whether it changed
   */
  apply(items, mode = 'add') {
    const given = this.valid(items);
    const before = this.items.size;
    let changed = false;
    if (mode === 'replace') {
      const next = new Set(given);
      changed = next.size !== before || given.some((i) => !this.items.has(i));
      this.items = next;
    } else if (mode === 'add') {
      for (const i of given) this.items.add(i);
      changed = this.items.size !== before;
    } else if (mode === 'remove') {
      for (const i of given) this.items.delete(i);
      changed = this.items.size !== before;
    } else {
      throw new RangeError(`mode must be 'replace', 'add' or 'remove', not ${mode}`);
    }
    if (changed) for (const listener of this.listeners) listener();
    return changed;
  }

  add(items) {
    return this.apply(items, 'add');
  }

  remove(items) {
    return this.apply(items, 'remove');
  }

  /** Adds `item` if it is not selected, else removes it. */
  toggle(item) {
    return this.apply([item], this.has(item) ? 'remove' : 'add');
  }

  clear() {
    return this.apply([], 'replace');
  }

  /** The selected items, ascending (what the link encodes and the exports list). */
  sorted() {
    return Int32Array.from(this.items).sort();
  }
}

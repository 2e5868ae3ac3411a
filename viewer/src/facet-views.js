// One facet in the Filters drawer: a categorical facet's values as checkboxes with counts (the
// most frequent first, with a search box where there are more than fit), or a numeric or date
// facet's histogram with a from / to range. Views only report changes; facet-panel.js decides.

import { fieldLabel } from './details.js';
import { boundText, formatBound, listedValues, rangeRequest } from './filters.js';
import { normalize } from './search.js';

/** Values of a categorical facet listed at once; past that, its own search box finds the rest. */
const LISTED_VALUES = 12;

const SVG = 'http://www.w3.org/2000/svg';
const NUMBER = new Intl.NumberFormat('en'); // one formatter: toLocaleString makes one per call
let serial = 0; // ids for labels, unique on the page

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The facet's frame: a fieldset named by its field, with a "Clear" button. */
function frame(facet, onClear) {
  const fieldset = make('fieldset', 'facet');
  fieldset.dataset.field = facet.field;
  const legend = make('legend', 'facet-name', fieldLabel(facet.field)); // as the details panel names it
  const clear = make('button', 'btn facet-clear', 'Clear');
  clear.type = 'button';
  clear.setAttribute('aria-label', `Clear ${fieldLabel(facet.field)}`);
  clear.addEventListener('click', onClear);
  fieldset.append(legend, clear);
  return { fieldset, clear };
}

/** Checkboxes for the values of a categorical facet. */
export class CategoricalView {
  /**
   * @param {import('./filters.js').CategoricalFacet} facet
   * @param {{toggle: (value: string, on: boolean) => void, clear: () => void}} on
   */
  constructor(facet, on) {
    this.facet = facet;
    this.on = on;
    this.rows = new Map(); // value index -> {row, box, count}, made when first listed
    this.normalized = null; // the values normalised for the value search, made when first typed
    const { fieldset, clear } = frame(facet, on.clear);
    this.root = fieldset;
    this.clearButton = clear;
    this.find = null;
    if (facet.values.length > LISTED_VALUES) {
      const id = `facet-find-${++serial}`;
      const label = make('label', 'visually-hidden', `Find a value of ${fieldLabel(facet.field)}`);
      label.htmlFor = id;
      this.find = make('input', 'facet-find');
      Object.assign(this.find, { id, type: 'search', placeholder: `Find in ${NUMBER.format(facet.values.length)} values…`, autocomplete: 'off' });
      this.find.addEventListener('input', () => this.setFilter(this.chosen, { relist: true }));
      fieldset.append(label, this.find);
    }
    this.listNode = make('ul', 'facet-values');
    this.more = make('p', 'facet-more');
    fieldset.append(this.listNode, this.more);
    this.chosen = new Set();
    this.counts = null; // the latest counts, for rows listed later
    this.list(this.chosen);
  }

  /** The values listed: the most frequent that match the value search, then any chosen others. */
  list(chosen) {
    const text = this.find ? normalize(this.find.value) : '';
    if (text && !this.normalized) this.normalized = this.facet.values.map(normalize);
    const { shown, matching } = listedValues(this.facet, this.normalized, text, chosen, LISTED_VALUES);
    this.listNode.replaceChildren(...shown.map((i) => this.row(i).row));
    this.more.textContent = matching > LISTED_VALUES ? `${LISTED_VALUES} of ${NUMBER.format(matching)} values listed` : matching === 0 ? 'No value matches' : '';
    this.more.hidden = this.more.textContent === '';
    if (this.counts) this.setCounts(this.counts);
  }

  row(i) {
    let r = this.rows.get(i);
    if (r) return r;
    const value = this.facet.values[i];
    const row = make('li', 'facet-value');
    const label = make('label');
    const box = make('input');
    box.type = 'checkbox';
    box.value = value;
    box.addEventListener('change', () => this.on.toggle(value, box.checked));
    const count = make('span', 'facet-count');
    label.append(box, make('span', 'facet-label', value), count);
    row.append(label);
    r = { row, box, count };
    this.rows.set(i, r);
    return r;
  }

  /**
   * Shows the filter (`chosen`: the values ticked). `relist` after a change from elsewhere (a
   * link, Clear): a click leaves the list as it is, so the box clicked keeps its place and focus.
   */
  setFilter(chosen, { relist = false } = {}) {
    this.chosen = chosen;
    if (relist) this.list(chosen);
    for (const [i, r] of this.rows) r.box.checked = chosen.has(this.facet.values[i]);
    this.clearButton.disabled = chosen.size === 0;
  }

  /** @param {Int32Array} counts  per value, under the other filters and the search */
  setCounts(counts) {
    this.counts = counts;
    for (const [i, r] of this.rows) {
      r.count.textContent = NUMBER.format(counts[i]);
      r.row.classList.toggle('none', counts[i] === 0);
    }
  }
}

/** A histogram with a from / to range for a numeric or date facet. */
export class RangeView {
  /**
   * @param {import('./filters.js').RangeFacet} facet
   * @param {{range: (low: number, high: number) => void, clear: () => void}} on
   */
  constructor(facet, on) {
    this.facet = facet;
    const { fieldset, clear } = frame(facet, on.clear);
    this.root = fieldset;
    this.clearButton = clear;
    const bars = facet.edges.length - 1;
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('class', 'facet-histogram');
    this.svg.setAttribute('viewBox', `0 0 ${bars} 100`);
    this.svg.setAttribute('preserveAspectRatio', 'none');
    this.svg.setAttribute('aria-hidden', 'true'); // the inputs and the counts below say it in text
    this.bars = Array.from({ length: bars }, (_, b) => {
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', String(b + 0.08));
      rect.setAttribute('width', '0.84');
      this.svg.append(rect);
      return rect;
    });
    const type = facet.kind === 'date' ? 'date' : 'number';
    const input = (name, bound) => {
      const id = `facet-${name}-${++serial}`;
      const label = make('label', 'facet-bound', name === 'from' ? 'From' : 'To');
      label.htmlFor = id;
      const box = make('input');
      Object.assign(box, { id, type, placeholder: formatBound(facet, bound) });
      box.setAttribute('aria-label', `${fieldLabel(facet.field)} ${name === 'from' ? 'from' : 'to'}`);
      if (type === 'number') Object.assign(box, { step: 'any', inputMode: 'decimal' });
      else Object.assign(box, { min: formatBound(facet, facet.min), max: formatBound(facet, facet.max) });
      box.addEventListener('change', () => this.changed());
      box.addEventListener('keydown', (ev) => ev.key === 'Enter' && this.changed()); // no form to submit
      return { label, box };
    };
    this.from = input('from', facet.min);
    this.to = input('to', facet.max);
    const inputs = make('div', 'facet-range');
    inputs.append(this.from.label, this.from.box, this.to.label, this.to.box);
    const span = make('p', 'facet-more', `From ${formatBound(facet, facet.min)} to ${formatBound(facet, facet.max)}`);
    fieldset.append(this.svg, inputs, span);
    this.on = on;
    this.range = null;
  }

  changed() {
    const request = rangeRequest(this.facet, this.from.box.value, this.to.box.value, this.range);
    if (request && 'clear' in request) this.on.clear();
    else if (request) this.on.range(...request.range);
  }

  /** @param {[number, number] | null} range */
  setFilter(range) {
    this.range = range;
    const f = this.facet;
    this.from.box.value = range ? boundText(f, range[0], f.min) : '';
    this.to.box.value = range ? boundText(f, range[1], f.max) : '';
    this.clearButton.disabled = range === null;
  }

  /** @param {Int32Array} counts  per bar, under the other filters and the search */
  setCounts(counts) {
    const top = Math.max(1, ...counts);
    const { edges } = this.facet;
    this.bars.forEach((rect, b) => {
      const h = counts[b] === 0 ? 0 : Math.max(2, (100 * counts[b]) / top);
      rect.setAttribute('y', String(100 - h));
      rect.setAttribute('height', String(h));
      const outside = this.range !== null && (edges[b + 1] < this.range[0] || edges[b] > this.range[1]);
      rect.classList.toggle('out', outside);
    });
  }
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  barOf,
  decodeState,
  encodeState,
  evaluate,
  formatBound,
  isFiltering,
  listedValues,
  parseBound,
  passingInCellOrder,
  prepareFacets,
  rangeRequest,
  sameState,
  shownText,
} from '../src/filters.js';

// Eight images: culture (categorical), year (numeric; image 7 has none), acquired (date).
const CULTURE = ['Attic', 'Etruscan', 'Attic', 'Greek', 'Attic', 'Etruscan', '', 'Greek'];
const YEAR = [-500, -480, -450, -300, 100, 150, 200, null];
const META = [
  { field: 'culture', kind: 'categorical', values: ['Attic', 'Etruscan', 'Greek'], counts: [3, 2, 2],
    codes: CULTURE.map((c) => ['Attic', 'Etruscan', 'Greek'].indexOf(c)) },
  { field: 'year', kind: 'numeric', min: -500, max: 200, edges: [-500, -150, 200], counts: [4, 3], numbers: YEAR },
  { field: 'acquired', kind: 'date', min: 0, max: 31, edges: [0, 31], counts: [8], numbers: [0, 0, 0, 0, 31, 31, 31, 31] },
];
const N = CULTURE.length;
const facets = prepareFacets(META, N);
const everywhere = new Uint8Array(N).fill(1);
const mask = (items) => {
  const m = new Uint8Array(N);
  for (const i of items) m[i] = 1;
  return m;
};
const passing = (ev) => [...ev.pass.keys()].filter((i) => ev.pass[i]);

test('prepareFacets keeps each image as a code or a number and leaves out malformed facets', () => {
  assert.deepEqual([...facets[0].codes], [0, 1, 0, 2, 0, 1, -1, 2]);
  assert.ok(Number.isNaN(facets[1].numbers[7]));
  assert.deepEqual([...facets[1].bars], [0, 0, 0, 0, 1, 1, 1, -1]);
  const bad = prepareFacets([{ ...META[0], codes: [0] }, { field: 'x', kind: 'numeric', numbers: [] }, null], N);
  assert.deepEqual(bad, []);
});

test('barOf finds the bar of a value, the last bar including its upper edge', () => {
  assert.equal(barOf(-500, [-500, -150, 200]), 0);
  assert.equal(barOf(-150, [-500, -150, 200]), 1);
  assert.equal(barOf(200, [-500, -150, 200]), 1);
  assert.equal(barOf(201, [-500, -150, 200]), -1);
  assert.equal(barOf(NaN, [-500, -150, 200]), -1);
});

test('without filters or search everything passes and the counts are the whole collection', () => {
  const ev = evaluate(facets, new Map(), null, everywhere);
  assert.equal(ev.shown, N);
  assert.equal(ev.total, N);
  assert.deepEqual([...ev.counts[0]], [3, 2, 2]);
  assert.deepEqual([...ev.counts[1]], [4, 3]);
});

test('values of one field combine with OR, and the field keeps its own counts', () => {
  const ev = evaluate(facets, new Map([['culture', new Set(['Attic', 'Greek'])]]), null, everywhere);
  assert.deepEqual(passing(ev), [0, 2, 3, 4, 7]);
  assert.deepEqual([...ev.counts[0]], [3, 2, 2]); // its own choice is ignored: more can be added
  assert.deepEqual([...ev.counts[1]], [3, 1]); // the others follow it (image 7 has no year)
});

test('fields combine with AND and each counts under the others', () => {
  const state = new Map([['culture', new Set(['Attic'])], ['year', [-480, 150]]]);
  const ev = evaluate(facets, state, null, everywhere);
  assert.deepEqual(passing(ev), [2, 4]);
  assert.deepEqual([...ev.counts[0]], [2, 2, 1]); // cultures within the years
  assert.deepEqual([...ev.counts[1]], [2, 1]); // years of Attic images
});

test('the search combines with AND and narrows every count', () => {
  const hits = mask([0, 1, 2, 3]);
  const ev = evaluate(facets, new Map([['culture', new Set(['Attic'])]]), hits, everywhere);
  assert.deepEqual(passing(ev), [0, 2]);
  assert.deepEqual([...ev.counts[0]], [2, 1, 1]);
  assert.deepEqual([...ev.counts[1]], [2, 0]);
  assert.equal(shownText(ev.shown, ev.total), '2 of 8 shown');
});

test('a range is inclusive, and images without a value fail it', () => {
  const ev = evaluate(facets, new Map([['year', [-300, 200]]]), null, everywhere);
  assert.deepEqual(passing(ev), [3, 4, 5, 6]);
  const days = evaluate(facets, new Map([['acquired', [31, 31]]]), null, everywhere);
  assert.deepEqual(passing(days), [4, 5, 6, 7]);
});

test('images not on the map are neither shown nor counted', () => {
  const ev = evaluate(facets, new Map(), null, mask([0, 1, 2, 3, 4, 5]));
  assert.equal(ev.total, 6);
  assert.equal(ev.shown, 6);
  assert.deepEqual([...ev.counts[0]], [3, 2, 1]);
});

test('passing images come in cell order, empty cells skipped', () => {
  assert.deepEqual(passingInCellOrder(mask([0, 2, 5]), [5, -1, 1, 0, 2]), [5, 0, 2]);
});

test('isFiltering ignores a field with no chosen value', () => {
  assert.equal(isFiltering(new Map([['culture', new Set()]])), false);
  assert.equal(isFiltering(new Map([['year', [0, 1]]])), true);
});

test('a state round-trips through deep-link pairs, dates as ISO days', () => {
  const state = new Map([['culture', new Set(['Greek', 'Attic'])], ['year', [-480, 150.5]], ['acquired', [1, 30]]]);
  const pairs = encodeState(facets, state);
  assert.deepEqual(pairs, { culture: ['Attic', 'Greek'], year: ['-480..150.5'], acquired: ['1970-01-02..1970-01-31'] });
  assert.ok(sameState(decodeState(facets, pairs), state));
});

test('date bounds are ISO days, early years included', () => {
  const acquired = facets[2];
  assert.equal(parseBound(acquired, '1970-02-01'), 31);
  assert.equal(formatBound(acquired, parseBound(acquired, '0050-03-01')), '0050-03-01');
  assert.ok(Number.isNaN(parseBound(acquired, '1970-2-1')));
  assert.equal(parseBound(facets[1], ' -1.5e2 '), -150);
  assert.ok(Number.isNaN(parseBound(facets[1], '1,5')));
});

test('a range that reaches an end of its facet leaves that end open in the link', () => {
  const pairs = encodeState(facets, new Map([['year', [-500, -300]], ['acquired', [1, 31]]]));
  assert.deepEqual(pairs, { year: ['..-300'], acquired: ['1970-01-02..'] });
  assert.ok(sameState(decodeState(facets, pairs), new Map([['year', [-500, -300]], ['acquired', [1, 31]]])));
});

test('decodeState ignores unknown fields and values, malformed and reversed ranges; an open end is the facet\'s own', () => {
  const state = decodeState(facets, {
    nope: ['x'], culture: ['Minoan', 'Attic'], year: ['..-300'], acquired: ['1970-02-01..1970-01-01'],
  });
  assert.ok(sameState(state, new Map([['culture', new Set(['Attic'])], ['year', [-500, -300]]])));
  assert.equal(decodeState(facets, { culture: ['Minoan'], year: ['soon'] }).size, 0);
  assert.equal(decodeState(facets, { year: ['1..x'] }).size, 0);
});

test('sameState compares what is filtered, not how the map was built', () => {
  assert.ok(sameState(new Map([['culture', new Set()]]), new Map()));
  assert.ok(!sameState(new Map([['year', [0, 1]]]), new Map([['year', [0, 2]]])));
  assert.ok(!sameState(new Map([['culture', new Set(['Attic'])]]), new Map([['culture', new Set(['Greek'])]])));
});

test('100,000 images with 5,000 values of a field count exactly', () => {
  // Speed is measured in Chromium by bench/bench_facets.py; this checks the typed-array counting.
  const n = 100_000;
  const big = prepareFacets(
    [
      { field: 'c', kind: 'categorical', values: Array.from({ length: 5000 }, (_, i) => `v${i}`), codes: Array.from({ length: n }, (_, i) => i % 5000) },
      { field: 'y', kind: 'numeric', min: 0, max: n, edges: [0, n / 2, n], numbers: Array.from({ length: n }, (_, i) => i) },
    ],
    n,
  );
  const ev = evaluate(big, new Map([['c', new Set(['v1', 'v2'])], ['y', [0, n / 2]]]), null, new Uint8Array(n).fill(1));
  assert.equal(ev.shown, 20);
  assert.equal(ev.counts[0][1], 10);
});

test('listedValues lists the most frequent matching values, then chosen ones beyond the limit', () => {
  const culture = facets[0];
  assert.deepEqual(listedValues(culture, null, '', [], 2), { shown: [0, 1], matching: 3 });
  assert.deepEqual(listedValues(culture, null, '', ['Greek'], 2), { shown: [0, 1, 2], matching: 3 });
  const normalized = culture.values.map((v) => v.toLowerCase());
  assert.deepEqual(listedValues(culture, normalized, 'e', [], 12), { shown: [1, 2], matching: 2 });
  assert.deepEqual(listedValues(culture, normalized, 'zzz', ['Attic', 'Unknown'], 12), { shown: [0], matching: 0 });
});

test('rangeRequest orders the ends, fills an empty end with the facet\'s own and ignores bad text', () => {
  const year = facets[1];
  assert.deepEqual(rangeRequest(year, '100', '-200', null), { range: [-200, 100] });
  assert.deepEqual(rangeRequest(year, '', '0', null), { range: [-500, 0] });
  assert.equal(rangeRequest(year, 'abc', '0', null), null);
  assert.equal(rangeRequest(year, '-200', '100', [-200, 100]), null, 'unchanged: nothing to do');
  assert.deepEqual(rangeRequest(year, '', '', [-200, 100]), { clear: true });
  assert.equal(rangeRequest(year, '', '', null), null, 'no range and none asked');
  assert.deepEqual(rangeRequest(facets[2], '1970-01-02', '', null), { range: [1, 31] });
});

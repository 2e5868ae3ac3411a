import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSearcher, normalize } from '../src/search.js';
import { sampleMeta } from './fixtures.js';

const searcher = () => {
  const meta = sampleMeta();
  return createSearcher(meta.items, meta.fields);
};

test('normalize ignores case and accents and folds special letters', () => {
  assert.equal(normalize('Déjà VU'), 'deja vu');
  assert.equal(normalize('Straße Æsop Œuvre Łódź Øre Þing'), 'strasse aesop oeuvre lodz ore thing');
});

test('normalize collapses and trims white space and accepts non-strings', () => {
  assert.equal(normalize('  red \t\n amphora  '), 'red amphora');
  assert.equal(normalize(null), '');
  assert.equal(normalize(undefined), '');
  assert.equal(normalize(1900), '1900');
});

test('an empty or blank query is no search (null), not "no matches"', () => {
  const search = searcher();
  assert.equal(search(''), null);
  assert.equal(search('   '), null);
});

test('a query matches titles and configured fields regardless of case and accents', () => {
  const search = searcher();
  assert.deepEqual(search('AMPHORA'), [0, 3]);
  assert.deepEqual(search('deja'), [2]);
  assert.deepEqual(search('DÉJÀ'), [2]);
  assert.deepEqual(search('francais'), [1]);
  assert.deepEqual(search('1900'), [2]);
});

test('every word of the query must match, in any column', () => {
  const search = searcher();
  assert.deepEqual(search('etruscan amphora'), [0, 3]);
  assert.deepEqual(search('etruscan small'), [3]);
  assert.deepEqual(search('greek amphora'), []);
});

test('columns that are not fields are not searched', () => {
  assert.deepEqual(searcher()('example.org'), []);
});

test('items without a title column are searched by their fields', () => {
  const meta = sampleMeta();
  delete meta.items.title;
  assert.deepEqual(createSearcher(meta.items, meta.fields)('greek'), [4]);
});

test('the haystack is built on the first search only, not when the searcher is made', () => {
  const meta = sampleMeta();
  let reads = 0;
  const items = { ...meta.items };
  Object.defineProperty(items, 'title', {
    get() {
      reads += 1;
      return meta.items.title;
    },
  });
  const search = createSearcher(items, meta.fields);
  assert.equal(reads, 0);
  search('amphora');
  search('vu');
  assert.equal(reads, 1);
});

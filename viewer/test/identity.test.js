import assert from 'node:assert/strict';
import { test } from 'node:test';
import { creditLine, hasAbout, identityOf, pageTitle, paragraphsOf } from '../src/identity.js';
import { sampleMeta } from './fixtures.js';

test('a collection without identity is named by its id and has nothing more to say', () => {
  const meta = { ...sampleMeta(), collection: 'vases' };
  delete meta.title;
  const identity = identityOf(meta);
  assert.deepEqual(identity, { name: 'vases', about: '', credit: '', license: '' });
  assert.equal(hasAbout(identity), false);
  assert.equal(creditLine(identity), '');
  assert.equal(pageTitle(identity), 'vases — map');
});

test('name, about, credit and licence are read as trimmed text; anything else is ignored', () => {
  const meta = { ...sampleMeta(), title: 'Greek and Roman Art', about: '  Vases.  ', credit: ' The Met ', license: 7 };
  const identity = identityOf(meta);
  assert.deepEqual(identity, { name: 'Greek and Roman Art', about: 'Vases.', credit: 'The Met', license: '' });
  assert.equal(hasAbout(identity), true);
  assert.equal(creditLine(identity), 'The Met');
  assert.equal(creditLine({ ...identity, license: 'CC0' }), 'The Met · CC0');
  assert.equal(hasAbout({ ...identity, about: '', credit: '', license: 'CC0' }), true);
});

test('the about text splits into paragraphs at blank lines and keeps markup as text', () => {
  assert.deepEqual(paragraphsOf('First line\nsame paragraph\n\n  \n<b>Second</b>\n'), [
    'First line\nsame paragraph',
    '<b>Second</b>',
  ]);
  assert.deepEqual(paragraphsOf(''), []);
  assert.deepEqual(paragraphsOf(undefined), []);
});

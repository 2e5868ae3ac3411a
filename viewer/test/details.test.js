import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detailsOf, fieldLabel, safeUrl } from '../src/details.js';
import { sampleMeta } from './fixtures.js';

test('safeUrl keeps absolute http and https links, trimmed', () => {
  assert.equal(safeUrl('https://example.org/a?b=1'), 'https://example.org/a?b=1');
  assert.equal(safeUrl('  HTTP://Example.org/x '), 'http://example.org/x');
});

test('safeUrl refuses script, data, relative and malformed links and non-strings', () => {
  for (const value of [
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<b>x</b>',
    '/records/1',
    '//evil.example/x',
    'records/1',
    'http://',
    null,
    undefined,
    42,
  ]) {
    assert.equal(safeUrl(value), null, String(value));
  }
});

test('fieldLabel turns a column name into a capitalised label', () => {
  assert.equal(fieldLabel('culture_period'), 'Culture period');
  assert.equal(fieldLabel('date-made'), 'Date made');
  assert.equal(fieldLabel('_x_'), 'X');
  // camelCase columns (museum APIs: objectName, artistDisplayName) are words; capitals in a row stay.
  assert.equal(fieldLabel('objectName'), 'Object name');
  assert.equal(fieldLabel('artistDisplayName'), 'Artist display name');
  assert.equal(fieldLabel('imageURL'), 'ImageURL');
  assert.equal(fieldLabel('IIIF_manifest'), 'IIIF manifest');
});

test('detailsOf lists the non-empty configured fields in order, as strings', () => {
  const meta = sampleMeta();
  assert.deepEqual(detailsOf(meta, 2), {
    id: 'c',
    title: 'Déjà vu',
    rows: [{ label: 'Date', value: '1900' }],
    url: null,
  });
  assert.deepEqual(detailsOf(meta, 0).rows, [
    { label: 'Culture', value: 'Etruscan' },
    { label: 'Date', value: '500 BC' },
  ]);
});

test('detailsOf links only safe record URLs and titles untitled items by id', () => {
  const meta = sampleMeta();
  assert.equal(detailsOf(meta, 0).url, 'https://example.org/a');
  const untitled = detailsOf(meta, 1);
  assert.equal(untitled.url, null);
  assert.equal(untitled.title, 'b');
  delete meta.items.url;
  assert.equal(detailsOf(meta, 0).url, null);
});

test('detailsOf keeps markup in the data as plain text', () => {
  const meta = sampleMeta();
  meta.items.title[0] = '<img src=x onerror=alert(1)>';
  assert.equal(detailsOf(meta, 0).title, '<img src=x onerror=alert(1)>');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  collectionName,
  imageUrl,
  idIndex,
  loadCollection,
  loadPointer,
  manifestUrl,
  titleOf,
  validate,
  versionBase,
} from '../src/metadata.js';
import { sampleMeta } from './fixtures.js';

const PAGE = 'https://maps.example.org/site/vases/index.html#item=a';

test('validate accepts good metadata and keeps only the fields that are columns', () => {
  const meta = sampleMeta();
  meta.fields = ['culture', 'missing', 7, 'date'];
  assert.deepEqual(validate(meta).fields, ['culture', 'date']);
});

test('validate gives metadata without a fields list no fields', () => {
  const meta = sampleMeta();
  delete meta.fields;
  assert.deepEqual(validate(meta).fields, []);
});

test('validate refuses what the viewer cannot use, saying what is wrong', () => {
  const cases = [
    [(m) => (m.format = 'tsne-assets.viewer/2'), /unsupported format/],
    [(m) => delete m.format, /unsupported format/],
    [(m) => (m.grid.cols = 0), /invalid grid/],
    [(m) => (m.grid.cell_height = 'x'), /invalid grid/],
    [(m) => m.cells.pop(), /cols × rows/],
    [(m) => delete m.items.id, /items\.id/],
  ];
  for (const [spoil, message] of cases) {
    const meta = sampleMeta();
    spoil(meta);
    assert.throws(() => validate(meta), message);
  }
  assert.throws(() => validate(null), /unsupported format/);
});

test('versionBase resolves the version folder against the page, ending in a slash', () => {
  assert.equal(versionBase({ format: 1, path: 'versions/v2' }, PAGE).href, 'https://maps.example.org/site/vases/versions/v2/');
  assert.equal(versionBase({ format: 1, path: 'versions/v2/' }, PAGE).href, 'https://maps.example.org/site/vases/versions/v2/');
});

test('versionBase refuses another current.json format', () => {
  assert.throws(() => versionBase({ format: 2, path: 'versions/v2/' }, PAGE), /current\.json: unsupported format/);
  assert.throws(() => versionBase({ format: 1 }, PAGE), /current\.json: unsupported format/);
  assert.throws(() => versionBase(null, PAGE), /current\.json: unsupported format/);
});

test('imageUrl resolves image.dzi in the version folder, else image.iiif, tiles.dzi by default', () => {
  const base = new URL('https://h/site/c/versions/v1/');
  assert.equal(imageUrl({ image: { dzi: 'map.dzi', iiif: 'iiif/info.json' } }, base), 'https://h/site/c/versions/v1/map.dzi');
  assert.equal(imageUrl({ image: { iiif: 'iiif/info.json' } }, base), 'https://h/site/c/versions/v1/iiif/info.json');
  assert.equal(imageUrl({}, base), 'https://h/site/c/versions/v1/tiles.dzi');
});

test('manifestUrl resolves image.manifest in the version folder, and is null without one or for a path', () => {
  const base = new URL('https://h/site/c/versions/v1/');
  assert.equal(manifestUrl({ image: { manifest: 'manifest.json' } }, base), 'https://h/site/c/versions/v1/manifest.json');
  assert.equal(manifestUrl({ image: { dzi: 'tiles.dzi' } }, base), null);
  assert.equal(manifestUrl({}, base), null);
  assert.equal(manifestUrl({ image: { manifest: 'https://elsewhere.example/m.json' } }, base), null, 'never another site');
});

test('collectionName falls back from title to collection id to "Collection"', () => {
  assert.equal(collectionName({ title: 'Vases', collection: 'vases' }), 'Vases');
  assert.equal(collectionName({ title: '', collection: 'vases' }), 'vases');
  assert.equal(collectionName({}), 'Collection');
});

test('titleOf falls back to the id for an empty or missing title', () => {
  const meta = sampleMeta();
  assert.equal(titleOf(meta, 0), 'Red amphora');
  assert.equal(titleOf(meta, 1), 'b');
  delete meta.items.title;
  assert.equal(titleOf(meta, 2), 'c');
});

test('idIndex maps ids as strings, as deep links carry them, to item indices', () => {
  const index = idIndex([17, 'x', 3]);
  assert.equal(index.get('17'), 0);
  assert.equal(index.get('x'), 1);
  assert.equal(index.get('3'), 2);
  assert.equal(index.get(17), undefined);
});

test('loadPointer reads current.json: the version folder, and the DZI or IIIF info.json it names', async () => {
  const files = {
    'current.json': { format: 1, path: 'versions/v7', image: 'tiles.dzi' },
  };
  const p = await loadPointer(PAGE, async (url) => files[String(url)]);
  assert.equal(p.base.href, 'https://maps.example.org/site/vases/versions/v7/');
  assert.equal(p.imageUrl, 'https://maps.example.org/site/vases/versions/v7/tiles.dzi');
  const iiif = await loadPointer(PAGE, async () => ({ format: 1, path: 'versions/v7/', image: 'iiif/info.json' }));
  assert.equal(iiif.imageUrl, 'https://maps.example.org/site/vases/versions/v7/iiif/info.json');
  const elsewhere = [undefined, 7, '../other/tiles.dzi', 'https://elsewhere.example/t.dzi', 'tiles.xml', '../info.json', 'a/b/info.json'];
  for (const image of elsewhere) {
    const older = await loadPointer(PAGE, async () => ({ format: 1, path: 'versions/v7/', image }));
    assert.equal(older.imageUrl, null, String(image)); // only a file in the version itself
  }
  await assert.rejects(loadPointer(PAGE, async () => ({ format: 2, path: 'v/' })), /current\.json: unsupported format/);
});

test('loadCollection reads metadata.json in the version folder', async () => {
  const asked = [];
  const files = { 'https://maps.example.org/site/vases/versions/v7/metadata.json': sampleMeta() };
  const fetchJson = async (url) => {
    asked.push(String(url));
    return files[String(url)];
  };
  const c = await loadCollection(new URL('https://maps.example.org/site/vases/versions/v7/'), fetchJson);
  assert.deepEqual(asked, ['https://maps.example.org/site/vases/versions/v7/metadata.json']);
  assert.equal(c.imageUrl, 'https://maps.example.org/site/vases/versions/v7/tiles.dzi');
  assert.equal(c.grid.cols, 3);
  assert.deepEqual(c.search('amphora'), [0, 3]);
  assert.equal(c.idIndex.get('d'), 3);
  assert.equal(c.meta.title, 'Sample');
});

test('loadCollection rejects invalid metadata', async () => {
  const fetchJson = async () => ({ format: 'other' });
  await assert.rejects(loadCollection(new URL(PAGE), fetchJson), /metadata\.json: unsupported format/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectionManifest, serviceImage } from '../src/export-iiif.js';
import { Grid } from '../src/grid.js';
import { sourceOf } from '../src/iiif-source.js';
import { manifestOf } from '../src/selection-manifest.js';
import { sampleMeta } from './fixtures.js';

// The sample's items a, b, c harvested from IIIF: a with a version 3 service, b with a version 2
// service of unknown size, c without a service (a plain image); d and e are local files.
function iiifMeta() {
  const meta = sampleMeta();
  meta.sources = {
    manifests: ['https://m.org/1.json', 'https://m.org/2.json'],
    manifest: [0, 1, 1, -1, -1],
    canvas: ['https://m.org/1/c1', 'https://m.org/2/c1', 'https://m.org/2/c2', '', ''],
    profiles: [{ type: 'ImageService3', profile: 'level2' }, { type: 'ImageService2', profile: 'http://iiif.io/api/image/2/level1.json' }],
    service: ['https://img.org/iiif/3/a', 'https://img.org/iiif/2/b/', '', '', ''],
    profile: [0, 1, -1, -1, -1],
    width: [4000, 0, 0, 0, 0],
    height: [3000, 0, 0, 0, 0],
  };
  return meta;
}

test('sourceOf: the canvas, manifest and image service of a harvested image; null for others', () => {
  const meta = iiifMeta();
  assert.deepEqual(sourceOf(meta, 0), {
    canvas: 'https://m.org/1/c1', manifest: 'https://m.org/1.json',
    service: { id: 'https://img.org/iiif/3/a', type: 'ImageService3', profile: 'level2' }, width: 4000, height: 3000,
  });
  assert.equal(sourceOf(meta, 1).service.id, 'https://img.org/iiif/2/b', 'without its trailing slash');
  assert.deepEqual(sourceOf(meta, 2), { canvas: 'https://m.org/2/c2', manifest: 'https://m.org/2.json', service: null, width: 0, height: 0 });
  assert.equal(sourceOf(meta, 3), null);
  assert.equal(sourceOf(sampleMeta(), 0), null, 'a collection without sources');
});

test('sourceOf keeps only http(s) ids and Image API 2 and 3 services, and ignores a section of another length', () => {
  const meta = iiifMeta();
  meta.sources.canvas[0] = 'javascript:alert(1)';
  meta.sources.profiles[0].type = 'ImageService1';
  assert.deepEqual(sourceOf(meta, 0), { canvas: null, manifest: 'https://m.org/1.json', service: null, width: 4000, height: 3000 });
  meta.sources.canvas.pop();
  assert.equal(sourceOf(meta, 1), null);
});

test('serviceImage: the full image of a version 3 or 2 service, with the service and no size of its own (a service may cap it); the canvas at the source size or the fallback', () => {
  const fallback = { width: 100, height: 50 };
  assert.deepEqual(serviceImage({ id: 'https://i.org/a', type: 'ImageService3', profile: 'level2' }, { width: 4000, height: 3000 }, fallback), {
    id: 'https://i.org/a/full/max/0/default.jpg', format: 'image/jpeg',
    service: [{ id: 'https://i.org/a', type: 'ImageService3', profile: 'level2' }], canvas: { width: 4000, height: 3000 },
  });
  const v2 = serviceImage({ id: 'https://i.org/b', type: 'ImageService2', profile: '' }, { width: 0, height: 0 }, fallback);
  assert.deepEqual(v2, {
    id: 'https://i.org/b/full/full/0/default.jpg', format: 'image/jpeg',
    service: [{ '@id': 'https://i.org/b', '@type': 'ImageService2' }], canvas: fallback,
  });
});

test('selectionManifest: a harvested canvas is part of its source manifest and links its source canvas', () => {
  const image = { id: 'https://h.org/a.jpg', format: 'image/jpeg', canvas: { width: 10, height: 5 } };
  const source = { canvas: 'https://m.org/1/c1', manifest: 'https://m.org/1.json' };
  const m = selectionManifest({ base: 'https://h.org/selection/', label: 'Sel' }, [
    { title: 'A', fields: [], url: null, image, source },
    { title: 'B', fields: [], url: null, image, source: null },
  ]);
  const [a, b] = m.items;
  assert.deepEqual(a.partOf, [{ id: 'https://m.org/1.json', type: 'Manifest' }]);
  assert.deepEqual(a.annotations, [{
    id: `${a.id}/source`, type: 'AnnotationPage', items: [{
      id: `${a.id}/source/1`, type: 'Annotation', motivation: 'linking', target: a.id,
      body: { id: 'https://m.org/1/c1', type: 'Canvas', partOf: [{ id: 'https://m.org/1.json', type: 'Manifest' }] },
    }],
  }]);
  assert.equal(b.partOf, undefined);
  assert.equal(b.annotations, undefined);
});

// The map shown: one 256-px tile per level, tiles named relative to the page.
function shown(meta) {
  return {
    grid: new Grid(meta),
    scale: 1,
    dzi: { width: 300, height: 100, tileSize: 256, overlap: 0, maxLevel: 9 },
    format: 'png',
    tileUrl: (level, x, y) => `versions/1/tiles_files/${level}/${x}_${y}.png`,
  };
}

test('manifestOf: harvested images are painted by their source service, others by the tiles; the page URL names the manifest', () => {
  const meta = iiifMeta();
  const m = manifestOf({ meta, detail: null }, shown(meta), [0, 1, 2, 3, 4], 'https://h.org/c/#sel=x', 'https://h.org/c/?a=1#item=b');
  assert.equal(m.id, 'https://h.org/c/selection/manifest.json');
  assert.equal(m.label.none[0], 'Sample: 4 selected images', 'e is neither on the map nor harvested');
  const [a, b, c, d] = m.items.map((canvas) => canvas.items[0].items[0].body);
  assert.equal(a.id, 'https://img.org/iiif/3/a/full/max/0/default.jpg');
  assert.deepEqual([m.items[0].width, m.items[0].height], [4000, 3000]);
  assert.deepEqual([a.width, a.height], [undefined, undefined], 'the body states no size: a service may cap the full image');
  assert.deepEqual(b.service, [{ '@id': 'https://img.org/iiif/2/b', '@type': 'ImageService2', profile: 'http://iiif.io/api/image/2/level1.json' }]);
  assert.deepEqual([m.items[1].width, m.items[1].height], [100, 50], 'unknown size: its cell');
  assert.deepEqual([c.source.id, c.selector.value], ['https://h.org/c/versions/1/tiles_files/9/0_0.png', 'xywh=0,0,100,50'], 'no service: its tile, absolute');
  assert.deepEqual(m.items[2].partOf, [{ id: 'https://m.org/2.json', type: 'Manifest' }], 'still linked to its source');
  assert.equal(d.selector.value, 'xywh=0,50,100,50');
  assert.equal(m.items[3].partOf, undefined);
});

test('manifestOf: a harvested image off the map keeps its service; the canvas falls back to a cell', () => {
  const meta = iiifMeta();
  meta.sources.service[4] = 'https://img.org/iiif/3/e';
  meta.sources.profile[4] = 0;
  const m = manifestOf({ meta, detail: null }, shown(meta), [4], null, 'https://h.org/c/');
  assert.equal(m.items[0].items[0].items[0].body.id, 'https://img.org/iiif/3/e/full/max/0/default.jpg');
  assert.deepEqual([m.items[0].width, m.items[0].height], [100, 50]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, recordColumns, recordsOf, toCsv, toJson } from '../src/export-records.js';
import { cellImage, detailImage, mediaType, selectionManifest } from '../src/export-iiif.js';
import { sampleMeta } from './fixtures.js';

test('CSV cells: RFC 4180 quoting of commas, quotes and line breaks; plain text stays bare', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a, b'), '"a, b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('cr\r'), '"cr\r"');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(1890), '1890');
});

test('CSV cells that a spreadsheet would run as formulas get a leading quote', () => {
  for (const v of ['=1+1', '+SUM(A1)', '-3.5', '@cmd', '\t=1', '\r=1']) assert.ok(csvCell(v).replace(/^"/, '').startsWith("'"), v);
  assert.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvCell('a=b'), 'a=b', 'only a leading sign');
});

test('records: id, title, url, then the fields in order, empty where missing', () => {
  const meta = sampleMeta();
  assert.deepEqual(recordColumns(meta), ['id', 'title', 'url', 'culture', 'date']);
  assert.deepEqual(recordsOf(meta, [2]), [{ id: 'c', title: 'Déjà vu', url: '', culture: '', date: '1900' }]);
  meta.fields = ['title', 'date'];
  assert.deepEqual(recordColumns(meta), ['id', 'title', 'url', 'date'], 'a field that is a fixed column once');
});

test('toCsv writes a byte-order mark, a header and one CRLF row per item, in the order given', () => {
  const meta = sampleMeta();
  meta.items.title[0] = 'Red, "amphora"';
  const csv = toCsv(meta, [3, 0]);
  assert.equal(csv, '\ufeffid,title,url,culture,date\r\nd,Small amphora,http://example.org/d,Etruscan,400 BC\r\n' +
    'a,"Red, ""amphora""",https://example.org/a,Etruscan,500 BC\r\n');
});

test('toJson holds the collection, the link, the fields and exactly the records', () => {
  const doc = JSON.parse(toJson(sampleMeta(), [1], 'https://x.org/#sel=dAQ'));
  assert.deepEqual(doc, {
    collection: '', title: 'Sample', link: 'https://x.org/#sel=dAQ', fields: ['culture', 'date'], count: 1,
    items: [{ id: 'b', title: '', url: 'javascript:alert(1)', culture: 'Français', date: '' }],
  });
});

test('detailImage: the deepest level of the image pyramid that is one tile', () => {
  const detail = { base: 'https://h.org/v/1/detail/', tileSize: 256, format: 'jpg', width: [0, 2048, 200], height: [0, 1000, 100] };
  // 2048 px: levels 0..11; level 8 is 256 × 125.
  assert.deepEqual(detailImage(detail, 1), {
    id: 'https://h.org/v/1/detail/1_files/8/0_0.jpg', format: 'image/jpeg', width: 256, height: 125, canvas: { width: 2048, height: 1000 },
  });
  // Smaller than a tile: its own full size, at its deepest level (ceil(log2 200) = 8).
  assert.equal(detailImage(detail, 2).id, 'https://h.org/v/1/detail/2_files/8/0_0.jpg');
  assert.equal(detailImage(detail, 2).width, 200);
});

test('cellImage: the tile of the deepest level holding the whole cell, and the cell within it', () => {
  const dzi = { width: 640, height: 360, tileSize: 256, overlap: 1, maxLevel: 10 };
  const url = (l, x, y) => `https://h.org/t/${l}/${x}_${y}.jpg`;
  // Inside tile (0, 0) at full resolution.
  assert.deepEqual(cellImage(dzi, { x: 160, y: 0, w: 80, h: 120 }, url, 'jpg'), {
    id: 'https://h.org/t/10/0_0.jpg', format: 'image/jpeg', xywh: '160,0,80,120', canvas: { width: 80, height: 120 },
  });
  // Across x = 256 at level 10: level 9 (half size) holds it in tile (0, 0).
  assert.equal(cellImage(dzi, { x: 240, y: 0, w: 160, h: 120 }, url, 'jpg').id, 'https://h.org/t/9/0_0.jpg');
  assert.equal(cellImage(dzi, { x: 240, y: 0, w: 160, h: 120 }, url, 'jpg').xywh, '120,0,80,60');
  // In the second column: the tile's own image starts one overlap pixel early.
  const second = cellImage(dzi, { x: 300, y: 0, w: 160, h: 120 }, url, 'jpg');
  assert.deepEqual([second.id, second.xywh], ['https://h.org/t/10/1_0.jpg', '45,0,160,120']);
  assert.equal(mediaType('PNG'), 'image/png');
});

test('selectionManifest: one canvas per image with label, metadata, homepage and a painting image', () => {
  const entries = [
    { title: 'A', fields: [{ label: 'Date', value: '1890' }], url: 'https://r.org/a', image: { id: 'https://h.org/a.jpg', format: 'image/jpeg', width: 10, height: 5, canvas: { width: 100, height: 50 } } },
    { title: 'B', fields: [], url: null, image: { id: 'https://h.org/t.jpg', format: 'image/jpeg', xywh: '1,2,3,4', canvas: { width: 3, height: 4 } } },
  ];
  const m = selectionManifest({ base: 'https://h.org/c/selection/', label: 'Sel', homepage: 'https://h.org/c/#sel=x' }, entries);
  assert.equal(m.type, 'Manifest');
  assert.equal(m.id, 'https://h.org/c/selection/manifest.json');
  assert.deepEqual(m.items.map((c) => c.id), ['https://h.org/c/selection/canvas/1', 'https://h.org/c/selection/canvas/2']);
  const [a, b] = m.items;
  assert.deepEqual(a.label, { none: ['A'] });
  assert.deepEqual(a.metadata, [{ label: { none: ['Date'] }, value: { none: ['1890'] } }]);
  assert.deepEqual(a.homepage, [{ id: 'https://r.org/a', type: 'Text', label: { none: ['A'] }, format: 'text/html' }]);
  const paint = a.items[0].items[0];
  assert.equal(paint.motivation, 'painting');
  assert.equal(paint.target, a.id);
  assert.deepEqual(paint.body, { id: 'https://h.org/a.jpg', type: 'Image', format: 'image/jpeg', width: 10, height: 5 });
  assert.equal(b.homepage, undefined);
  assert.equal(b.metadata, undefined);
  assert.deepEqual(b.items[0].items[0].body.selector.value, 'xywh=1,2,3,4');
  assert.equal(b.items[0].items[0].body.source.id, 'https://h.org/t.jpg');
  assert.throws(() => selectionManifest({ base: 'selection/', label: 'x' }, []), /absolute/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHash, parseFilters, parseHash, sameHash } from '../src/deeplink.js';

test('parseHash reads the item id and the query, with or without the leading #', () => {
  assert.deepEqual(parseHash('#item=42&q=red+amphora'), { item: '42', q: 'red amphora' });
  assert.deepEqual(parseHash('q=d%C3%A9j%C3%A0%20vu&item=a%26b'), { item: 'a&b', q: 'déjà vu' });
});

test('parseHash gives no item and an empty query for an empty hash', () => {
  assert.deepEqual(parseHash(''), { item: null, q: '' });
  assert.deepEqual(parseHash('#'), { item: null, q: '' });
  assert.deepEqual(parseHash('#item='), { item: '', q: '' });
});

test('formatHash writes #item=<id>&q=<query>, leaving out what is not set', () => {
  assert.equal(formatHash({ item: '42', q: 'amphora' }), '#item=42&q=amphora');
  assert.equal(formatHash({ item: '42' }), '#item=42');
  assert.equal(formatHash({ item: null, q: 'amphora' }), '#q=amphora');
  assert.equal(formatHash({ item: null, q: '' }), '');
});

test('formatHash and parseHash round-trip ids and queries with reserved characters', () => {
  const link = { item: 'a&b=c#d', q: 'déjà vu & co = 100%' };
  assert.deepEqual(parseHash(formatHash(link)), link);
});

test('sameHash treats an empty hash and a bare # as the same', () => {
  assert.ok(sameHash('#q=x', '#q=x'));
  assert.ok(sameHash('', ''));
  assert.ok(sameHash('', '#'));
  assert.ok(!sameHash('#q=x', '#q=y'));
  assert.ok(!sameHash('', '#q=x'));
});

test('facet filters are f.<field>=<value> pairs, one per chosen value, after the item and the query', () => {
  const filters = { Department: ['Greek and Roman Art', 'Egyptian Art'], Year: ['-500..200'] };
  const hash = formatHash({ item: '42', q: 'vase', filters });
  assert.equal(hash, '#item=42&q=vase&f.Department=Greek+and+Roman+Art&f.Department=Egyptian+Art&f.Year=-500..200');
  assert.deepEqual(parseFilters(hash), filters);
  assert.equal(formatHash({ filters: {} }), '');
});

test('parseFilters keeps fields and values with reserved characters and ignores other keys', () => {
  const filters = { 'a&b.c': ['x=y', '100%'] };
  assert.deepEqual(parseFilters(formatHash({ filters })), filters);
  assert.deepEqual(parseFilters('#item=1&q=x&f.=1&g.Year=2'), {});
});

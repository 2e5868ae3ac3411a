import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyText } from '../src/clipboard.js';

test('the text goes to the clipboard and the copy reports success', async () => {
  const written = [];
  const ok = await copyText('https://example.org/map/#item=3', { writeText: async (t) => written.push(t) });
  assert.equal(ok, true);
  assert.deepEqual(written, ['https://example.org/map/#item=3']);
});

test('a refused write, or no clipboard at all (not a secure context), reports failure without throwing', async () => {
  const refused = { writeText: async () => { throw new DOMException('Write permission denied.', 'NotAllowedError'); } };
  assert.equal(await copyText('x', refused), false);
  assert.equal(await copyText('x', undefined), false);
  assert.equal(await copyText('x', {}), false);
});

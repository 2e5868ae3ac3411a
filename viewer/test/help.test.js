import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helpSections } from '../src/help.js';
import { KEYS } from '../src/keys.js';

test('entries are grouped in the order their groups first appear, each group in its own order', () => {
  const sections = helpSections([
    { group: 'Map', keys: ['0'], action: 'Whole map' },
    { group: 'Anywhere', keys: ['?'], action: 'Help' },
    { group: 'Map', keys: ['+', 'Shift+↑'], action: 'Zoom in' },
  ]);
  assert.deepEqual(sections, [
    { group: 'Map', rows: [{ keys: ['0'], action: 'Whole map' }, { keys: ['+', 'Shift+↑'], action: 'Zoom in' }] },
    { group: 'Anywhere', rows: [{ keys: ['?'], action: 'Help' }] },
  ]);
});

test('every shortcut in keys.js has a group, at least one key and an action, and ? opens the help', () => {
  for (const entry of KEYS) {
    assert.ok(entry.group && entry.action && entry.keys.length > 0, JSON.stringify(entry));
    assert.ok(entry.keys.every((k) => typeof k === 'string' && k.length > 0), JSON.stringify(entry));
  }
  assert.ok(KEYS.some((e) => e.keys.includes('?') && /help/i.test(e.action)));
  const rows = helpSections(KEYS).flatMap((s) => s.rows);
  assert.equal(rows.length, KEYS.length); // nothing lost or doubled by the grouping
});

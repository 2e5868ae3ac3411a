import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTyping, pageShortcut } from '../src/shortcuts.js';

const input = (type) => ({ tagName: 'INPUT', type });

test('text boxes, text areas, selects and editable content are typing; buttons and checkboxes are not', () => {
  for (const target of [input('search'), input('text'), input(''), { tagName: 'textarea' }, { tagName: 'SELECT' }, { tagName: 'DIV', isContentEditable: true }]) {
    assert.equal(isTyping(target), true, JSON.stringify(target));
  }
  for (const target of [input('checkbox'), input('radio'), input('range'), { tagName: 'BUTTON' }, { tagName: 'DIV' }, null]) {
    assert.equal(isTyping(target), false, JSON.stringify(target));
  }
});

test('? asks for the help and F for full screen, outside text boxes', () => {
  assert.equal(pageShortcut({ key: '?', target: { tagName: 'DIV' } }), 'help');
  assert.equal(pageShortcut({ key: 'f', target: { tagName: 'BUTTON' } }), 'fullscreen');
  assert.equal(pageShortcut({ key: 'F', target: null }), 'fullscreen');
  assert.equal(pageShortcut({ key: 'g', target: null }), null);
});

test('no shortcut while typing in the search box or with Ctrl, Alt or Meta held', () => {
  assert.equal(pageShortcut({ key: '?', target: input('search') }), null);
  assert.equal(pageShortcut({ key: 'f', target: input('search') }), null);
  assert.equal(pageShortcut({ key: 'f', ctrlKey: true, target: null }), null); // the browser's find
  assert.equal(pageShortcut({ key: '?', altKey: true, target: null }), null);
  assert.equal(pageShortcut({ key: 'f', metaKey: true, target: null }), null);
});

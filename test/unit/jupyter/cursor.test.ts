/** Jupyter's code-point cursors against TypeScript's UTF-16 offsets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  codePointsFromUnits,
  offsetAt,
  positionAt,
  unitsFromCodePoints,
  wordAt,
} from '../../../extension/jupyter/cursor';

test('an astral character is one code point and two UTF-16 units', () => {
  const text = 'const s = "🙂"; s.len';
  // "🙂" is U+1F642: a surrogate pair in UTF-16.
  assert.equal(text.length, [...text].length + 1);
  const end = [...text].length;
  assert.equal(unitsFromCodePoints(text, end), text.length);
  assert.equal(codePointsFromUnits(text, text.length), end);
  assert.equal(unitsFromCodePoints(text, 11), 11);
  assert.equal(unitsFromCodePoints(text, 12), 13);
});

test('positions and offsets are inverse, line by line', () => {
  const text = 'a\nbc\n\ndef';
  for (let offset = 0; offset <= text.length; offset++) assert.equal(offsetAt(text, positionAt(text, offset)), offset);
  assert.deepEqual(positionAt(text, 4), { line: 1, character: 2 });
});

test('the word around a cursor spans identifier characters on both sides', () => {
  assert.deepEqual(wordAt('model.forw', 10), [6, 10]);
  assert.deepEqual(wordAt('x = $ab_c1 + 2', 7), [4, 10]);
  assert.deepEqual(wordAt('f(', 2), [2, 2]);
});

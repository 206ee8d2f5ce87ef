/** is_complete for TypeScript: what a console should do on Enter. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isComplete } from '../../../extension/jupyter/is-complete';

const cases: [string, string][] = [
  ['1 + 1', 'complete'],
  ['const x: number = 1;', 'complete'],
  ['await Promise.resolve(1)', 'complete'],
  ['interface A { x: number }', 'complete'],
  ['', 'complete'],
  ['%npm install lodash', 'complete'],
  ["%npm i lodash\nimport _ from 'lodash';", 'complete'],
  ['function f() {', 'incomplete'],
  ['const a = [1,', 'incomplete'],
  ['1 +', 'incomplete'],
  ['const s = `open template', 'incomplete'],
  ['/* open comment', 'incomplete'],
  ['if (x) {\n  f(', 'incomplete'],
  ['const = ;', 'invalid'],
  [')', 'invalid'],
  ['let 1x = 2', 'invalid'],
  ["const s = 'unterminated", 'invalid'],
];

for (const [code, status] of cases)
  test(`${JSON.stringify(code)} is ${status}`, () => {
    assert.equal(isComplete(code).status, status);
  });

test('an incomplete block asks for one more level of indent than its last line', () => {
  assert.deepEqual(isComplete('function f() {'), { status: 'incomplete', indent: '  ' });
  assert.deepEqual(isComplete('if (x) {\n  for (;;) {'), { status: 'incomplete', indent: '    ' });
  assert.deepEqual(isComplete('const a = [1,\n    2,'), { status: 'incomplete', indent: '    ' });
});

/**
 * Cell semantics in a real worker: declarations persist and can be re-declared, top-level
 * await, the last value and the trailing `;`, TypeScript syntax, error locations and stacks.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

let session: KernelSession;
before(async () => {
  session = newSession();
  await session.whenReady();
});
after(() => session.dispose());

test('top-level const, let, var, function and class persist across cells', async () => {
  const first = await run(
    session,
    [
      'const a: number = 2;',
      'let { b, c: [d] } = { b: 3, c: [4] };',
      'var e = 5;',
      'function sum(...xs: number[]): number { return xs.reduce((s, x) => s + x, 0) }',
      'class Point { constructor(public x: number, public y: number) {} norm() { return Math.hypot(this.x, this.y) } }',
    ].join('\n'),
  );
  assert.equal(first.ok, true, first.error?.stack);
  const second = await run(session, 'sum(a, b, d, e) + new Point(3, 4).norm()');
  assert.equal(second.value, String(2 + 3 + 4 + 5 + 5));
});

test('re-running a cell that declares const works, and the new value wins', async () => {
  assert.equal((await run(session, 'const k = 1; k')).value, '1');
  assert.equal((await run(session, 'const k = 2; k')).value, '2');
  assert.equal((await run(session, 'k * 10')).value, '20');
});

test('functions are hoisted within a cell and visible to later cells', async () => {
  const r = await run(session, 'const v = twice(21);\nfunction twice(n: number) { return 2 * n }\nv');
  assert.equal(r.value, '42');
  assert.equal((await run(session, 'twice(5)')).value, '10');
});

test('top-level await works and its value is shown', async () => {
  const r = await run(
    session,
    'const w = await new Promise<number>((resolve) => setTimeout(() => resolve(7), 20));\nw * 6',
  );
  assert.equal(r.value, '42');
});

test('the last expression is shown; a trailing semicolon hides it; declarations show nothing', async () => {
  assert.equal((await run(session, '1 + 1')).value, '2');
  assert.equal((await run(session, '1 + 1;')).value, undefined);
  assert.equal((await run(session, 'const z = 3')).value, undefined);
  assert.equal((await run(session, '"text"')).value, "'text'");
  assert.equal((await run(session, 'undefined')).value, undefined);
  assert.equal((await run(session, '({ x: 1, y: [1, 2] })')).value, '{ x: 1, y: [ 1, 2 ] }');
});

test('TypeScript-only syntax (types, interfaces, enums, generics, parameter properties) runs', async () => {
  const r = await run(
    session,
    [
      'interface Shape { area(): number }',
      'enum Colour { Red, Green }',
      'type Pair<T> = [T, T];',
      'class Sq implements Shape { constructor(private side: number) {} area(): number { return this.side ** 2 } }',
      'const pair: Pair<number> = [1, 2];',
      'new Sq(3).area() + pair[1] + Colour.Green',
    ].join('\n'),
  );
  assert.equal(r.value, '12');
});

test('a syntax error names the cell, line and column, and shows the line', async () => {
  const r = await run(session, 'const ok = 1;\nconst bad = (2 + ;\n', 'Cell 9');
  assert.equal(r.ok, false);
  assert.equal(r.error?.name, 'SyntaxError');
  assert.match(r.error!.message, /Cell 9, line 2, column 18/);
  assert.match(r.error!.stack, /const bad = \(2 \+ ;\n\s+\^/);
});

test('a runtime error shows name, message and a stack of cell lines and columns, engine frames hidden', async () => {
  const r = await run(
    session,
    [
      'function inner(n: number): number {',
      '  if (n > 2) throw new RangeError(`too big: ${n}`);',
      '  return inner(n + 1);',
      '}',
      'inner(0)',
    ].join('\n'),
    'Cell 12',
  );
  assert.equal(r.error?.name, 'RangeError');
  assert.equal(r.error?.message, 'too big: 3');
  const frames = r.error!.stack.split('\n').slice(1);
  assert.deepEqual(
    frames.map((f) => /\(?(Cell 12:\d+:\d+)\)?$/.exec(f)?.[1]),
    ['Cell 12:2:20', 'Cell 12:3:10', 'Cell 12:3:10', 'Cell 12:3:10', 'Cell 12:5:1'],
  );
  assert.doesNotMatch(r.error!.stack, /worker\.js|node:internal|sucrase/);
});

test('an error thrown inside the core keeps its message and hides the core frames', async () => {
  const r = await run(
    session,
    "import { LSTM } from 'lstm-notebook';\nnew LSTM({ inputSize: 0, hiddenSize: 4 })",
    'Cell 13',
  );
  assert.equal(r.ok, false);
  assert.match(r.error!.message, /inputSize/);
  assert.match(r.error!.stack, /Cell 13:2:1/);
  assert.doesNotMatch(r.error!.stack, /worker\.js/);
});

test('a thrown non-error value is reported, and export is refused with a reason', async () => {
  assert.equal((await run(session, "throw 'plain'")).error?.message, 'Uncaught "plain"');
  const r = await run(session, 'export default 1');
  assert.equal(r.error?.name, 'SyntaxError');
  assert.match(r.error!.message, /cannot export/);
});

test('a failing cell does not lose earlier state', async () => {
  await run(session, 'const keep = 99;');
  await run(session, 'null.x');
  assert.equal((await run(session, 'keep')).value, '99');
});

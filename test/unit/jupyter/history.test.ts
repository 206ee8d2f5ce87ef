/** history_request as IPython answers it: tail, range, search with globs, unique, n, output. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globToRegExp, History } from '../../../extension/jupyter/history';

function history(): History {
  const h = new History();
  ['a = 1', '1 + 2', 'b = 2', '1 + 2', 'print(b)'].forEach((input, i) => h.add(i + 1, input));
  h.setOutput(2, '3');
  return h;
}

test('tail gives the last n inputs with their session and line', () => {
  assert.deepEqual(history().query({ hist_access_type: 'tail', n: 2 }), [
    [1, 4, '1 + 2'],
    [1, 5, 'print(b)'],
  ]);
});

test('range gives lines [start, stop) of the session; another session has none', () => {
  assert.deepEqual(history().query({ hist_access_type: 'range', session: 1, start: 2, stop: 4 }), [
    [1, 2, '1 + 2'],
    [1, 3, 'b = 2'],
  ]);
  assert.deepEqual(history().query({ hist_access_type: 'range', session: 7, start: 1, stop: 9 }), []);
});

test('search matches the whole input against a glob; unique keeps each input once; n the last n', () => {
  const h = history();
  assert.deepEqual(
    h.query({ hist_access_type: 'search', pattern: '1 + *' }).map((e) => e[1]),
    [2, 4],
  );
  assert.deepEqual(
    h.query({ hist_access_type: 'search', pattern: '1 + *', unique: true }).map((e) => e[1]),
    [4],
  );
  assert.deepEqual(
    h.query({ hist_access_type: 'search', pattern: '?*', n: 1 }).map((e) => e[1]),
    [5],
  );
  assert.deepEqual(h.query({ hist_access_type: 'search', pattern: 'b' }), []);
});

test('output: true pairs each input with its result text', () => {
  assert.deepEqual(history().query({ hist_access_type: 'range', start: 2, stop: 3, output: true }), [
    [1, 2, ['1 + 2', '3']],
  ]);
});

test('an unknown access type is refused, naming the ones there are', () => {
  assert.throws(
    () => history().query({ hist_access_type: 'all' }),
    /expected hist_access_type "tail", "range" or "search", got "all"/,
  );
});

test('globs: * any run, ? one character, [..] a class, [^..] its complement; the rest is literal', () => {
  assert.ok(globToRegExp('a*c').test('abbbc'));
  assert.ok(!globToRegExp('a?c').test('abbc'));
  assert.ok(globToRegExp('[ab]x').test('bx'));
  assert.ok(!globToRegExp('[^ab]x').test('bx'));
  assert.ok(globToRegExp('f(x) + 1.5').test('f(x) + 1.5'));
  assert.ok(!globToRegExp('f(x) + 1.5').test('f(x) + 125'));
});

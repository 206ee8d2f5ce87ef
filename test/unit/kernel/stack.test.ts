/**
 * Error stacks as the user reads them (extension/kernel/stack.ts): frames of the cell mapped back
 * to the cell's line and column through the rewrite's source map, the engine's and Node's frames
 * dropped, thrown non-errors described, and syntax errors shown with a caret.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInThisContext } from 'node:vm';
import type { CellError } from '../../../protocol/kernel';
import { rewriteCell } from '../../../extension/kernel/rewrite';
import { cellError, cellPosition, syntaxError } from '../../../extension/kernel/stack';
import { CellSyntaxError } from '../../../extension/kernel/transpile';

const ENGINE = ['/ext/dist/worker.js', 'node_modules/sucrase'];

/**
 * A hand-made source map of a three-line script: [scriptColumn, source, cellLine, cellColumn].
 * Line 1 carries the wrapper's 15-character prefix, line 2 a 24-character interrupt check
 * before cell column 10, and line 3 is the wrapper's closing `})()`, which maps to nothing.
 */
const CELL_3 = {
  filename: 'Cell 3',
  mappings: [
    [
      [15, 0, 0, 0],
      [21, 0, 0, 6],
    ],
    [
      [0, 0, 1, 0],
      [34, 0, 1, 10],
    ],
    [],
  ],
};

const stacks: Array<{ name: string; stack: string; expected: string }> = [
  {
    name: 'a frame on line 1 loses the prefix, a frame after an insertion its width',
    stack: 'TypeError: f is not a function\n    at Cell 3:1:22\n    at g (Cell 3:2:35)',
    expected: 'TypeError: f is not a function\n    at Cell 3:1:7\n    at g (Cell 3:2:11)',
  },
  {
    name: 'a column between two mapped ones takes the one before it',
    stack: 'Error: e\n    at Cell 3:1:25\n    at Cell 3:2:20',
    expected: 'Error: e\n    at Cell 3:1:7\n    at Cell 3:2:1',
  },
  {
    name: "the wrapper's closing line is dropped",
    stack: 'Error: e\n    at Cell 3:1:22\n    at Cell 3:3:3',
    expected: 'Error: e\n    at Cell 3:1:7',
  },
  {
    name: "the engine's files, Node's internals and native frames are dropped",
    stack: [
      'Error: e',
      '    at Cell 3:1:22',
      '    at Script.runInThisContext (node:vm:137:12)',
      '    at node:internal/process/task_queues:95:5',
      '    at CellRunner.run (/ext/dist/worker.js:100:20)',
      '    at parse (/ext/node_modules/sucrase/dist/index.js:1:1)',
      '    at new Promise (<anonymous>)',
      '    at Array.map (<anonymous>)',
    ].join('\n'),
    expected: 'Error: e\n    at Cell 3:1:7',
  },
  {
    name: "the user's own files keep their frames as they are",
    stack: 'Error: e\n    at helper (/notebook/helpers/local.js:3:9)\n    at Cell 3:2:35',
    expected: 'Error: e\n    at helper (/notebook/helpers/local.js:3:9)\n    at Cell 3:2:11',
  },
  {
    name: "another cell's frame is kept as V8 wrote it: this cell's source map is not its own",
    stack: 'Error: e\n    at helper (Cell 2:1:40)\n    at Cell 3:2:35',
    expected: 'Error: e\n    at helper (Cell 2:1:40)\n    at Cell 3:2:11',
  },
  {
    name: 'a message of several lines is kept whole, and only `at` lines are frames',
    stack: 'Error: first\nsecond\n    at Cell 3:1:22',
    expected: 'Error: first\nsecond\n    at Cell 3:1:7',
  },
];

for (const c of stacks) {
  test(`cellError: ${c.name}`, () => {
    const [head] = c.stack.split('\n    at ');
    const [name, ...message] = head.split(': ');
    const error = Object.assign(new Error(message.join(': ')), { name, stack: c.stack });
    assert.equal(cellError(error, CELL_3, ENGINE).stack, c.expected);
  });
}

const thrown: Array<{ name: string; value: () => unknown; expected: CellError }> = [
  {
    name: 'a string is quoted',
    value: () => 'plain',
    expected: { name: 'Error', message: 'Uncaught "plain"', stack: 'Uncaught "plain"' },
  },
  {
    name: 'a number is written as it is',
    value: () => 42,
    expected: { name: 'Error', message: 'Uncaught 42', stack: 'Uncaught 42' },
  },
  {
    name: 'null, an object to typeof, is written as it is',
    value: () => null,
    expected: { name: 'Error', message: 'Uncaught null', stack: 'Uncaught null' },
  },
  {
    name: 'undefined is written as it is',
    value: () => undefined,
    expected: { name: 'Error', message: 'Uncaught undefined', stack: 'Uncaught undefined' },
  },
  {
    name: 'a symbol is described',
    value: () => Symbol('s'),
    expected: { name: 'Error', message: 'Uncaught Symbol(s)', stack: 'Uncaught Symbol(s)' },
  },
  {
    name: 'an object that cannot become a string is named by its tag',
    value: () => Object.create(null),
    expected: { name: 'Error', message: 'Uncaught [object Object]', stack: 'Uncaught [object Object]' },
  },
  {
    name: 'an object with a message is an error, named Error when it has no name',
    value: () => ({ message: 'm' }),
    expected: { name: 'Error', message: 'm', stack: 'Error: m' },
  },
  {
    name: 'an error-like object keeps its name, and its message becomes text',
    value: () => ({ name: 'Custom', message: 42 }),
    expected: { name: 'Custom', message: '42', stack: 'Custom: 42' },
  },
  {
    name: 'an error with an empty name is an Error',
    value: () => Object.assign(new Error('nameless'), { name: '', stack: '' }),
    expected: { name: 'Error', message: 'nameless', stack: 'Error: nameless' },
  },
];

for (const c of thrown) {
  test(`cellError: ${c.name}`, () => {
    assert.deepEqual(cellError(c.value(), CELL_3, ENGINE), c.expected);
  });
}

test('cellError maps the frames of an error thrown by a real rewritten cell', async () => {
  const cell = "function failInCell9() {\n  throw new Error('in f');\n}\nfailInCell9()";
  const { script, mappings } = rewriteCell(cell);
  let thrownByCell: unknown;
  try {
    await runInThisContext(script, { filename: 'Cell 9' });
  } catch (error) {
    thrownByCell = error;
  } finally {
    delete (globalThis as Record<string, unknown>).failInCell9;
  }
  // The function throws at `new` (line 2, column 9) and is called at its name (line 4, column 1);
  // the script's call of the wrapper, on its closing line, is dropped. This test's frames are the "engine" here.
  const { stack } = cellError(thrownByCell, { filename: 'Cell 9', mappings }, [__filename]);
  assert.equal(stack, 'Error: in f\n    at failInCell9 (Cell 9:2:9)\n    at Cell 9:4:1');
});

const positions: Array<{ name: string; mappings: number[][][]; at: [number, number]; expected: unknown }> = [
  { name: 'a mapped column', mappings: CELL_3.mappings, at: [0, 21], expected: { line: 0, column: 6 } },
  { name: 'a column after the last segment', mappings: CELL_3.mappings, at: [0, 90], expected: { line: 0, column: 6 } },
  {
    name: 'a column before the first segment',
    mappings: CELL_3.mappings,
    at: [0, 3],
    expected: { line: 0, column: 0 },
  },
  { name: 'a line without segments', mappings: CELL_3.mappings, at: [2, 0], expected: null },
  { name: 'a line past the map', mappings: CELL_3.mappings, at: [7, 0], expected: null },
  {
    name: 'segments without a source are skipped',
    mappings: [[[0, 0, 1, 0], [8], [12, 0, 1, 9]]],
    at: [0, 10],
    expected: { line: 1, column: 0 },
  },
  {
    name: 'a line of segments without a source',
    mappings: [[[0], [8]]],
    at: [0, 10],
    expected: null,
  },
];

for (const c of positions) {
  test(`cellPosition: ${c.name}`, () => {
    assert.deepEqual(cellPosition(c.mappings, ...c.at), c.expected);
  });
}

const carets: Array<{ column: number; caretLine: string }> = [
  { column: 4, caretLine: '       ^' },
  { column: 1, caretLine: '    ^' },
  { column: 0, caretLine: '    ^' },
];

for (const { column, caretLine } of carets) {
  test(`syntaxError names the cell, the line and column ${column}, and points at it`, () => {
    const error = new CellSyntaxError('Unexpected token', 2, column, 'x +* 2');
    assert.deepEqual(syntaxError(error, 'Cell 5'), {
      name: 'SyntaxError',
      message: `Unexpected token (Cell 5, line 2, column ${column})`,
      stack: ['SyntaxError: Unexpected token', `    at Cell 5:2:${column}`, '', '    x +* 2', caretLine].join('\n'),
    });
  });
}

/**
 * The REPL rewrite (extension/kernel/rewrite.ts) on its own: each case of its header written out
 * as the script it must become, and what must be left alone — nested scopes, strings, comments.
 * Running rewritten cells is rewrite-run.test.ts; the worker's use of them is cells.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewriteCell } from '../../../extension/kernel/rewrite';
import { CellSyntaxError } from '../../../extension/kernel/transpile';

/** The function every cell becomes; `hoisted` is the `globalThis.f = f;` of each top-level function. */
const wrapped = (body: string, hoisted = '') => `(async () => { ${hoisted}${body}\n})()`;

interface RewriteCase {
  name: string;
  cell: string;
  /** The whole expected script (see `wrapped`). */
  script: string;
  /** The top-level names, in the order they appear in the cell. */
  declared: string[];
}

const declarations: RewriteCase[] = [
  {
    name: 'a destructuring const becomes an assignment to globals',
    cell: 'const {a, b} = f();',
    script: wrapped(';({a, b} = f());'),
    declared: ['a', 'b'],
  },
  {
    name: 'a let without a value is set to undefined, so re-running the cell resets it',
    cell: 'let x;',
    script: wrapped(';(x = undefined);'),
    declared: ['x'],
  },
  {
    name: 'a var without a value keeps the value it had',
    cell: 'var v;',
    script: wrapped(';(v = v);'),
    declared: ['v'],
  },
  {
    name: 'several declarators become one comma expression',
    cell: 'let p = 1, q;',
    script: wrapped(';(p = 1), (q = undefined);'),
    declared: ['p', 'q'],
  },
  {
    name: 'nested patterns declare every name they bind: renamed, rest, defaults, holes',
    cell: 'const { a, b: [c, ...d], e = 1, ...rest } = o, [, second] = xs;',
    script: wrapped(';({ a, b: [c, ...d], e = 1, ...rest } = o), ([, second] = xs);'),
    declared: ['a', 'c', 'd', 'e', 'rest', 'second'],
  },
  {
    name: 'top-level await stays inside the assignment',
    cell: 'const r = await load();',
    script: wrapped(';(r = await load());'),
    declared: ['r'],
  },
  {
    name: 'a function is kept where it is, hoisted, and published as a global first',
    cell: 'const y = g();\nfunction g() { return 1 }',
    script: wrapped(';(y = g());\nfunction g() { return 1 }', 'globalThis.g = g;'),
    declared: ['y', 'g'],
  },
  {
    name: 'async generator functions are published the same way',
    cell: 'async function* ticks() {}',
    script: wrapped('async function* ticks() {}', 'globalThis.ticks = ticks;'),
    declared: ['ticks'],
  },
  {
    name: 'a class becomes the assignment of a class expression of the same name',
    cell: 'class D extends C { m() { return 1 } }',
    script: wrapped(';D = class D extends C { m() { return 1 } };'),
    declared: ['D'],
  },
  {
    name: '`export` is dropped from a declaration',
    cell: 'export const k = 1;\nexport function h() {}\nexport class E {}',
    script: wrapped(';(k = 1);\nfunction h() {}\n;E = class E {};', 'globalThis.h = h;'),
    declared: ['k', 'h', 'E'],
  },
];

const imports: RewriteCase[] = [
  {
    name: 'named imports assign from the kernel’s import',
    cell: "import { LSTM } from 'lstm-notebook';",
    script: wrapped(';({ LSTM } = await __lstmKernel.import("lstm-notebook"));'),
    declared: ['LSTM'],
  },
  {
    name: 'renamed and string-named imports keep the exported name as the key',
    cell: "import { a as b, c, 'kebab-name' as k } from 'm';",
    script: wrapped(';({ a: b, c, "kebab-name": k } = await __lstmKernel.import("m"));'),
    declared: ['b', 'c', 'k'],
  },
  {
    name: 'a default import is the module’s `default`',
    cell: "import d, { e } from 'm'",
    script: wrapped(';({ default: d, e } = await __lstmKernel.import("m"));'),
    declared: ['d', 'e'],
  },
  {
    name: 'a namespace import is the whole module, assigned before the default',
    cell: "import d, * as ns from 'm';",
    script: wrapped(';(ns = await __lstmKernel.import("m")); ;({ default: d } = await __lstmKernel.import("m"));'),
    declared: ['d', 'ns'],
  },
  {
    name: 'an import for its side effects only loads the module',
    cell: "import './setup.js';",
    script: wrapped(';await __lstmKernel.import("./setup.js");'),
    declared: [],
  },
  {
    name: 'an import over several lines keeps its line breaks, so the next line stays where it was',
    cell: "import {\n  a,\n  b,\n} from 'm';\na + b",
    script: wrapped(';({ a, b } = await __lstmKernel.import("m"));\n\n\n\nreturn { value: (a + b) }'),
    declared: ['a', 'b'],
  },
  {
    name: 'a dynamic import() anywhere goes through the kernel, its argument untouched',
    cell: "const m = await import('m');\nasync function lazy() { return import(`./${name}.js`) }",
    script: wrapped(
      ";(m = await __lstmKernel.import('m'));\nasync function lazy() { return __lstmKernel.import(`./${name}.js`) }",
      'globalThis.lazy = lazy;',
    ),
    declared: ['m', 'lazy'],
  },
];

const loops: RewriteCase[] = [
  {
    name: 'a while block starts with the interrupt check',
    cell: 'while (i < 3) { i++ }',
    script: wrapped('while (i < 3) { __lstmKernel.check(); i++ }'),
    declared: [],
  },
  {
    name: 'a loop body without braces gets a block around the check and the body',
    cell: 'while (i < 3) i++;',
    script: wrapped('while (i < 3) { __lstmKernel.check(); i++; }'),
    declared: [],
  },
  {
    name: 'for, for-in, for-of and do-while loops are checked too; their own bindings are not globals',
    cell: 'for (let i = 0; i < n; i++) {}\nfor (const k in o) keys.push(k);\nfor (const x of xs) {}\ndo i--; while (i > 0);',
    script: wrapped(
      [
        'for (let i = 0; i < n; i++) { __lstmKernel.check();}',
        'for (const k in o) { __lstmKernel.check(); keys.push(k); }',
        'for (const x of xs) { __lstmKernel.check();}',
        'do { __lstmKernel.check(); i--; } while (i > 0);',
      ].join('\n'),
    ),
    declared: [],
  },
  {
    name: 'nested loops and loops inside functions are each checked',
    cell: 'for (const r of rows) for (const x of r) sum += x;\nfunction spin() { for (;;) {} }',
    script: wrapped(
      'for (const r of rows) { __lstmKernel.check(); for (const x of r) { __lstmKernel.check(); sum += x; } }\n' +
        'function spin() { for (;;) { __lstmKernel.check();} }',
      'globalThis.spin = spin;',
    ),
    declared: ['spin'],
  },
];

const lastValue: RewriteCase[] = [
  {
    name: 'the last expression is returned as the value',
    cell: 'x = 1; x * 2',
    script: wrapped('x = 1; return { value: (x * 2) }'),
    declared: [],
  },
  {
    name: 'a trailing `;` hides the value',
    cell: 'x * 2;',
    script: wrapped('x * 2;'),
    declared: [],
  },
  {
    name: 'a `;` before a trailing comment hides it as well',
    cell: 'x * 2; // hidden',
    script: wrapped('x * 2; // hidden'),
    declared: [],
  },
  {
    name: 'a trailing comment without `;` stays outside the returned value',
    cell: 'x // the answer',
    script: wrapped('return { value: (x) } // the answer'),
    declared: [],
  },
  {
    name: 'an object literal in parentheses is returned whole',
    cell: '({ a: 1 })',
    script: wrapped('return { value: (({ a: 1 })) }'),
    declared: [],
  },
  {
    name: 'an awaited last expression is returned after it settles',
    cell: 'await f()',
    script: wrapped('return { value: (await f()) }'),
    declared: [],
  },
  {
    name: 'an expression followed by a declaration is not the value',
    cell: 'x * 2\nconst y = 1;',
    script: wrapped('x * 2\n;(y = 1);'),
    declared: ['y'],
  },
];

const directives: RewriteCase[] = [
  {
    name: 'a lone string is a value, though the parser sees a directive',
    cell: "'hello'",
    script: wrapped("return { value: ('hello') }"),
    declared: [],
  },
  {
    name: "'use strict' is a directive, not a value",
    cell: "'use strict'",
    script: wrapped("'use strict'"),
    declared: [],
  },
  {
    name: "'use strict' stays the function's first statement when the cell declares functions, so it still applies",
    cell: "'use strict';\nfunction f() {}",
    script: "(async () => { 'use strict'; globalThis.f = f;\nfunction f() {}\n})()",
    declared: ['f'],
  },
  {
    name: "'use strict' without its `;` gets one before the functions are published",
    cell: "'use strict'\nfunction f() {}",
    script: "(async () => { 'use strict'; globalThis.f = f;\nfunction f() {}\n})()",
    declared: ['f'],
  },
];

const leftAlone: RewriteCase[] = [
  {
    name: 'declarations inside a function are the function’s own',
    cell: 'function f(x) { const inner = x; let other; class K {} return inner }',
    script: wrapped('function f(x) { const inner = x; let other; class K {} return inner }', 'globalThis.f = f;'),
    declared: ['f'],
  },
  {
    name: 'declarations inside a top-level block or if stay block-scoped',
    cell: '{ const scoped = 1; class K {} }\nif (ok) { let y = 2; function g() {} }',
    script: wrapped('{ const scoped = 1; class K {} }\nif (ok) { let y = 2; function g() {} }'),
    declared: [],
  },
  {
    name: 'an arrow function’s body and parameters are untouched, though it is assigned to a global',
    cell: 'const h = (x) => { const z = x; return z };',
    script: wrapped(';(h = (x) => { const z = x; return z });'),
    declared: ['h'],
  },
  {
    name: 'a parameter or local shadowing a top-level name is not rewritten',
    cell: 'const x = 1;\nfunction f(x) { const y = x; { const x = 2; return x + y } }',
    script: wrapped(';(x = 1);\nfunction f(x) { const y = x; { const x = 2; return x + y } }', 'globalThis.f = f;'),
    declared: ['x', 'f'],
  },
  {
    name: 'class fields and methods are the class’s own',
    cell: 'class Counter { count = 0; static make() { const c = new Counter(); return c } }',
    script: wrapped(';Counter = class Counter { count = 0; static make() { const c = new Counter(); return c } };'),
    declared: ['Counter'],
  },
  {
    name: 'keywords inside strings and templates are text',
    cell: 'const s = "const x = 1; import(\'m\'); while (true) {}";\nconst t = `let ${n} = class {}`;',
    script: wrapped(';(s = "const x = 1; import(\'m\'); while (true) {}");\n;(t = `let ${n} = class {}`);'),
    declared: ['s', 't'],
  },
  {
    name: 'declarations in comments are not declarations',
    cell: '// const hidden = 1\n/* class Hidden {} import("m") */\nconst shown = 2;',
    script: wrapped('// const hidden = 1\n/* class Hidden {} import("m") */\n;(shown = 2);'),
    declared: ['shown'],
  },
  {
    name: 'keywords as property names and a method called import are not statements',
    cell: "const o = { class: 1, import: 2, while: 3 };\nloader.import('m')",
    script: wrapped(";(o = { class: 1, import: 2, while: 3 });\nreturn { value: (loader.import('m')) }"),
    declared: ['o'],
  },
];

for (const [group, cases] of Object.entries({ declarations, imports, loops, lastValue, directives, leftAlone })) {
  for (const c of cases) {
    test(`rewrite, ${group}: ${c.name}`, () => {
      const rewritten = rewriteCell(c.cell);
      assert.equal(rewritten.script, c.script);
      assert.deepEqual(rewritten.declared, c.declared);
    });
  }
}

const refused: Array<{ name: string; cell: string; reason: string; line: number; column: number }> = [
  {
    name: 'a default export',
    cell: 'export default 1',
    reason: 'A notebook cell cannot export: declare the value instead, later cells see it',
    line: 1,
    column: 1,
  },
  {
    name: 'an export list, on its own line',
    cell: 'const a = 1;\n  export { a };',
    reason: 'A notebook cell cannot export: declare the value instead, later cells see it',
    line: 2,
    column: 3,
  },
  {
    name: 're-exporting a module',
    cell: "export * from 'm';",
    reason: 'A notebook cell cannot export: declare the value instead, later cells see it',
    line: 1,
    column: 1,
  },
  {
    name: 'invalid syntax (the parser’s own "(line:column)" left out of the reason)',
    cell: 'let x = 1;\nx +* 2',
    reason: 'Unexpected token',
    line: 2,
    column: 4,
  },
];

for (const c of refused) {
  test(`rewrite refuses ${c.name} with a located syntax error`, () => {
    assert.throws(
      () => rewriteCell(c.cell),
      (error: unknown) => {
        assert.ok(error instanceof CellSyntaxError, String(error));
        assert.deepEqual(
          { reason: error.reason, line: error.line, column: error.column, sourceLine: error.sourceLine },
          { reason: c.reason, line: c.line, column: c.column, sourceLine: c.cell.split('\n')[c.line - 1] },
        );
        return true;
      },
    );
  });
}

test('rewrite keeps every line of a multi-line cell on its line, and its source map says so', () => {
  const cell = [
    'import {',
    '  LSTM,',
    '  Tensor,',
    "} from 'lstm-notebook';",
    'const a = 1,',
    '  b = 2;',
    'class Model {',
    '  forward() {',
    '    return 1;',
    '  }',
    '}',
    'function helper() {',
    '  for (const x of [1]) x;',
    '}',
    'while (a > b)',
    '  b++;',
    'a + b',
  ].join('\n');
  const { script, mappings } = rewriteCell(cell);
  const cellLines = cell.split('\n').length;
  // One line more: the wrapper's closing `})()`.
  assert.equal(script.split('\n').length, cellLines + 1);
  const scriptLines = script.split('\n');
  for (let line = 0; line < cellLines; line++) {
    if (scriptLines[line].trim() === '') continue; // the blank lines a multi-line import leaves
    assert.ok(mappings[line].length > 0, `script line ${line} has no mapping`);
    for (const segment of mappings[line]) assert.equal(segment[2], line, `a segment of script line ${line}`);
  }
});

test('rewrite maps the cell’s first column past the wrapper’s prefix on line 1', () => {
  const { mappings } = rewriteCell('x');
  // `(async () => { ` is 15 characters and `return { value: (` 17: `x`, cell column 0, is script column 32.
  const x = mappings[0].find((segment) => segment[0] === 32);
  assert.deepEqual(x?.slice(2), [0, 0]);
});

/**
 * Rewritten cells run one after another in one context, as the worker runs them (cell-runner.ts:
 * each declared name becomes a global first): what the rewrite is for — declarations that
 * outlive their cell, the last value, imports, interruptible loops. Without a worker or the core.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext, runInContext, type Context } from 'node:vm';
import { KERNEL_GLOBAL } from '../../../protocol/kernel';
import { rewriteCell } from '../../../extension/kernel/rewrite';

/** One notebook's globals, with a kernel that serves `modules` and counts interrupt checks. */
class Notebook {
  checks = 0;
  private readonly context: Context;

  /** `interruptAfter` checks pass; the next one throws, as an interrupt does. */
  constructor(modules: Record<string, object> = {}, interruptAfter = Infinity) {
    this.context = createContext({
      [KERNEL_GLOBAL]: {
        check: () => {
          if (++this.checks > interruptAfter) throw new Error('Interrupted');
        },
        import: async (specifier: string) => modules[specifier],
      },
    });
  }

  /** The cell's value, undefined when it has none. */
  async run(cell: string): Promise<unknown> {
    const { script, declared } = rewriteCell(cell);
    for (const name of declared) if (!(name in this.context)) this.context[name] = undefined;
    const result = (await runInContext(script, this.context)) as { value: unknown } | undefined;
    return result?.value;
  }
}

const notebooks: Array<{ name: string; cells: string[]; values: unknown[] }> = [
  {
    name: 'const, let and var of one cell are read by the next',
    cells: ['const a = 1;\nlet b = 2;\nvar c = 3;', 'a + b + c'],
    values: [undefined, 6],
  },
  {
    name: 're-running a cell that declares a const replaces its value instead of failing',
    cells: ['const k = 1; k', 'const k = 2; k', 'k * 10'],
    values: [1, 2, 20],
  },
  {
    name: 'a let without a value is reset by re-running it; a var keeps its value',
    cells: ['let l = 5; var v = 6;', 'let l; var v;', '`${l} ${v}`'],
    values: [undefined, undefined, 'undefined 6'],
  },
  {
    name: 'a function is callable above its declaration and from later cells',
    cells: ['const early = twice(2);\nfunction twice(n) { return 2 * n }', 'twice(early)'],
    values: [undefined, 8],
  },
  {
    name: 'a class persists and can be declared again',
    cells: ['class P { v() { return 1 } }', 'class P { v() { return 2 } }\nnew P().v()'],
    values: [undefined, 2],
  },
  {
    name: 'destructuring declares each name it binds',
    cells: ['const { a, b: [c], ...rest } = { a: 1, b: [2], d: 4 };', 'a + c + rest.d'],
    values: [undefined, 7],
  },
  {
    name: 'a name shadowed inside a function keeps its global value',
    cells: ["const x = 'outer';\nfunction f() { const x = 'inner'; return x }", '`${f()} ${x}`'],
    values: [undefined, 'inner outer'],
  },
  {
    name: 'declarations in a block or a loop head do not leak into later cells',
    cells: ['{ const local = 1 }\nfor (const i of [1]) {}', '`${typeof local} ${typeof i}`'],
    values: [undefined, 'undefined undefined'],
  },
  {
    name: 'top-level await',
    cells: ['const v = await Promise.resolve(5);', 'v'],
    values: [undefined, 5],
  },
  {
    name: 'the last expression is the value; a trailing `;` hides it',
    cells: ['1 + 1', '1 + 1;'],
    values: [2, undefined],
  },
  {
    name: 'default, named, namespace and dynamic imports come from the kernel',
    cells: [
      "import d, { A as alias } from 'm';\nimport * as ns from 'm';",
      "const dyn = await import('m');",
      "[d, alias, ns.A, dyn.default].join(' ')",
    ],
    values: [undefined, undefined, 'd a a d'],
  },
];

for (const { name, cells, values } of notebooks) {
  test(`rewritten cells: ${name}`, async () => {
    const notebook = new Notebook({ m: { default: 'd', A: 'a' } });
    const seen: unknown[] = [];
    for (const cell of cells) seen.push(await notebook.run(cell));
    assert.deepEqual(seen, values);
  });
}

test("rewritten cells: a cell's 'use strict' holds when it declares a function", async () => {
  const notebook = new Notebook();
  await assert.rejects(notebook.run("'use strict';\nfunction f() {}\nundeclared = 1"), { name: 'ReferenceError' });
});

test('rewritten cells: every iteration of every kind of loop checks for an interrupt', async () => {
  const notebook = new Notebook();
  await notebook.run(
    [
      'let n = 0;',
      'while (n < 3) n++;', // 3
      'for (const x of [1, 2]) {}', // 2
      'do n--; while (n > 0);', // 3
      'for (let i = 0; i < 4; i++) for (const j of [1]) {}', // 4 + 4
      'function spin() { for (const k in { a: 1 }) {} }', // 1, when called
      'spin()',
    ].join('\n'),
  );
  assert.equal(notebook.checks, 3 + 2 + 3 + 8 + 1);
});

test('rewritten cells: an interrupted loop stops at its check and keeps what it assigned', async () => {
  const notebook = new Notebook({}, 5);
  await assert.rejects(notebook.run('let count = 0;\nwhile (true) count++;'), { message: 'Interrupted' });
  assert.equal(await notebook.run('count'), 5);
});

/**
 * The virtual modules the language service sees (extension/language/virtual-cells.ts): the
 * generated header and footer, which earlier cell a name comes from, positions both ways,
 * spans in generated text dropped, and the notebook changing under it (versions included).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declaredNames } from '../../../extension/language/declared-names';
import { toCellPosition, toCellRange, toOffset, VirtualNotebook } from '../../../extension/language/virtual-cells';
import type { NotebookCell } from '../../../protocol/language';

const ts = (id: string, text: string): NotebookCell => ({ id, languageId: 'typescript', text });

function built(cells: NotebookCell[]): VirtualNotebook {
  const notebook = new VirtualNotebook('/nb');
  notebook.update(cells);
  return notebook;
}

test('declared names: every destructuring form, functions, classes, enums, imports, types; nothing nested', () => {
  const names = declaredNames(
    [
      "import def, { a as b, c } from 'm'; import * as ns from 'n'; import eq = require('e');",
      'const { x, y: { z }, ...rest } = o; let [p, , [q = 1], ...others] = arr; var v = 1;',
      'function f() { const inner = 1; } class K {} enum E { A } interface I {} type T = 1;',
      'export const shown = 1; { const block = 2; } for (let i = 0; i < 1; i++) {}',
    ].join('\n'),
  );
  assert.deepEqual(
    names.map(({ name, kind }) => `${kind} ${name}`),
    [
      'import def',
      'import b',
      'import c',
      'import ns',
      'import eq',
      'const x',
      'const z',
      'const rest',
      'let p',
      'let q',
      'let others',
      'var v',
      'function f',
      'class K',
      'enum E',
      'type I',
      'type T',
      'const shown',
    ],
  );
  assert.equal(names.find((n) => n.name === 'shown')?.exported, true);
});

test('the header imports each earlier name from the last cell declaring it, on one line; the footer exports the cell’s names', () => {
  const notebook = built([
    ts('a', 'const model = 1;\nconst data = 2;'),
    ts('b', 'const model = "again";'),
    ts('c', 'model;\ndata;'),
  ]);
  const [a, b, c] = notebook.files();
  assert.equal(a.text, '\nconst model = 1;\nconst data = 2;\n;export { model, data };\n');
  assert.equal(b.text, 'import { data } from \'./cell-1\';\nconst model = "again";\n;export { model };\n');
  assert.equal(
    c.text,
    "import { data } from './cell-1'; import { model } from './cell-2';\nmodel;\ndata;\n;export {  };\n",
  );
  assert.deepEqual(
    [a, b, c].map((cell) => cell.fileName),
    ['/nb/cell-1.ts', '/nb/cell-2.ts', '/nb/cell-3.ts'],
  );
});

test('an earlier let or var is declared again with its type, not imported, so a later cell may reassign it', () => {
  const [, second] = built([
    ts('a', 'let steps = 1;\nvar rate = 0.1;\nconst fixed = 2;'),
    ts('b', 'steps = 2;'),
  ]).files();
  assert.equal(
    second.text.split('\n')[0],
    "import { fixed } from './cell-1'; declare let steps: (typeof import('./cell-1'))['steps']; declare let rate: (typeof import('./cell-1'))['rate'];",
  );
});

test('a cell re-declaring a name does not import it; `export const` is not exported twice', () => {
  const [, second] = built([ts('a', 'let x = 1;'), ts('b', 'export const x = 2; const y = x;')]).files();
  assert.equal(second.text, '\nexport const x = 2; const y = x;\n;export { y };\n');
});

test('cell positions are the virtual positions one line down, both ways', () => {
  const [, cell] = built([ts('a', 'const a = 1;'), ts('b', 'a;\nconst bb = a + 1;\r\nbb')]).files();
  const header = "import { a } from './cell-1';\n".length;
  assert.equal(cell.bodyStart, header);
  assert.equal(toOffset(cell, { line: 0, character: 0 }), header);
  assert.equal(toOffset(cell, { line: 1, character: 6 }), header + 'a;\nconst '.length);
  assert.equal(toOffset(cell, { line: 2, character: 1 }), header + 'a;\nconst bb = a + 1;\r\nb'.length);
  assert.equal(
    cell.text.slice(toOffset(cell, { line: 1, character: 6 }), toOffset(cell, { line: 1, character: 8 })),
    'bb',
  );
  assert.deepEqual(toCellPosition(cell, header + 'a;\nconst bb = a + 1;\r\nb'.length), { line: 2, character: 1 });
  // A character past the end of its line stays on that line.
  assert.equal(toOffset(cell, { line: 0, character: 99 }), header + 'a;'.length);
});

test('spans in the generated header or footer are dropped; a span running into the footer is cut at the cell’s end', () => {
  const [, cell] = built([ts('a', 'const a = 1;'), ts('b', 'a + 1')]).files();
  assert.equal(toCellRange(cell, 0, 5), undefined, 'header');
  assert.equal(toCellRange(cell, cell.bodyStart + 'a + 1'.length + 2, 3), undefined, 'footer');
  assert.deepEqual(toCellRange(cell, cell.bodyStart + 4, 10), {
    start: { line: 0, character: 4 },
    end: { line: 0, character: 5 },
  });
});

test('cells added, moved, deleted and changing language: rebuilt from the list, names kept by cell id', () => {
  const notebook = new VirtualNotebook('/nb');
  notebook.update([ts('a', 'const x = 1;'), ts('b', 'x;')]);
  // Added above: the new cell gets the next number; b now imports x from it.
  notebook.update([ts('a', 'const x = 1;'), ts('n', 'const x = "s";'), ts('b', 'x;')]);
  assert.deepEqual(
    notebook.files().map((c) => c.fileName),
    ['/nb/cell-1.ts', '/nb/cell-3.ts', '/nb/cell-2.ts'],
  );
  assert.match(notebook.cell('b')!.text, /^import \{ x \} from '\.\/cell-3';\n/);
  // Moved: b above both declarations imports nothing.
  notebook.update([ts('b', 'x;'), ts('a', 'const x = 1;'), ts('n', 'const x = "s";')]);
  assert.match(notebook.cell('b')!.text, /^\n/);
  // Deleted: gone from the files and the lookups.
  notebook.update([ts('a', 'const x = 1;'), ts('b', 'x;')]);
  assert.equal(notebook.cell('n'), undefined);
  assert.equal(notebook.file('/nb/cell-3.ts'), undefined);
  assert.match(notebook.cell('b')!.text, /from '\.\/cell-1'/);
  // Language: markdown or Python is skipped; JavaScript becomes a .js module.
  notebook.update([{ ...ts('a', 'const x = 1;'), languageId: 'python' }, ts('b', 'x;')]);
  assert.deepEqual(
    notebook.files().map((c) => c.cellId),
    ['b'],
  );
  assert.match(notebook.cell('b')!.text, /^\n/);
  notebook.update([{ ...ts('a', 'const x = 1;'), languageId: 'javascript' }, ts('b', 'x;')]);
  assert.equal(notebook.cell('a')!.fileName, '/nb/cell-1.js');
  assert.match(notebook.cell('b')!.text, /from '\.\/cell-1'/);
});

test('versions: a file’s changes only with its text; the project’s with any change', () => {
  const notebook = new VirtualNotebook('/nb');
  notebook.update([ts('a', 'const x = 1;'), ts('b', 'x;')]);
  const project = notebook.version();
  const [a, b] = ['/nb/cell-1.ts', '/nb/cell-2.ts'].map((f) => notebook.fileVersion(f)!);

  notebook.update([ts('a', 'const x = 1;'), ts('b', 'x;')]);
  assert.equal(notebook.version(), project, 'same cells: nothing changes');
  assert.equal(notebook.fileVersion('/nb/cell-1.ts'), a);

  notebook.update([ts('a', 'const x = 1;'), ts('b', 'x + 1;')]);
  assert.notEqual(notebook.version(), project);
  assert.equal(notebook.fileVersion('/nb/cell-1.ts'), a, 'cell 1 untouched');
  assert.notEqual(notebook.fileVersion('/nb/cell-2.ts'), b);

  // Cell 1 declaring a new name changes cell 2's header, hence its version.
  const before = notebook.fileVersion('/nb/cell-2.ts');
  notebook.update([ts('a', 'const x = 1, y = 2;'), ts('b', 'x + 1;')]);
  assert.notEqual(notebook.fileVersion('/nb/cell-2.ts'), before);

  // Deleted then restored with other text: a version never seen for that file.
  const seen = notebook.fileVersion('/nb/cell-2.ts');
  notebook.update([ts('a', 'const x = 1, y = 2;')]);
  assert.equal(notebook.fileVersion('/nb/cell-2.ts'), undefined);
  notebook.update([ts('a', 'const x = 1, y = 2;'), ts('b', 'y;')]);
  assert.notEqual(notebook.fileVersion('/nb/cell-2.ts'), seen);
});

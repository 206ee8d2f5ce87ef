/**
 * The cells' language service (extension/language/service.ts) in plain Node: completions,
 * hover, signature help, definitions and diagnostics across cells, in cell positions. One
 * service is shared where the cells allow it (its first answer takes about a second).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ts from 'typescript';
import * as core from '../../../core/index';
import { NotebookLanguageService } from '../../../extension/language/service';
import type { CellPosition, NotebookCell } from '../../../protocol/language';

const folder = mkdtempSync(join(tmpdir(), 'lstm-language-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const service = new NotebookLanguageService({ notebookDir: folder });
after(() => service.dispose());

const cell = (id: string, text: string): NotebookCell => ({ id, languageId: 'typescript', text });
const MODEL_CELL = cell(
  'setup',
  "import { LSTM, train } from 'lstm-notebook';\nconst model = new LSTM({ inputSize: 2, hiddenSize: 16 });",
);

/** The position just after the first occurrence of `marker` in `text` (of `marker`'s start with `atStart`). */
function at(text: string, marker: string, atStart = false): CellPosition {
  const index = text.indexOf(marker);
  assert.ok(index >= 0, `${marker} in ${text}`);
  const before = text.slice(0, atStart ? index : index + marker.length).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function errorsOf(cellId: string) {
  return (service.diagnostics().get(cellId) ?? []).map((d) => ({ code: d.code, range: d.range }));
}

test('completions at `model.` in a later cell: the LSTM members, each once', () => {
  const use = 'model.';
  service.update([MODEL_CELL, cell('use', use)]);
  const names = service.completions('use', at(use, 'model.')).map((item) => item.name);
  assert.ok(names.includes('forward'), names.join(' '));
  assert.ok(names.includes('stateDict'));
  assert.equal(new Set(names).size, names.length, 'no duplicates');
  assert.ok(!names.includes('await'), 'members, not keywords');
});

test('hover: the type of an import and of a later cell’s name; the JSDoc of train', () => {
  const use = 'model;\ntrain;';
  service.update([MODEL_CELL, cell('use', use)]);
  const lstm = service.hover('setup', at(MODEL_CELL.text, 'LSTM', true));
  assert.match(lstm?.signature ?? '', /class LSTM/);
  assert.deepEqual(lstm?.range, { start: { line: 0, character: 9 }, end: { line: 0, character: 13 } });
  assert.match(service.hover('use', at(use, 'model', true))?.signature ?? '', /const model: LSTM/);
  const trainHover = service.hover('use', at(use, 'train', true));
  assert.match(trainHover?.signature ?? '', /function train\(modules: Trainable/);
  assert.match(trainHover?.documentation ?? '', /loss curve/);
});

test('signature help inside train(', () => {
  const use = 'await train(model, ';
  service.update([MODEL_CELL, cell('use', use)]);
  const help = service.signatureHelp('use', at(use, 'train(model, '));
  assert.ok(help);
  assert.match(
    help.signatures[0].label,
    /^train\(modules: Trainable, data: SequenceDataset, options\?: NotebookTrainOptions\)/,
  );
  assert.equal(help.activeParameter, 1);
});

test("sweep( is the notebook's: its options take plot, and a typo in them is a type error", () => {
  const use = [
    "import { sweep, tasks } from 'lstm-notebook';",
    'const [a, b] = tasks.adding({ length: 5, count: 10 }).split(0.5);',
    'await sweep({ variants: { m: () => model }, seeds: 2, task: { train: a, test: b }, steps: 3, plot: false });',
    'await sweep({ variants: { m: () => model }, seeds: 2, task: { train: a, test: b }, stpes: 3 });',
  ].join('\n');
  service.update([MODEL_CELL, cell('use', use)]);
  const help = service.signatureHelp('use', at(use, 'await sweep('));
  assert.match(help?.signatures[0].label ?? '', /^sweep\(options: NotebookSweepOptions\): Promise<SweepResults>/);
  // Only the misspelt key is an error (2561: not a known property — did you mean 'steps'?).
  const errors = errorsOf('use');
  assert.deepEqual(
    errors.map((e) => [e.code, e.range.start.line]),
    [[2561, 3]],
  );
});

test('a cross-cell type error is a diagnostic on the later cell at its range, gone once fixed', () => {
  const wrong = "const out = model.forward('text');\nconst other = new LSTM({ inputSize: 2, hiddenSzie: 3 });";
  service.update([MODEL_CELL, cell('use', wrong)]);
  const argument = at(wrong, "'text'", true);
  const key = at(wrong, 'hiddenSzie', true);
  assert.deepEqual(errorsOf('setup'), []);
  assert.deepEqual(errorsOf('use'), [
    { code: 2345, range: { start: argument, end: { ...argument, character: argument.character + 6 } } },
    { code: 2561, range: { start: key, end: { ...key, character: key.character + 'hiddenSzie'.length } } },
  ]);
  service.update([
    MODEL_CELL,
    cell('use', 'const out = model.forward([[[1, 2]]]);\nconst other = new LSTM({ inputSize: 2, hiddenSize: 3 });'),
  ]);
  assert.deepEqual(errorsOf('use'), []);
});

test("train's plot option type-checks as the kernel takes it: true, or { gates: probe, every, … }; a misspelt key is an error", () => {
  const data =
    "import { tasks } from 'lstm-notebook';\nconst data = tasks.adding({ length: 5, count: 8 });\nconst probe = data.batch(0, 2).inputs;\n";
  const good = `${data}await train(model, data, { plot: true });\nawait train(model, data, { plot: { gates: probe, every: 100, layer: 0, sample: 1, loss: false } });`;
  service.update([MODEL_CELL, cell('use', good)]);
  assert.deepEqual(errorsOf('use'), []);
  const wrong = `${data}await train(model, data, { plot: { gates: probe, evry: 100 } });\nawait train(model, data, { plot: { every: 100 } });`;
  service.update([MODEL_CELL, cell('use', wrong)]);
  const key = at(wrong, 'evry', true);
  assert.deepEqual(
    errorsOf('use').map((d) => d.code),
    [2561, 2322], // a misspelt key; { every } is neither a boolean nor has gates
  );
  assert.deepEqual(errorsOf('use')[0].range.start, key);
  const hover = service.hover('use', at(wrong, 'plot', true));
  assert.match(hover?.signature ?? '', /plot\?: boolean \| NotebookPlotOptions/);
});

test('a re-declared name retypes it for the cells below, not above', () => {
  const mid = 'const model = "a string now";';
  const below = 'model.toUpperCase();';
  const above = 'model.toUpperCase();';
  service.update([MODEL_CELL, cell('above', above), cell('mid', mid), cell('below', below)]);
  assert.deepEqual(errorsOf('below'), []);
  assert.deepEqual(
    errorsOf('above').map((d) => d.code),
    [2339],
    'above the re-declaration, model is still the LSTM',
  );
  assert.match(
    service.hover('below', { line: 0, character: 1 })?.signature ?? '',
    /const model: "a string now"|string/,
  );
});

test('reassigning an earlier `let` type-checks as at run time; an earlier `const` is flagged with what it is', () => {
  const setup = 'let steps = 10;\nconst rate = 0.1;';
  const use = "steps = 20;\nsteps = 'many';\nrate = 0.2;";
  service.update([cell('setup', setup), cell('use', use)]);
  const diagnostics = service.diagnostics().get('use') ?? [];
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range.start.line]),
    [
      [2322, 1],
      [2632, 2],
    ],
  );
  assert.match(diagnostics[1].message, /earlier cell declares it with const/);
  // The reassigned let still goes to its declaration in the earlier cell.
  assert.deepEqual(service.definition('use', { line: 0, character: 1 }), [
    { cellId: 'setup', range: { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } } },
  ]);
});

test('top-level await, imports in any cell, Node built-ins and the globals the kernel gives cells type-check', () => {
  const second =
    "import fs from 'node:fs';\nimport { join } from 'node:path';\n" +
    'const text: string = fs.readFileSync(join(__dirname, "x"), "utf8");\n' +
    'await new Promise((resolve) => setTimeout(resolve, 1));\n' +
    'console.log(text.length, process.version, require("node:os").EOL);\ndisplay(model);\nclearOutput({ wait: true });';
  service.update([MODEL_CELL, cell('io', second), cell('after', 'fs.existsSync(join("a", "b"));')]);
  assert.deepEqual(errorsOf('io'), []);
  assert.deepEqual(errorsOf('after'), []);
  const names = service.completions('after', { line: 0, character: 3 }).map((item) => item.name);
  assert.ok(names.includes('readFileSync'), 'fs completes in a later cell');
  // The global clearOutput has the module's type: a wrong option is an error (TS2322), not any.
  service.update([cell('clear', "clearOutput({ wait: 'yes' });")]);
  assert.deepEqual(
    errorsOf('clear').map((d) => d.code),
    [2322],
  );
});

test('a package in the notebook folder’s node_modules completes and type-checks', () => {
  const pkg = join(folder, 'node_modules', 'tiny-pkg');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'tiny-pkg', version: '1.0.0', types: 'index.d.ts' }));
  writeFileSync(
    join(pkg, 'index.d.ts'),
    'export declare function smooth(values: number[], window: number): number[];\n',
  );
  writeFileSync(join(pkg, 'index.js'), 'exports.smooth = (v) => v;\n');
  const text = "import * as tiny from 'tiny-pkg';\ntiny.";
  service.update([cell('pkg', text)]);
  assert.ok(service.completions('pkg', at(text, 'tiny.')).some((item) => item.name === 'smooth'));
  service.update([cell('pkg', "import { smooth } from 'tiny-pkg';\nsmooth([1], 'wide');")]);
  assert.deepEqual(
    errorsOf('pkg').map((d) => d.code),
    [2345],
  );
});

test('definition: into the earlier cell that declares the name, and into the core’s declarations', () => {
  const use = 'model;';
  service.update([MODEL_CELL, cell('use', use)]);
  const declared = at(MODEL_CELL.text, 'model', true);
  assert.deepEqual(service.definition('use', { line: 0, character: 2 }), [
    { cellId: 'setup', range: { start: declared, end: { ...declared, character: declared.character + 5 } } },
  ]);
  const intoCore = service.definition('setup', at(MODEL_CELL.text, 'new LSTM'));
  assert.ok(
    intoCore.some((d) => 'fileName' in d && d.fileName.endsWith('/lstm-notebook/core/lstm.d.ts')),
    JSON.stringify(intoCore),
  );
});

test('the generated lstm-notebook declares every export of core/index.ts, and display, clearOutput, plot, train', () => {
  // The value exports as the runtime module has them; the type-only ones read from core/index.ts.
  const values = Object.keys(core);
  const source = ts.createSourceFile(
    'index.ts',
    ts.sys.readFile(join(__dirname, '..', '..', '..', '..', 'core', 'index.ts'))!,
    ts.ScriptTarget.ES2022,
  );
  const typeOnly = source.statements
    .filter((s): s is ts.ExportDeclaration => ts.isExportDeclaration(s) && s.isTypeOnly)
    .flatMap((s) => (s.exportClause && ts.isNamedExports(s.exportClause) ? s.exportClause.elements : []))
    .map((element) => element.name.text);
  assert.ok(values.includes('LSTM') && typeOnly.includes('LstmOptions'), 'the lists are read, not empty');
  const names = [...new Set([...values, ...typeOnly, 'display', 'clearOutput', 'plot', 'train'])];
  const text = `import { ${names.join(', ')} } from 'lstm-notebook';\nimport lstm from 'lstm-notebook';\nlstm.plot.loss;`;
  service.update([cell('all', text)]);
  assert.deepEqual(service.diagnostics().get('all'), []);
  // And a name that is not there is an error (TS2614, "no exported member"): the check above can fail.
  service.update([cell('all', "import { notAnExport } from 'lstm-notebook';")]);
  assert.deepEqual(
    errorsOf('all').map((d) => d.code),
    [2614],
  );
});

test('cancelled while it works: TypeScript stops at its next check with OperationCanceledException', () => {
  let cancelled = false;
  const cancellable = new NotebookLanguageService({ notebookDir: folder, isCancelled: () => cancelled });
  after(() => cancellable.dispose());
  cancellable.update([MODEL_CELL, cell('use', 'const wrong: string = model.hiddenSize;')]);
  cancelled = true;
  assert.throws(() => cancellable.cellDiagnostics('use'), ts.OperationCanceledException);
  cancelled = false;
  assert.deepEqual(
    cancellable.cellDiagnostics('use').map((d) => d.code),
    [2322],
    'the same service answers the next request in full',
  );
});

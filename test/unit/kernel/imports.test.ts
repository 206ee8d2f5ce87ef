/**
 * Imports in cells: the embedded core, Node built-ins, CommonJS and ES-module packages from
 * the notebook folder's node_modules, relative files, dynamic import() and require.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

let dir: string;
let session: KernelSession;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lstm-notebook-imports-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('node_modules/cjs-pkg/package.json', JSON.stringify({ name: 'cjs-pkg', main: 'index.js' }));
  write('node_modules/cjs-pkg/index.js', 'module.exports = { triple: (x) => 3 * x, kind: "cjs" };');
  // ESM only: an "exports" map with only the "import" condition, which require cannot resolve.
  write(
    'node_modules/esm-pkg/package.json',
    JSON.stringify({ name: 'esm-pkg', type: 'module', exports: { '.': { import: './main.js' } } }),
  );
  write('node_modules/esm-pkg/main.js', 'export const square = (x) => x * x; export default "esm default";');
  write('helpers/local.js', 'exports.greet = (name) => `hello ${name}`;');
  write('helpers/local.mjs', 'export const answer = 42;');
  session = newSession({ notebookDir: dir });
  await session.whenReady();
});

after(async () => {
  await session.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test("'lstm-notebook' is the embedded core, with the notebook API beside it", async () => {
  const r = await run(
    session,
    [
      "import { seed, LSTM, Tensor, display, train } from 'lstm-notebook';",
      "import * as lstm from 'lstm-notebook';",
      'seed(1);',
      'const t = Tensor.zeros([2, 3]);',
      '[typeof LSTM, typeof display, typeof train, t.shape.join("x"), lstm.LSTM === LSTM]',
    ].join('\n'),
  );
  assert.equal(r.value, "[ 'function', 'function', 'function', '2x3', true ]", r.error?.stack);
});

test('Node built-ins import with default, named and namespace forms', async () => {
  const r = await run(
    session,
    [
      "import path from 'node:path';",
      "import { basename } from 'path';",
      "import * as os from 'os';",
      "[path.join('a', 'b'), basename('/x/y.ts'), typeof os.cpus]",
    ].join('\n'),
  );
  assert.equal(r.value, "[ 'a/b', 'y.ts', 'function' ]", r.error?.stack);
});

test('a CommonJS package from the notebook folder', async () => {
  const r = await run(session, "import cjs, { triple } from 'cjs-pkg';\n[cjs.kind, triple(4)]");
  assert.equal(r.value, "[ 'cjs', 12 ]", r.error?.stack);
});

test('an ES-module-only package from the notebook folder', async () => {
  const r = await run(session, "import label, { square } from 'esm-pkg';\n[label, square(5)]");
  assert.equal(r.value, "[ 'esm default', 25 ]", r.error?.stack);
});

test('relative imports resolve from the notebook folder, CommonJS and ESM', async () => {
  const r = await run(
    session,
    "import { greet } from './helpers/local.js';\nimport { answer } from './helpers/local.mjs';\n[greet('cell'), answer]",
  );
  assert.equal(r.value, "[ 'hello cell', 42 ]", r.error?.stack);
});

test('dynamic import() and require() work in cells', async () => {
  const r = await run(
    session,
    "const m = await import('esm-pkg');\nconst c = require('cjs-pkg');\n[m.square(3), c.triple(3)]",
  );
  assert.equal(r.value, '[ 9, 9 ]', r.error?.stack);
});

test('an unknown module names what was looked for and where', async () => {
  const r = await run(session, "import { x } from 'no-such-package';");
  assert.equal(r.ok, false);
  assert.match(
    r.error!.message,
    /Cannot find module 'no-such-package': expected a package 'no-such-package' in node_modules from .*lstm-notebook-imports-/,
  );
  const rel = await run(session, "import './missing.js';");
  assert.match(rel.error!.message, /expected the file .*missing\.js/);
});

test('__dirname in a cell is the notebook folder, for reading files beside it', async () => {
  const r = await run(
    session,
    "import { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\nreadFileSync(join(__dirname, 'helpers', 'local.mjs'), 'utf8').trim()",
  );
  assert.equal(r.value, "'export const answer = 42;'", r.error?.stack);
});

test('a cell hands a model over: exportOnnx and saveSafetensors give bytes to write, loadSafetensors reads them back', async () => {
  const r = await run(
    session,
    [
      "import { LSTM, Linear, Rng, exportOnnx, saveSafetensors, loadSafetensors } from 'lstm-notebook';",
      "import { readFileSync, writeFileSync } from 'node:fs';",
      "import { join } from 'node:path';",
      'const model = new LSTM({ inputSize: 2, hiddenSize: 3, rng: new Rng(1) });',
      "writeFileSync(join(__dirname, 'model.onnx'), exportOnnx([model, new Linear(3, 1)]));",
      "writeFileSync(join(__dirname, 'weights.safetensors'), saveSafetensors(model));",
      'const copy = new LSTM({ inputSize: 2, hiddenSize: 3, rng: new Rng(2) });',
      "copy.loadStateDict(loadSafetensors(readFileSync(join(__dirname, 'weights.safetensors'))));",
      'JSON.stringify(copy.stateDict()) === JSON.stringify(model.stateDict())',
    ].join('\n'),
  );
  assert.equal(r.value, 'true', r.error?.stack);
  // The ONNX file is a protobuf ModelProto: field 1 (ir_version) first, as a varint.
  assert.equal(readFileSync(join(dir, 'model.onnx'))[0], 0x08);
});

test('exportPyTorch writes the project beside the notebook, and refuses a folder that is not empty unless told', async () => {
  const cell = (overwrite: string) =>
    [
      "import { LSTM, Linear, Adam, Rng, tasks, exportPyTorch } from 'lstm-notebook';",
      'const data = tasks.adding({ length: 5, count: 8, seed: 1 });',
      'const model = new LSTM({ inputSize: 2, hiddenSize: 3, rng: new Rng(1) });',
      `exportPyTorch({ model: [model, new Linear(3, 1)], data, optimizer: new Adam(1e-2), dir: 'adding-torch'${overwrite} }).files.join(' ')`,
    ].join('\n');
  const first = await run(session, cell(''));
  assert.equal(
    first.value,
    "'model.py train.py safetensors_lite.py requirements.txt README.md weights.safetensors data/inputs.npy data/targets.npy'",
    first.error?.stack,
  );
  assert.match(
    readFileSync(join(dir, 'adding-torch', 'model.py'), 'utf8'),
    /self\.rnn = nn\.LSTM\(input_size=2, hidden_size=3/,
  );
  const again = await run(session, cell(''));
  assert.match(
    String(again.error?.message),
    /exportPyTorch: .*adding-torch is not empty \(7 entries\); pass overwrite: true to write into it/,
  );
  assert.equal((await run(session, cell(', overwrite: true'))).error, undefined);
});

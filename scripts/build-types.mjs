// Generates the declarations of the `lstm-notebook` module for the cells' language service:
//   extension/language/types.generated.ts  (LSTM_NOTEBOOK_TYPES: virtual path → .d.ts text)
// The declarations are emitted with the TypeScript compiler API from the sources themselves, so
// they do not depend on an earlier `tsc -b` nor on its out/ folder. Kept: the emitted files the
// entries reach through their imports (core/, plot/, protocol/, charts/ and the kernel's display
// handle), not the whole program. The entry module, `lstm-notebook/index.d.ts`, re-exports what a
// cell's `import … from 'lstm-notebook'` gets at run time (extension/kernel/cell-api.ts): the
// whole core, `plot`, `display`, `clearOutput`, `input`, and the kernel's `train` and `sweep` with their
// `plot` options (train's types, extension/kernel/train-options.ts, are the kernel's own).
// Skips the work when the generated file is newer than every source it reads.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = 'extension/language/types.generated.ts';
const ENTRIES = [
  'core/index.ts',
  'plot/index.ts',
  'interop/index.ts',
  'extension/kernel/display.ts',
  'extension/kernel/train-options.ts',
];
const SOURCE_DIRS = ['core', 'plot', 'interop', 'protocol', 'charts', 'extension/kernel'];

// Everything below this virtual folder is served to the language service as the package
// `lstm-notebook` (see extension/language/type-source.ts).
const ENTRY_MODULE = `/**
 * lstm-notebook: what a cell's \`import … from 'lstm-notebook'\` gets — the whole core, plus
 * display(), clearOutput(), plot.*, a train() that can draw its loss curve live and a sweep() that
 * shows its race.
 */
import type { History, SequenceDataset, SweepOptions, SweepResults, Trainable } from './core/index';
import type { DisplayHandle } from './extension/kernel/display';
import type { NotebookTrainOptions } from './extension/kernel/train-options';
import type { ExportPyTorchOptions } from './interop/index';
export * from './core/index';
export { exportOnnx } from './interop/index';
export type { ExportOnnxOptions, ExportPyTorchOptions, PyTorchProjectSpec } from './interop/index';
export { plot, Chart } from './plot/index';
export { selectUnits, Selection } from './plot/selection';
export type { SelectUnitsOptions } from './plot/selection';
export { findPattern, PatternMatches } from './plot/find-pattern';
export type { FindPatternOptions, PatternMatch, PatternQuery } from './plot/find-pattern';
/**
 * Writes a PyTorch project that trains the model as train() does — model.py, train.py (one
 * process, or DistributedDataParallel under torchrun), weights.safetensors, the data as .npy, a
 * README with the commands — into \`dir\`.
 * @example exportPyTorch({ model: [model, head], data, optimizer, dir: 'char-lm-torch' });
 */
export declare function exportPyTorch(options: ExportPyTorchOptions): { dir: string; files: string[] };

export type { NotebookPlotOptions, NotebookTrainOptions } from './extension/kernel/train-options';

/**
 * Trains \`modules\` on \`data\` (the core's train(), see its options); the kernel can stop it
 * between steps, and \`plot: true\` draws the loss curve live in the cell's output;
 * \`plot: { gates: probe, every: 100 }\` adds the gates and gate saturation of a probe batch.
 * @example const history = await train(model, dataset, { epochs: 10, plot: true });
 * @example await train([model, head], data, { plot: { gates: data.batch(0, 4).inputs, every: 100 } });
 */
export declare function train(
  modules: Trainable,
  data: SequenceDataset,
  options?: NotebookTrainOptions,
): Promise<History>;

/** sweep()'s options in a notebook: the core's, plus whether to show the table and box plot. */
export interface NotebookSweepOptions extends SweepOptions {
  /** Show the ranked table and the box plot of test losses, updated after each run. Default true. */
  plot?: boolean;
}

/**
 * Trains every variant with every seed for the same number of steps and ranks them by median
 * test loss (the core's sweep(), see its options); the cell shows the ranked table and a box plot
 * of the test losses as it runs, and the kernel can stop it between steps.
 * @example const race = await sweep({ variants: { lstm: (rng) => [new LSTM({ inputSize: 2, hiddenSize: 8, rng }), new Linear(8, 1, { rng })] }, seeds: 3, task: { train, test }, steps: 300 });
 */
export declare function sweep(options: NotebookSweepOptions): Promise<SweepResults>;

/**
 * Shows \`value\` in the cell's output (a chart, a tensor, a table, any value) and returns a
 * handle whose update(value) replaces it in place.
 */
export declare function display(value: unknown): DisplayHandle;

/**
 * Clears the running cell's outputs (Jupyter's clear_output). With \`wait: true\` they stay until
 * the cell's next output replaces them, so a loop that redraws does not flicker.
 * @example for (let epoch = 0; epoch < 10; epoch++) { await train([model, head], data, { epochs: 1 }); clearOutput({ wait: true }); display(plot.gates(model.traceOf(probe))); }
 */
export declare function clearOutput(options?: { wait?: boolean }): void;

/**
 * Asks the reader and resolves to what they typed, or null when they dismissed the question
 * (Jupyter's input(); VS Code shows an input box, a Jupyter client its input field). With
 * \`password: true\` the answer is not shown as it is typed. The headless runner cannot ask
 * anyone: there it fails, saying so. Everything the cell printed before shows first.
 * @example const token = await input('Hugging Face token?', { password: true });
 */
export declare function input(prompt?: string, options?: { password?: boolean }): Promise<string | null>;

declare const lstmNotebook: typeof import('./index');
/** The whole module, for \`import lstm from 'lstm-notebook'\`. */
export default lstmNotebook;
`;

function newestSourceTime() {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  return newest;
}

/** Emits the declarations of the entries' program: repo-relative `.d.ts` path → text. */
function emitDeclarations() {
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    declaration: true,
    emitDeclarationOnly: true,
    skipLibCheck: true,
    rootDir: ROOT,
    outDir: join(ROOT, '__declarations__'),
  };
  const program = ts.createProgram(
    ENTRIES.map((entry) => join(ROOT, entry)),
    options,
  );
  const emitted = new Map();
  const result = program.emit(undefined, (fileName, text) => {
    const path = relative(options.outDir, fileName).split('\\').join('/');
    emitted.set(path, text);
  });
  if (result.emitSkipped) {
    const messages = ts.formatDiagnostics(result.diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => '\n',
    });
    throw new Error(`build-types: declaration emit failed\n${messages}`);
  }
  return emitted;
}

/** Every module a declaration file names: imports, re-exports (`export * as x from`) and `import('…')` types. */
function moduleSpecifiers(text) {
  const names = [];
  const visit = (node) => {
    const specifier =
      ts.isImportDeclaration(node) || ts.isExportDeclaration(node)
        ? node.moduleSpecifier
        : ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)
          ? node.argument.literal
          : undefined;
    if (specifier && ts.isStringLiteral(specifier)) names.push(specifier.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('file.d.ts', text, ts.ScriptTarget.ES2022, false));
  return names;
}

/** The emitted files the entries reach through relative imports (and `import('…')` types). */
function reachable(emitted) {
  const keep = new Map();
  const queue = ENTRIES.map((entry) => entry.replace(/\.ts$/, '.d.ts'));
  while (queue.length > 0) {
    const path = queue.pop();
    if (keep.has(path)) continue;
    const text = emitted.get(path);
    if (text === undefined) throw new Error(`build-types: ${path} was not emitted`);
    keep.set(path, text);
    for (const fileName of moduleSpecifiers(text)) {
      if (!fileName.startsWith('.')) continue;
      const base = posix.normalize(posix.join(posix.dirname(path), fileName)).replace(/\.js$/, '');
      const candidates = [`${base}.d.ts`, `${base}/index.d.ts`];
      const found = candidates.find((candidate) => emitted.has(candidate));
      if (found) queue.push(found);
    }
  }
  return keep;
}

export function buildTypes() {
  const out = join(ROOT, TARGET);
  if (existsSync(out) && statSync(out).mtimeMs >= newestSourceTime()) return;
  const files = reachable(emitDeclarations());
  files.set('index.d.ts', ENTRY_MODULE);
  const sorted = Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(
    out,
    `// Generated by scripts/build-types.mjs from core/, plot/ and extension/kernel/ — do not edit.\n` +
      `/** The package \`lstm-notebook\`'s declarations: path inside the package → text. */\n` +
      `export const LSTM_NOTEBOOK_TYPES: Readonly<Record<string, string>> = ${JSON.stringify(sorted, null, 1)};\n`,
  );
  const chars = Object.values(sorted).reduce((sum, text) => sum + text.length, 0);
  console.log(`build-types: ${TARGET} (${files.size} files, ${chars} characters)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildTypes();

/**
 * The headless runner: `lstm-notebook run in.ipynb [--out out.ipynb] [--timeout s] [--check]
 *   [--engine wasm|js] [--threads 1|2]`.
 * Runs every code cell with the kernel engine and writes the outputs (to --out, else in
 * place). --check writes nothing and fails if the outputs differ from the notebook's own
 * (timing metadata aside) — how CI keeps the tutorials honest. Exits 1 on the first failing
 * cell, printing its error; 2 on bad usage, an invalid notebook, a notebook of another kernel
 * (Python, say) or an output folder that does not exist — checked before any cell runs, and
 * the notebook is never touched. The write goes to a temporary file beside the target, renamed
 * over it, so a failed write leaves the old file whole.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { foreignKernel, NotebookFormatError, parseNotebook, serializeNotebook } from './nbformat';
import { comparableOutputs, outputDifferences, runNotebook } from './run-notebook';
import { optionValue, usageFailure, UsageError } from './usage';

const USAGE =
  'usage: lstm-notebook run <notebook.ipynb> [--out <out.ipynb>] [--timeout <seconds per cell>] [--check] [--engine wasm|js] [--threads 1|2]';

interface Args {
  input: string;
  out?: string;
  timeout?: number;
  check: boolean;
  engine?: 'wasm' | 'js';
  threads?: number;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'run')
    throw new UsageError(
      command === undefined
        ? 'expected a command: "run", "export" or "kernel"'
        : `unknown command ${JSON.stringify(command)}: expected "run", "export" or "kernel"`,
    );
  const args: Partial<Args> = { check: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--out') args.out = optionValue(rest, ++i, '--out');
    else if (arg === '--timeout') {
      const seconds = Number(optionValue(rest, ++i, '--timeout'));
      if (!(seconds > 0))
        throw new UsageError(`--timeout expects a positive number of seconds, got ${JSON.stringify(rest[i])}`);
      args.timeout = seconds;
    } else if (arg === '--engine') {
      const engine = optionValue(rest, ++i, '--engine');
      if (engine !== 'wasm' && engine !== 'js')
        throw new UsageError(`--engine expects "wasm" or "js", got ${JSON.stringify(engine)}`);
      args.engine = engine;
    } else if (arg === '--threads') {
      const threads = optionValue(rest, ++i, '--threads');
      if (threads !== '1' && threads !== '2')
        throw new UsageError(`--threads expects 1 or 2, got ${JSON.stringify(threads)}`);
      args.threads = Number(threads);
    } else if (arg === '--check') args.check = true;
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (args.input)
      throw new UsageError(`expected one notebook, got ${JSON.stringify(args.input)} and ${JSON.stringify(arg)}`);
    else args.input = arg;
  }
  if (!args.input) throw new UsageError('expected a notebook file');
  return args as Args;
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    return usageFailure('lstm-notebook', USAGE, error);
  }
  const input = resolve(args.input);
  let notebook;
  try {
    notebook = parseNotebook(readFileSync(input, 'utf8'), args.input);
  } catch (error) {
    const reason =
      error instanceof NotebookFormatError ? error.message : `cannot read ${args.input}: ${(error as Error).message}`;
    console.error(`lstm-notebook: ${reason}`);
    return 2;
  }
  const foreign = foreignKernel(notebook);
  if (foreign) {
    console.error(
      `lstm-notebook: ${args.input} belongs to another kernel (${foreign}); expected the "lstm-notebook" kernelspec or none, and TypeScript. Nothing was run or written.`,
    );
    return 2;
  }
  const target = resolve(args.out ?? args.input);
  if (!args.check) {
    const folder = dirname(target);
    let isFolder: boolean;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch {
      isFolder = false;
    }
    if (!isFolder) {
      console.error(
        `lstm-notebook: cannot write ${args.out ?? args.input}: expected the folder ${folder} to exist, but it does not. Nothing was run.`,
      );
      return 2;
    }
  }
  const result = await runNotebook(notebook, {
    workerPath: join(__dirname, 'worker.js'),
    notebookDir: dirname(input),
    timeoutSeconds: args.timeout,
    engine: args.engine,
    threads: args.threads,
    onCell: ({ index, ok, seconds }) =>
      console.error(`  Cell ${index + 1}: ${ok ? 'ok' : 'FAILED'} (${seconds.toFixed(1)} s)`),
  });
  if (result.failure) {
    const { cell, error } = result.failure;
    console.error(
      `lstm-notebook: ${args.input}, Cell ${cell} failed:\n${error.stack || `${error.name}: ${error.message}`}`,
    );
  }
  if (args.check) {
    if (result.failure) return 1;
    if (comparableOutputs(result.notebook) !== comparableOutputs(notebook)) {
      console.error(
        `lstm-notebook: ${args.input}: the outputs differ from the committed ones; re-run without --check to update them\n${outputDifferences(result.notebook, notebook).join('\n')}`,
      );
      return 1;
    }
    console.error(`lstm-notebook: ${args.input}: outputs match`);
    return 0;
  }
  const written = writeAtomically(target, serializeNotebook(result.notebook));
  if (written !== null) {
    console.error(`lstm-notebook: cannot write ${args.out ?? args.input}: ${written}`);
    return 1;
  }
  return result.failure ? 1 : 0;
}

/** Writes `text` to a temporary file beside `file`, then renames it over `file`; returns why it failed, or null. */
function writeAtomically(file: string, text: string): string | null {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
    return null;
  } catch (error) {
    rmSync(temporary, { force: true });
    return (error as Error).message;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

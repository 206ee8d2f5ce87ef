/**
 * Executes every code cell of a notebook with the same engine as VS Code, in order, in one
 * fresh kernel, and fills in outputs and execution counts. Stops at the first failing cell.
 */
import type { NotebookJson } from './nbformat';
import { cloneNotebook, errorOutput, OutputCollector, sourceOf, withJupyterMetadata } from './nbformat';
import { KernelSession } from './session';
import type { CellError } from '../../protocol/kernel';

export interface RunOptions {
  workerPath: string;
  notebookDir: string;
  /** Per cell, in seconds: a cell running longer is interrupted and the run fails. */
  timeoutSeconds?: number;
  /** The core's engine and the WebAssembly engine's threads (defaults: 'wasm', 2). */
  engine?: 'wasm' | 'js';
  threads?: number;
  onCell?: (info: { index: number; count: number; ok: boolean; seconds: number }) => void;
}

export interface RunResult {
  notebook: NotebookJson;
  /** The first failing cell (1-based index among all cells) and its error. */
  failure?: { cell: number; error: CellError };
}

export async function runNotebook(input: NotebookJson, options: RunOptions): Promise<RunResult> {
  const notebook = withJupyterMetadata(cloneNotebook(input));
  const session = new KernelSession({
    workerPath: options.workerPath,
    notebookDir: options.notebookDir,
    interruptGraceMs: 2000,
    engine: options.engine,
    threads: options.threads,
  });
  const codeCells = notebook.cells.filter((c) => c.cell_type === 'code');
  try {
    await session.whenReady();
    let count = 0;
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== 'code') continue;
      count++;
      const collector = new OutputCollector(count);
      const started = new Date();
      let timedOut = false;
      const timer = options.timeoutSeconds
        ? setTimeout(() => {
            timedOut = true;
            session.interrupt();
          }, options.timeoutSeconds * 1000)
        : null;
      const result = await session.execute(sourceOf(cell), `Cell ${index + 1}`, (o) => collector.add(o));
      if (timer) clearTimeout(timer);
      cell.outputs = collector.outputs;
      cell.execution_count = count;
      cell.metadata = {
        ...cell.metadata,
        execution: { 'iopub.execute_input': started.toISOString(), 'shell.execute_reply': new Date().toISOString() },
      };
      options.onCell?.({
        index,
        count: codeCells.length,
        ok: result.ok,
        seconds: (Date.now() - started.getTime()) / 1000,
      });
      if (!result.ok) {
        let error = result.error ?? { name: 'Error', message: 'the cell failed', stack: 'Error: the cell failed' };
        if (timedOut) {
          error = {
            name: 'Timeout',
            message: `Cell ${index + 1} ran longer than the ${options.timeoutSeconds} s timeout and was interrupted.`,
            stack: '',
          };
          cell.outputs.push(errorOutput(error));
        }
        return { notebook, failure: { cell: index + 1, error } };
      }
    }
    return { notebook };
  } finally {
    await session.dispose();
  }
}

/** Outputs without what changes from run to run (timing metadata), for comparing two runs. */
export function comparableOutputs(notebook: NotebookJson): string {
  return JSON.stringify(
    notebook.cells.map((c) =>
      c.cell_type === 'code'
        ? { source: sourceOf(c), outputs: c.outputs ?? [], count: c.execution_count ?? null }
        : null,
    ),
  );
}

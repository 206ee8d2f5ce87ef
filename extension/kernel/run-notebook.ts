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
  return JSON.stringify(notebook.cells.map(comparableCell));
}

type Cell = NotebookJson['cells'][number];

function comparableCell(c: Cell): unknown {
  return c.cell_type === 'code'
    ? { source: sourceOf(c), outputs: c.outputs ?? [], count: c.execution_count ?? null }
    : null;
}

/**
 * Where a run's outputs differ from the committed ones, cell by cell (1-based, as the runner
 * counts them), each with what differs first: the source, the run count, the number of
 * outputs, or an output's first differing line — so --check says what moved, not only that
 * something did.
 */
export function outputDifferences(run: NotebookJson, committed: NotebookJson): string[] {
  const out: string[] = [];
  const n = Math.max(run.cells.length, committed.cells.length);
  for (let i = 0; i < n; i++) {
    const a = run.cells[i];
    const b = committed.cells[i];
    if (!a || !b) {
      out.push(`Cell ${i + 1}: ${a ? 'not in the committed notebook' : 'missing from the run'}`);
      continue;
    }
    if (JSON.stringify(comparableCell(a)) === JSON.stringify(comparableCell(b))) continue;
    out.push(`Cell ${i + 1}: ${firstDifference(a, b)}`);
  }
  return out;
}

function firstDifference(run: Cell, committed: Cell): string {
  if (sourceOf(run) !== sourceOf(committed)) return 'the source differs';
  if ((run.execution_count ?? null) !== (committed.execution_count ?? null))
    return `run count ${run.execution_count ?? null}, committed ${committed.execution_count ?? null}`;
  const [ra, ca] = [run.outputs ?? [], committed.outputs ?? []];
  if (ra.length !== ca.length) return `${ra.length} outputs, committed ${ca.length}`;
  for (let k = 0; k < ra.length; k++) {
    const [got, want] = [linesOf(ra[k]), linesOf(ca[k])];
    for (let l = 0; l < Math.max(got.length, want.length); l++)
      if (got[l] !== want[l])
        return `output ${k + 1}, line ${l + 1}: ${clip(got[l] ?? '(none)')} — committed: ${clip(want[l] ?? '(none)')}`;
  }
  return 'the outputs differ';
}

/** An output as lines of text, MIME type by MIME type (a chart's JSON on one line each). */
function linesOf(output: unknown): string[] {
  const o = output as { output_type?: string; text?: unknown; data?: Record<string, unknown>; ename?: string };
  if (o.output_type === 'stream') return joined(o.text).split('\n');
  if (o.data)
    return Object.entries(o.data).flatMap(([mime, v]) =>
      typeof v === 'string' || Array.isArray(v)
        ? joined(v)
            .split('\n')
            .map((line) => `${mime}: ${line}`)
        : [`${mime}: ${JSON.stringify(v)}`],
    );
  return [JSON.stringify(output)];
}

function joined(v: unknown): string {
  return Array.isArray(v) ? v.join('') : String(v ?? '');
}

function clip(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 117)}…` : s);
}

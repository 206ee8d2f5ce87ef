/**
 * Runs cells inside the worker: transpile, rewrite, run in this realm (one worker per notebook,
 * so the notebook's globals are the worker's; a second realm would break `instanceof
 * Float32Array` between cells and the core), then report the value, the error, and `done`.
 */
import { runInThisContext } from 'node:vm';
import { INTERRUPTED, type CellError, type MimeBundle, type WorkerMessage } from '../../protocol/kernel';
import type { Outbox } from './outbox';
import type { Displays } from './display';
import { rewriteCell } from './rewrite';
import { cellError, syntaxError } from './stack';
import { findMagics, replaceMagics } from '../../protocol/magics';
import { CellSyntaxError, syntaxErrorAt, transpileCell } from './transpile';

export class InterruptedError extends Error {
  constructor() {
    super('The cell was stopped. Every variable defined so far is kept.');
    this.name = INTERRUPTED;
  }
}

export interface RunnerDeps {
  post: (message: WorkerMessage) => void;
  outbox: Outbox;
  displays: Displays;
  resultBundle: (value: unknown) => Promise<MimeBundle>;
  /** Paths of the engine's own files: their stack frames are hidden. */
  enginePaths: readonly string[];
}

export class CellRunner {
  private interrupt: ((error: Error) => void) | null = null;

  constructor(private readonly deps: RunnerDeps) {}

  /** Ends the running cell with Interrupted if it is waiting (an await that never resolves). */
  interruptWaiting(): void {
    this.interrupt?.(new InterruptedError());
  }

  /**
   * `scriptPath` (Debug Cell) names the script for the debugger instead of `cellName`; errors
   * still say `cellName`. `pauseAtStart` (Run by Line) stops an attached debugger before the
   * cell's first line. The script's lines are the cell's (the rewrite keeps them), so a
   * breakpoint on a cell line is one on the script's.
   */
  async run(id: number, code: string, cellName: string, scriptPath?: string, pauseAtStart = false): Promise<void> {
    const { post, outbox, displays } = this.deps;
    let mappings: number[][][] = [];
    let error: CellError | null = null;
    try {
      // A debugged cell gets no statement checks: stepping would stop at each one.
      // `%npm …` lines become calls to the kernel before TypeScript sees the cell (protocol/magics.ts).
      const { magics, problem } = findMagics(code);
      if (problem) throw syntaxErrorAt(code, problem.reason, problem.line, problem.column);
      const rewritten = rewriteCell(transpileCell(replaceMagics(code, magics)), {
        pauseAtStart,
        checkStatements: !scriptPath,
      });
      mappings = rewritten.mappings;
      const globals = globalThis as Record<string, unknown>;
      for (const name of rewritten.declared) if (!(name in globals)) globals[name] = undefined;
      const interrupted = new Promise<never>((_, reject) => {
        this.interrupt = reject;
      });
      const running = runInThisContext(rewritten.script, { filename: scriptPath ?? cellName }) as Promise<
        { value: unknown } | undefined
      >;
      const result = await Promise.race([running, interrupted]);
      if (result && result.value !== undefined) {
        const value = result.value;
        outbox.send(async () => ({ type: 'result', id, bundle: await this.deps.resultBundle(value) }));
      }
    } catch (thrown) {
      error =
        thrown instanceof CellSyntaxError
          ? syntaxError(thrown, cellName)
          : cellError(thrown, { filename: scriptPath ?? cellName, mappings }, this.deps.enginePaths);
      if (scriptPath && error) error = { ...error, stack: error.stack.split(scriptPath).join(cellName) };
    } finally {
      this.interrupt = null;
    }
    // Everything the cell printed or displayed goes out before its error and its end.
    displays.flush();
    await outbox.drain();
    if (error) post({ type: 'error', id, error });
    post({ type: 'done', id, ok: error === null });
  }
}

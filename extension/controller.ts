/**
 * The notebook controller: "LSTM (TypeScript)" for .ipynb files. One kernel session (one
 * worker thread) per open notebook, created on its first run and ended when it closes.
 * Execution follows the samples' discipline: order number, start, outputs, end(success).
 */
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import * as vscode from 'vscode';
import { KernelSession, type CellOutput, type KernelState } from './kernel/session';
import type { VariableRow } from '../protocol/kernel';
import { hasNpmMagic } from '../protocol/magics';
import { errorItem, outputItems } from './outputs';
import { validateSelectionMessage, type SelectionMessage } from '../protocol/selection';

const CONTROLLER_ID = 'lstm-notebook';
/** The charts renderer (package.json contributes.notebookRenderer), which posts brushed selections. */
const RENDERER_ID = 'lstm-notebook.charts';
export const KERNELSPEC_NAME = 'lstm-notebook';

export class LstmController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<vscode.NotebookDocument, { session: KernelSession; order: number }>();
  private readonly stateEmitter = new vscode.EventEmitter<{ notebook: vscode.NotebookDocument; state: KernelState }>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Notebooks this controller is selected for (the language service serves them, as well as our kernelspec's). */
  private readonly selected = new Set<vscode.NotebookDocument>();
  private readonly selectionEmitter = new vscode.EventEmitter<vscode.NotebookDocument>();
  readonly onDidChangeSelection = this.selectionEmitter.event;
  private readonly cellEndEmitter = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** A cell of this notebook ended (ran, failed, was interrupted or cancelled): the variables view refreshes. */
  readonly onDidEndCell = this.cellEndEmitter.event;
  /**
   * Called when a notebook's running cell is to stop: after an interrupt's flag is set, and before
   * a restart or the notebook's close ends the worker. Debug Cell ends its session, so a worker
   * paused at a breakpoint resumes (and stops at its next interrupt check, or is ended) instead of
   * being ended under an attached debugger, whose session then never ends.
   */
  onCellStopping: ((notebook: vscode.NotebookDocument) => Promise<void>) | undefined;

  constructor(private readonly workerPath: string) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, 'jupyter-notebook', 'LSTM (TypeScript)');
    this.controller.supportedLanguages = ['typescript'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'TypeScript cells with the embedded LSTM core';
    this.controller.executeHandler = (cells, notebook) => this.executeCells(cells, notebook);
    this.controller.interruptHandler = async (notebook) => {
      this.sessions.get(notebook)?.session.interrupt();
      await this.onCellStopping?.(notebook);
    };
    this.disposables.push(
      this.controller,
      this.stateEmitter,
      this.cellEndEmitter,
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.preferIfOurs(notebook)),
      this.selectionEmitter,
      this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        if (selected) this.selected.add(notebook);
        else this.selected.delete(notebook);
        this.selectionEmitter.fire(notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => {
        this.selected.delete(notebook);
        void this.endSession(notebook);
      }),
      vscode.notebooks
        .createRendererMessaging(RENDERER_ID)
        .onDidReceiveMessage(({ editor, message }) => this.receiveSelection(editor.notebook, message)),
    );
    vscode.workspace.notebookDocuments.forEach((notebook) => this.preferIfOurs(notebook));
  }

  /**
   * A selection brushed in one of the notebook's charts goes to its kernel, for plot.selection()
   * in the next cell; a kernel that has not started yet is started, so the selection is not lost.
   * Messages are checked here and again in the worker; a malformed one is dropped.
   */
  private receiveSelection(notebook: vscode.NotebookDocument, message: unknown): void {
    if (!this.isOurs(notebook) || validateSelectionMessage(message) !== null) return;
    this.sessionFor(notebook).session.postSelection(message as SelectionMessage);
  }

  /** A notebook of ours: a Jupyter notebook with our kernelspec, or one this controller is selected for. */
  isOurs(notebook: vscode.NotebookDocument): boolean {
    return (
      notebook.notebookType === 'jupyter-notebook' &&
      (this.selected.has(notebook) || kernelspecName(notebook) === KERNELSPEC_NAME)
    );
  }

  stateOf(notebook: vscode.NotebookDocument): KernelState | null {
    return this.sessions.get(notebook)?.session.state ?? null;
  }

  /**
   * The notebook's variables (protocol/kernel.ts VariableRow), or null when its kernel has not
   * started: listing them never starts one.
   */
  variablesOf(notebook: vscode.NotebookDocument): Promise<VariableRow[]> | null {
    return this.sessions.get(notebook)?.session.variables() ?? null;
  }

  async restart(notebook: vscode.NotebookDocument): Promise<void> {
    const entry = this.sessions.get(notebook);
    if (!entry) return;
    entry.order = 0;
    await this.onCellStopping?.(notebook);
    await entry.session.restart();
  }

  async dispose(): Promise<void> {
    this.disposables.forEach((d) => d.dispose());
    await Promise.all([...this.sessions.keys()].map((notebook) => this.endSession(notebook)));
  }

  private preferIfOurs(notebook: vscode.NotebookDocument): void {
    // Preferred only by the kernelspec (the file's own claim), not by a selection.
    if (notebook.notebookType === 'jupyter-notebook' && kernelspecName(notebook) === KERNELSPEC_NAME) {
      this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    }
  }

  private sessionFor(notebook: vscode.NotebookDocument): { session: KernelSession; order: number } {
    let entry = this.sessions.get(notebook);
    if (!entry) {
      const settings = vscode.workspace.getConfiguration('lstmNotebook.kernel');
      const session = new KernelSession({
        workerPath: this.workerPath,
        notebookDir: notebookFolder(notebook),
        heapLimitMb: settings.get<number>('heapLimitMb', 4096),
        interruptGraceMs: 1000 * settings.get<number>('interruptGraceSeconds', 3),
        engine: settings.get<'wasm' | 'js'>('engine', 'wasm'),
        threads: settings.get<number>('threads', 2),
        onStateChange: (state) => this.stateEmitter.fire({ notebook, state }),
        // A cell's `await input(prompt)`: VS Code's input box; Escape answers null.
        onInput: async ({ prompt, password }) =>
          (await vscode.window.showInputBox({ prompt, password, ignoreFocusOut: true })) ?? null,
      });
      entry = { session, order: 0 };
      this.sessions.set(notebook, entry);
    }
    return entry;
  }

  /**
   * Runs one cell as the run button does, with the kernel prepared first (Debug Cell: its
   * inspector opened and a debugger attached by `beforeRun`, which returns how to undo that once
   * the cell ends), the script named `scriptPath` for the debugger, and with `pauseAtStart`
   * stopped before its first line (Run by Line).
   */
  async runCell(
    cell: vscode.NotebookCell,
    debug: {
      scriptPath: string;
      pauseAtStart: boolean;
      beforeRun: (session: KernelSession) => Promise<() => Promise<void>>;
    },
  ): Promise<boolean> {
    const execution = this.controller.createNotebookCellExecution(cell);
    let after: () => Promise<void>;
    try {
      after = await debug.beforeRun(this.sessionFor(cell.notebook).session);
    } catch (error) {
      execution.start(Date.now());
      const message = `The debugger could not attach to the kernel: ${(error as Error).message}`;
      await execution.replaceOutput(
        new vscode.NotebookCellOutput([errorItem({ name: 'DebugError', message, stack: `DebugError: ${message}` })]),
      );
      execution.end(false, Date.now());
      return false;
    }
    try {
      return await this.executeCell(execution, cell.notebook, {
        scriptPath: debug.scriptPath,
        pauseAtStart: debug.pauseAtStart,
      });
    } finally {
      await after();
    }
  }

  private async endSession(notebook: vscode.NotebookDocument): Promise<void> {
    const entry = this.sessions.get(notebook);
    this.sessions.delete(notebook);
    await this.onCellStopping?.(notebook);
    await entry?.session.dispose();
  }

  private async executeCells(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    // Every cell gets its execution at once so VS Code shows them queued, as Jupyter does.
    const executions = cells.map((cell) => this.controller.createNotebookCellExecution(cell));
    for (const [index, execution] of executions.entries()) {
      const ok = await this.executeCell(execution, notebook);
      if (!ok) {
        // As in Jupyter, a failing cell stops the run: the rest end without running.
        for (const rest of executions.slice(index + 1)) {
          rest.start(Date.now());
          rest.end(undefined);
        }
        return;
      }
    }
  }

  private async executeCell(
    execution: vscode.NotebookCellExecution,
    notebook: vscode.NotebookDocument,
    debug?: { scriptPath: string; pauseAtStart: boolean },
  ): Promise<boolean> {
    const cell = execution.cell;
    // Trust first: in an untrusted workspace not even a kernel worker starts.
    if (!vscode.workspace.isTrusted) {
      execution.start(Date.now());
      await execution.clearOutput();
      await execution.appendOutput(
        new vscode.NotebookCellOutput([
          errorItem({
            name: 'UntrustedWorkspace',
            message: hasNpmMagic(cell.document.getText())
              ? "This workspace is not trusted, so LSTM Notebook installs no npm package in it: %npm runs npm, and the install scripts of the packages it fetches, in the notebook's folder. Trust the workspace to run cells."
              : 'This workspace is not trusted, so LSTM Notebook runs no code in it. Trust the workspace to run cells.',
            stack: '',
          }),
        ]),
      );
      execution.end(false, Date.now());
      return false;
    }
    const entry = this.sessionFor(notebook);
    const cancel = execution.token.onCancellationRequested(() => entry.session.interrupt());
    const writer = new OutputWriter(execution);
    try {
      // The cell shows as running (with its order number) only once the kernel starts it.
      let begun = false;
      const started = () => {
        begun = true;
        execution.executionOrder = ++entry.order;
        execution.start(Date.now());
        writer.clear();
      };
      const result = await entry.session.execute(
        cell.document.getText(),
        `Cell ${cell.index + 1}`,
        (output) => writer.write(output),
        started,
        debug,
      );
      await writer.idle();
      if (!begun) execution.start(Date.now()); // cancelled while queued: it ends without an order number
      execution.end(result.ok, Date.now());
      return result.ok;
    } finally {
      cancel.dispose();
      this.cellEndEmitter.fire(notebook);
    }
  }
}

/**
 * Writes outputs in order (VS Code's output calls are async) and keeps display ids → outputs.
 * clearOutput() clears the cell's outputs at once or, with `wait`, just before its next output
 * that is not an update (as JupyterLab does); a cleared display takes no more updates.
 */
class OutputWriter {
  private chain: Promise<unknown> = Promise.resolve();
  private lastStream: { name: string; output: vscode.NotebookCellOutput } | null = null;
  /** null: the display was cleared. */
  private readonly displays = new Map<string, vscode.NotebookCellOutput | null>();
  private clearBeforeNext = false;

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  clear(): void {
    this.chain = this.chain.then(() => this.execution.clearOutput());
  }

  write(output: CellOutput): void {
    this.chain = this.chain
      .then(() => this.apply(output))
      .catch((error) => console.error('LSTM Notebook: could not show an output', error));
  }

  idle(): Promise<unknown> {
    return this.chain;
  }

  private async apply(output: CellOutput): Promise<void> {
    const { execution } = this;
    if (output.type === 'clear') {
      if (output.wait) this.clearBeforeNext = true;
      else await this.clearShown();
      return;
    }
    const existing = output.type === 'display' && output.update ? this.displays.get(output.displayId) : undefined;
    if (existing === null) return;
    if (this.clearBeforeNext && !existing) await this.clearShown();
    if (output.type === 'stream') {
      const item =
        output.name === 'stdout'
          ? vscode.NotebookCellOutputItem.stdout(output.text)
          : vscode.NotebookCellOutputItem.stderr(output.text);
      // Consecutive text of one stream joins one output, as in Jupyter.
      if (this.lastStream?.name === output.name) return execution.appendOutputItems(item, this.lastStream.output);
      const created = new vscode.NotebookCellOutput([item]);
      this.lastStream = { name: output.name, output: created };
      return execution.appendOutput(created);
    }
    this.lastStream = null;
    switch (output.type) {
      case 'display': {
        if (existing) return execution.replaceOutputItems(outputItems(output.bundle), existing);
        const created = new vscode.NotebookCellOutput(outputItems(output.bundle), { displayId: output.displayId });
        this.displays.set(output.displayId, created);
        return execution.appendOutput(created);
      }
      case 'result':
        return execution.appendOutput(new vscode.NotebookCellOutput(outputItems(output.bundle)));
      case 'error':
        return execution.appendOutput(new vscode.NotebookCellOutput([errorItem(output.error)]));
      default: {
        const unknown: never = output;
        throw new Error(`unknown output ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** clearOutput(): the outputs shown so far go, and the displays among them with them. */
  private async clearShown(): Promise<void> {
    this.clearBeforeNext = false;
    this.lastStream = null;
    for (const id of this.displays.keys()) this.displays.set(id, null);
    await this.execution.clearOutput();
  }
}

/** The ipynb serializer keeps the file's metadata under `metadata` (older builds: `custom.metadata`). */
function kernelspecName(notebook: vscode.NotebookDocument): string | undefined {
  const m = notebook.metadata as {
    metadata?: { kernelspec?: { name?: string } };
    custom?: { metadata?: { kernelspec?: { name?: string } } };
  };
  return m.metadata?.kernelspec?.name ?? m.custom?.metadata?.kernelspec?.name;
}

export function notebookFolder(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === 'file') return dirname(notebook.uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? tmpdir();
}

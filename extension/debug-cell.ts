/**
 * Debug Cell: runs one cell under VS Code's JavaScript debugger (js-debug), attached to the
 * cell's kernel worker through the worker's own inspector (127.0.0.1, a random port, open only
 * while the cell runs). Pausing freezes the worker thread, never the extension host.
 *
 * Paths: the worker runs a debugged cell as a script named by an absolute path of its own
 * (scriptPathOf); the REPL rewrite keeps every cell line in place, so a cell line is that
 * script's line. A debug adapter tracker rewrites DAP sources both ways: breakpoints VS Code
 * sets in a cell (`vscode-notebook-cell:` URIs) go to js-debug under the script's path, and
 * frames, breakpoints and loaded sources js-debug reports under that path come back as the
 * cell, named "Cell N".
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { notebookFolder, type LstmController } from './controller';
import { notebookScope, type DapMessage } from './debug-notebook-scope';
import { KERNEL_GLOBAL, type PausedChartKind } from '../protocol/kernel';

/** Our mark on the debug configurations we start (js-debug's child sessions inherit through parentSession). */
const MARK = '__lstmNotebook';
const CELL_SCHEME = 'vscode-notebook-cell';
const ATTACH_TIMEOUT_MS = 30_000;

export class CellDebugger implements vscode.Disposable {
  private readonly pathByCell = new Map<string, string>();
  private readonly cellByPath = new Map<string, vscode.Uri>();
  /** The debug session of each notebook being debugged (one debugged cell at a time per notebook). */
  private readonly sessions = new Map<vscode.NotebookDocument, vscode.DebugSession>();
  /** Resolvers waiting for the session attached to the worker to finish its configuration (breakpoints set). */
  private readonly configured = new Map<string, () => void>();
  /** Run by Line runs whose first stop (the `debugger;` before line 1) is still to come: it is stepped past. */
  private readonly pausedBeforeFirstLine = new Set<string>();
  /** Run by Line runs attached and not yet ended (its cell toolbar buttons and Ctrl+Enter show meanwhile). */
  private readonly byLineRuns = new Set<string>();
  /** The session each debug run started with (js-debug attaches in a child of it); stopping it stops both. */
  private readonly roots = new Map<string, vscode.DebugSession>();
  /** Charts drawn while paused, per debug run: redrawn after each step, frozen when the cell ends. */
  private readonly watches = new Map<string, PausedChart[]>();
  private drawn = 0;
  /** Per debug run, the kernel's own global names (Node's and the kernel's): the rest are the notebook's. */
  private readonly kernelGlobals = new Map<string, Set<string>>();
  /** Where our last shown stop happened (cleared when the worker runs on). */
  private lastStop: { session: vscode.DebugSession; threadId: number } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** `extensionRoot`: where the kernel bundle's source map points (the core's sources under it). */
  constructor(
    private readonly controller: LstmController,
    private readonly extensionRoot: string,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand('lstm-notebook.debugCell', (target?: unknown) => this.debugCell(target, false)),
      vscode.commands.registerCommand('lstm-notebook.runByLine', (target?: unknown) => this.debugCell(target, true)),
      vscode.commands.registerCommand('lstm-notebook.runNextLine', () => this.resume('next', 'Run Next Line')),
      vscode.commands.registerCommand('lstm-notebook.continueRunByLine', () =>
        this.resume('continue', 'Continue Running the Cell'),
      ),
      vscode.commands.registerCommand('lstm-notebook.showGatesWhilePaused', (context?: unknown) =>
        this.showWhilePaused(context, 'gates'),
      ),
      vscode.commands.registerCommand('lstm-notebook.showStatesWhilePaused', (context?: unknown) =>
        this.showWhilePaused(context, 'states'),
      ),
      vscode.debug.onDidChangeActiveStackItem((item) => void this.redraw(item)),
      vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
        createDebugAdapterTracker: (session) => (this.rootOf(session) ? this.tracker(session) : undefined),
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        for (const [notebook, debugged] of this.sessions) if (debugged === session) this.sessions.delete(notebook);
      }),
    );
    controller.onCellStopping = (notebook) => this.stop(notebook);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** The absolute path a debugged cell's script is named by (a name only: no file is written). */
  scriptPathOf(cell: vscode.NotebookCell): string {
    const key = cell.document.uri.toString();
    let path = this.pathByCell.get(key);
    if (!path) {
      const folder = notebookFolder(cell.notebook).replace(/\\/g, '/');
      path = `${folder}/${basename(cell.notebook.uri.path)}.cell-${this.pathByCell.size + 1}.js`;
      this.pathByCell.set(key, path);
      this.cellByPath.set(path, cell.document.uri);
    }
    return path;
  }

  /** Ends the notebook's debug session (before an interrupt, restart or close ends its cell: a paused worker resumes). */
  async stop(notebook: vscode.NotebookDocument): Promise<void> {
    const session = this.sessions.get(notebook);
    if (session) await vscode.debug.stopDebugging(session);
  }

  /** Debug Cell, or with `byLine` Run by Line: the same session, stopped before the cell's first line. */
  private async debugCell(target: unknown, byLine: boolean): Promise<void> {
    const what = byLine ? 'Run by Line' : 'Debug Cell';
    const cell = cellOf(target);
    const refusal = !cell
      ? 'no cell to debug (run it from a cell, or with a cell selected).'
      : !vscode.workspace.isTrusted
        ? 'this workspace is not trusted, so LSTM Notebook runs no code in it.'
        : this.sessions.has(cell.notebook)
          ? 'a cell of this notebook is already being debugged.'
          : undefined;
    if (!cell || refusal) {
      void vscode.window.showErrorMessage(`${what}: ${refusal}`);
      return;
    }
    await this.controller.runCell(cell, {
      scriptPath: this.scriptPathOf(cell),
      pauseAtStart: byLine,
      beforeRun: async (session) => {
        const { url: address, kernelGlobals } = await session.openInspector();
        const installed = this.extensionRoot.replace(/\\/g, '/');
        const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        const ready = new Promise<void>((resolve) => this.configured.set(id, resolve));
        if (byLine) this.pausedBeforeFirstLine.add(id);
        this.kernelGlobals.set(id, new Set(kernelGlobals));
        const started = await vscode.debug.startDebugging(
          vscode.workspace.getWorkspaceFolder(cell.notebook.uri),
          {
            type: 'pwa-node',
            request: 'attach',
            name: `Cell ${cell.index + 1}`,
            websocketAddress: address,
            // Through dist/worker.js.map a step into model.forward lands in the core's TypeScript;
            // Node's internals, the dependencies and the kernel's own glue are not the user's code.
            resolveSourceMapLocations: [`${installed}/dist/**`],
            skipFiles: ['<node_internals>/**', `${installed}/node_modules/**`, `${installed}/extension/**`],
            [MARK]: id,
          },
          { suppressSaveBeforeStart: true },
        );
        // One way out for every end of this run: attached or not, the cell finished or not.
        const end = async () => {
          this.configured.delete(id);
          this.watches.delete(id); // the charts stay in the output as they were last drawn
          this.pausedBeforeFirstLine.delete(id);
          this.kernelGlobals.delete(id);
          const root = this.roots.get(id);
          if (root) await vscode.debug.stopDebugging(root);
          this.roots.delete(id);
          if (this.sessions.get(cell.notebook) === root) this.sessions.delete(cell.notebook);
          session.closeInspector();
          if (this.sessions.size === 0)
            void vscode.commands.executeCommand('setContext', 'lstmNotebook.debuggingCell', false);
          if (this.byLineRuns.delete(id) && this.byLineRuns.size === 0)
            void vscode.commands.executeCommand('setContext', 'lstmNotebook.runningByLine', false);
        };
        if (!started) {
          await end();
          throw new Error('the JavaScript debugger did not start');
        }
        // Never a cell left waiting on a debugger that does not come.
        const attached = await Promise.race([
          ready.then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), ATTACH_TIMEOUT_MS)),
        ]);
        if (!attached) {
          await end();
          throw new Error(`the JavaScript debugger did not attach to the kernel within ${ATTACH_TIMEOUT_MS / 1000} s`);
        }
        const root = this.roots.get(id);
        if (root) this.sessions.set(cell.notebook, root);
        void vscode.commands.executeCommand('setContext', 'lstmNotebook.debuggingCell', true);
        if (byLine) {
          this.byLineRuns.add(id);
          void vscode.commands.executeCommand('setContext', 'lstmNotebook.runningByLine', true);
        }
        return end;
      },
    });
  }

  /**
   * Run by Line's own buttons (the cell's toolbar; Ctrl+Enter continues, as in Jupyter): one step
   * over, or run the rest, on the thread of our last stop, wherever the focus is.
   */
  private async resume(request: 'next' | 'continue', command: string): Promise<void> {
    const stop = this.lastStop;
    if (!stop) {
      void vscode.window.showErrorMessage(`${command}: no cell is paused.`);
      return;
    }
    await stop.session.customRequest(request, { threadId: stop.threadId });
  }

  /**
   * Draws the gates or states of a model, trace or forward result of the paused frame into the
   * running cell's output: from the variables view's context menu (its variable), or the command
   * palette (an expression typed in). The worker builds the chart in the paused frame.
   */
  private async showWhilePaused(context: unknown, kind: PausedChartKind): Promise<void> {
    const command = kind === 'gates' ? 'Show Gates' : 'Show States';
    const frame = await this.pausedFrame();
    const root = frame && this.rootOf(frame.session);
    if (!frame || !root) {
      void vscode.window.showErrorMessage(`${command}: pause a cell run with Debug Cell or Run by Line first.`);
      return;
    }
    const variable = (context as { variable?: { evaluateName?: string; name?: string } } | undefined)?.variable;
    const expression =
      variable?.evaluateName ??
      variable?.name ??
      (await vscode.window.showInputBox({
        prompt: `A model, a trace, or a forward result made with { trace: true }, in the paused frame: its ${kind}`,
        placeHolder: 'model',
      }));
    if (!expression) return;
    const watch = { expression, kind, displayId: `paused-${kind}-${++this.drawn}` };
    try {
      await this.draw(frame, watch, false);
      this.watches.set(root, [...(this.watches.get(root) ?? []), watch]);
    } catch (error) {
      void vscode.window.showErrorMessage(`${command} of ${expression}: ${(error as Error).message}`);
    }
  }

  /**
   * The frame the user is looking at, if it is one of ours; else the top frame of our last stop
   * (right after a stop VS Code may still have the thread, not a frame, as its active item).
   */
  private async pausedFrame(): Promise<{ session: vscode.DebugSession; frameId: number } | undefined> {
    const item = vscode.debug.activeStackItem;
    if (item instanceof vscode.DebugStackFrame && this.rootOf(item.session)) return item;
    const stop = this.lastStop;
    if (!stop) return undefined;
    const trace: { stackFrames?: { id: number }[] } | undefined = await stop.session
      .customRequest('stackTrace', { threadId: stop.threadId, levels: 1 })
      .then(undefined, () => undefined);
    const top = trace?.stackFrames?.[0];
    return top ? { session: stop.session, frameId: top.id } : undefined;
  }

  /** After a step (a new paused frame), every chart drawn in this run is drawn again in place. */
  private async redraw(item: vscode.DebugThread | vscode.DebugStackFrame | undefined): Promise<void> {
    if (!(item instanceof vscode.DebugStackFrame)) return;
    const root = this.rootOf(item.session);
    for (const watch of (root && this.watches.get(root)) || []) {
      // Out of scope after a step: the last picture stays.
      await this.draw(item, watch, true).catch(() => {});
    }
  }

  private async draw(
    frame: { session: vscode.DebugSession; frameId: number },
    { expression, kind, displayId }: PausedChart,
    update: boolean,
  ): Promise<void> {
    const args = [JSON.stringify(kind), JSON.stringify(displayId), update].join(', ');
    await frame.session.customRequest('evaluate', {
      expression: `globalThis.${KERNEL_GLOBAL}.showWhilePaused((${expression}), ${args})`,
      frameId: frame.frameId,
      context: 'repl',
    });
  }

  /** Our mark on the session or on the session that started it (js-debug attaches in a child). */
  private rootOf(session: vscode.DebugSession): string | undefined {
    for (let s: vscode.DebugSession | undefined = session; s; s = s.parentSession) {
      const mark = (s.configuration as Record<string, unknown>)[MARK];
      if (typeof mark === 'string') return mark;
    }
    return undefined;
  }

  private tracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const root = this.rootOf(session);
    if (root && !session.parentSession) this.roots.set(root, session);
    const scopes = root && session.parentSession ? notebookScope(() => this.kernelGlobals.get(root)) : undefined;
    return {
      onWillReceiveMessage: (message: DapMessage) => {
        if (message.type !== 'request') return;
        this.rewriteSources(message.arguments, (source) => this.toScript(source));
        scopes?.request(message);
      },
      onDidSendMessage: (message: DapMessage) => {
        this.rewriteSources(message.body, (source) => this.toCell(source));
        scopes?.response(message);
        if (message.type === 'event' && (message.event === 'continued' || message.event === 'terminated'))
          this.lastStop = undefined;
        // The child session is the one attached to the worker: once it is configured, breakpoints are set there.
        if (message.type === 'response' && message.command === 'configurationDone' && root && session.parentSession)
          this.configured.get(root)?.();
        // Run by Line's `debugger;` stops before line 1's first statement, on the same line: showing
        // that stop would make the first F10 seem to do nothing. It is hidden from VS Code (renamed
        // to an event it ignores) and stepped past, so the first stop shown is the first statement.
        if (message.type === 'event' && message.event === 'stopped' && root && session.parentSession) {
          const threadId = (message.body as { threadId?: number } | undefined)?.threadId;
          if (this.pausedBeforeFirstLine.delete(root)) {
            message.event = 'lstmNotebookSteppedPastPause';
            void session.customRequest('next', { threadId }).then(undefined, () => {});
          } else if (threadId !== undefined) this.lastStop = { session, threadId };
        }
      },
    };
  }

  private toScript(source: Record<string, unknown>): void {
    if (typeof source.path !== 'string' || !source.path.startsWith(`${CELL_SCHEME}:`)) return;
    const cell = openCell(vscode.Uri.parse(source.path));
    if (cell) source.path = this.scriptPathOf(cell);
  }

  private toCell(source: Record<string, unknown>): void {
    const uri = typeof source.path === 'string' ? this.cellByPath.get(source.path) : undefined;
    if (!uri) return;
    const cell = openCell(uri);
    source.path = uri.toString();
    source.name = cell ? `Cell ${cell.index + 1}` : 'Cell';
    source.sourceReference = 0;
  }

  /** Applies `rewrite` to every DAP `source` object in a message's arguments or body. */
  private rewriteSources(value: unknown, rewrite: (source: Record<string, unknown>) => void): void {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) this.rewriteSources(item, rewrite);
      return;
    }
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'source' && typeof inner === 'object' && inner !== null) rewrite(inner as Record<string, unknown>);
      this.rewriteSources(inner, rewrite);
    }
  }
}

/** A chart drawn while paused: what of which expression, under which display id. */
interface PausedChart {
  expression: string;
  kind: PausedChartKind;
  displayId: string;
}

/** The cell of an open notebook whose document has this URI. */
function openCell(uri: vscode.Uri): vscode.NotebookCell | undefined {
  const key = uri.toString();
  return vscode.workspace.notebookDocuments
    .flatMap((notebook) => notebook.getCells())
    .find((cell) => cell.document.uri.toString() === key);
}

/** The cell a command was run on: the argument VS Code's cell menus pass, or the active editor's selection. */
function cellOf(target: unknown): vscode.NotebookCell | undefined {
  const candidate = target as Partial<vscode.NotebookCell> | undefined;
  if (candidate?.document && candidate.notebook && typeof candidate.index === 'number')
    return candidate as vscode.NotebookCell;
  const editor = vscode.window.activeNotebookEditor;
  const index = editor?.selections[0]?.start;
  return editor && index !== undefined ? editor.notebook.cellAt(index) : undefined;
}

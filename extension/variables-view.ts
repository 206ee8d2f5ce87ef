/**
 * The Variables view (the "LSTM Notebook" panel): the active notebook's top-level names with
 * type, size and a short value, as VS Code Jupyter's variables view shows them, outside
 * debugging. VS Code's own notebook variables API (NotebookController.variableProvider) is a
 * proposed API that a published extension may not use, so this is a tree view of our own.
 *
 * It asks the kernel (session.variables(), answered by the worker once it is free) after each
 * cell ends, when another notebook becomes active and when the view becomes visible, and every
 * second while a cell runs (a training loop answers between steps; a loop that never awaits
 * answers when it ends, and no second question is asked meanwhile) — never while hidden, and
 * never starting a kernel. Types in lstmNotebook.variables.hiddenTypes
 * (functions and classes by default: mostly imports) are left out, and the view says how many,
 * of which types, above its rows.
 */
import * as vscode from 'vscode';
import type { LstmController } from './controller';
import type { VariableRow } from '../protocol/kernel';

const VARIABLES_VIEW_ID = 'lstm-notebook.variables';
/** True while a notebook of ours is open: the panel shows the view only then (package.json). */
const HAS_NOTEBOOK_CONTEXT = 'lstmNotebook.hasNotebook';

const ICONS: Record<string, string> = {
  Tensor: 'symbol-array',
  Array: 'symbol-array',
  number: 'symbol-numeric',
  bigint: 'symbol-numeric',
  string: 'symbol-string',
  boolean: 'symbol-boolean',
  function: 'symbol-method',
  class: 'symbol-class',
};

export class VariablesView implements vscode.TreeDataProvider<VariableRow>, vscode.Disposable {
  private readonly view: vscode.TreeView<VariableRow>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshedEmitter = new vscode.EventEmitter<void>();
  /** After each refresh has put its rows (or its message) in the view: tests wait on it. */
  readonly onDidRefresh = this.refreshedEmitter.event;
  private readonly disposables: vscode.Disposable[];
  /** What the view shows now, hidden types already left out. */
  private shown: VariableRow[] = [];
  /** Counts refreshes, so an answer that arrives after a newer question is dropped. */
  private generation = 0;
  /** A refresh skipped while hidden, done when the view shows. */
  private stale = true;
  /** Refreshes while the active notebook's cell runs; one question at a time. */
  private ticker: ReturnType<typeof setInterval> | undefined;
  private asking = false;

  constructor(private readonly controller: LstmController) {
    this.view = vscode.window.createTreeView(VARIABLES_VIEW_ID, { treeDataProvider: this });
    const isActive = (notebook: vscode.NotebookDocument) => vscode.window.activeNotebookEditor?.notebook === notebook;
    this.disposables = [
      this.view,
      this.changed,
      this.refreshedEmitter,
      controller.onDidEndCell((notebook) => isActive(notebook) && this.refresh()),
      controller.onDidChangeState(({ notebook, state }) => {
        if (!isActive(notebook)) return;
        this.tickWhileBusy();
        if (state === 'restarting' || state === 'disposed') this.refresh();
      }),
      vscode.window.onDidChangeActiveNotebookEditor(() => {
        this.tickWhileBusy();
        this.refresh();
      }),
      { dispose: () => clearInterval(this.ticker) },
      vscode.workspace.onDidOpenNotebookDocument(() => this.updateContext()),
      vscode.workspace.onDidCloseNotebookDocument(() => this.updateContext()),
      controller.onDidChangeSelection(() => this.updateContext()),
      this.view.onDidChangeVisibility(({ visible }) => visible && this.stale && this.refresh()),
      vscode.workspace.onDidChangeConfiguration(
        (event) => event.affectsConfiguration('lstmNotebook.variables') && this.refresh(),
      ),
    ];
    this.updateContext();
    this.refresh();
  }

  /** Reveals the view (the command "Show Variables", the notebook toolbar's button). */
  async show(): Promise<void> {
    await vscode.commands.executeCommand('setContext', HAS_NOTEBOOK_CONTEXT, true);
    await vscode.commands.executeCommand(`${VARIABLES_VIEW_ID}.focus`);
  }

  /** Every second while the active notebook's kernel is busy: its variables as the cell changes them. */
  private tickWhileBusy(): void {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const busy = notebook !== undefined && this.controller.stateOf(notebook) === 'busy';
    if (busy && !this.ticker)
      this.ticker = setInterval(() => {
        if (this.view.visible && !this.asking) this.refresh();
      }, 1000);
    else if (!busy && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private updateContext(): void {
    const open = vscode.workspace.notebookDocuments.some((notebook) => this.controller.isOurs(notebook));
    void vscode.commands.executeCommand('setContext', HAS_NOTEBOOK_CONTEXT, open);
  }

  /** The rows the view shows now (hidden types left out), in its order. */
  get rows(): readonly VariableRow[] {
    return this.shown;
  }

  get visible(): boolean {
    return this.view.visible;
  }

  /** The text above the rows when there are none (or why there are none). */
  get message(): string | undefined {
    return this.view.message;
  }

  /** Asks the active notebook's kernel for its variables, if the view is visible. */
  refresh(): void {
    const generation = ++this.generation;
    if (!this.view.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    void this.load(generation);
  }

  private async load(generation: number): Promise<void> {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    let rows: VariableRow[] = [];
    let message: string | undefined;
    let description: string | undefined;
    if (!notebook || !this.controller.isOurs(notebook)) {
      message = 'Open a notebook with the LSTM (TypeScript) kernel to see its variables.';
    } else {
      description = notebook.uri.path.split('/').pop();
      const answer = this.controller.variablesOf(notebook);
      if (!answer) message = 'The kernel has not started: run a cell to see its variables.';
      else {
        this.asking = true;
        const all = await answer.finally(() => (this.asking = false));
        if (generation !== this.generation) return;
        const hidden = new Set(
          vscode.workspace
            .getConfiguration('lstmNotebook.variables')
            .get<string[]>('hiddenTypes', ['function', 'class']),
        );
        rows = all.filter((row) => !hidden.has(row.type));
        // Said above the rows (a view alone in its panel shows no description): how many are left out, of which types.
        const left = all.filter((row) => hidden.has(row.type));
        const why = `${[...new Set(left.map((row) => row.type))].join(', ')} (lstmNotebook.variables.hiddenTypes)`;
        if (all.length === 0) message = 'No variables yet: no cell has declared a top-level name.';
        else if (rows.length === 0) message = `All ${all.length} variables are of hidden types: ${why}.`;
        else if (left.length > 0) message = `${left.length} hidden: ${why}`;
      }
    }
    if (generation !== this.generation) return;
    this.shown = rows;
    this.view.message = message;
    this.view.description = description;
    this.changed.fire();
    this.refreshedEmitter.fire();
  }

  getChildren(element?: VariableRow): VariableRow[] {
    return element ? [] : this.shown;
  }

  getTreeItem(row: VariableRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.name, vscode.TreeItemCollapsibleState.None);
    item.id = row.name;
    item.description = `${[row.type, row.size].filter(Boolean).join(' ')} · ${row.value}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escapeMarkdown(row.name)}**: ${escapeMarkdown(row.type)}`);
    if (row.size) tooltip.appendMarkdown(` · ${escapeMarkdown(row.size)}`);
    tooltip.appendCodeblock(row.value, 'text');
    item.tooltip = tooltip;
    // A model or layer (its size is a parameter count): a circuit, as the summary's icon.
    item.iconPath = new vscode.ThemeIcon(
      row.size.endsWith(' params') ? 'circuit-board' : (ICONS[row.type] ?? 'symbol-variable'),
    );
    item.contextValue = 'lstmNotebookVariable';
    return item;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

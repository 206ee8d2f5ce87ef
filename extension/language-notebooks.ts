/**
 * Which notebooks the cells' language service serves, and keeping the worker's copy of their
 * cells current: LSTM notebooks (our kernelspec, or our controller selected), while the
 * setting `lstmNotebook.languageService.enabled` is on and the workspace is trusted. Each
 * change is sent at once when a provider asks (a completion must see the `.` just typed) and
 * otherwise after DEBOUNCE_MS of quiet, followed by a diagnostics pass into the Problems view.
 *
 * Untrusted workspaces get nothing: the service reads `.d.ts` files of the notebook's folder
 * and its node_modules, and restricted mode promises not to act on a folder's contents.
 */
import * as vscode from 'vscode';
import type { CellDiagnostic, CellRange } from '../protocol/language';
import { notebookFolder, type LstmController } from './controller';
import type { BuiltinTypeScript } from './builtin-typescript';
import { CancelledError, type LanguageClient } from './language/client';

const DEBOUNCE_MS = 150;
const LANGUAGE_SETTING = 'lstmNotebook.languageService.enabled';

export class LanguageNotebooks implements vscode.Disposable {
  private readonly timers = new Map<vscode.NotebookDocument, ReturnType<typeof setTimeout>>();
  /** Notebooks changed since their cells were last sent. */
  private readonly dirty = new Set<vscode.NotebookDocument>();
  /** Notebooks whose cells the worker has (to close them there). */
  private readonly sent = new Set<vscode.NotebookDocument>();
  /** Notebooks served now: the built-in TypeScript is told to leave their cells to us. */
  private readonly served = new Set<vscode.NotebookDocument>();
  /** Each notebook's running diagnostics pass: a newer pass (or closing) cancels it in the worker too. */
  private readonly passes = new Map<vscode.NotebookDocument, vscode.CancellationTokenSource>();
  /** The cell URIs (by string) each notebook's diagnostics were set on: a deleted cell's must go too. */
  private readonly published = new Map<vscode.NotebookDocument, Map<string, vscode.Uri>>();
  private readonly collection = vscode.languages.createDiagnosticCollection('lstm-notebook');
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly controller: LstmController,
    private readonly client: LanguageClient,
    private readonly builtin: Pick<BuiltinTypeScript, 'serve'>,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.changed(notebook)),
      vscode.workspace.onDidChangeNotebookDocument(({ notebook }) => this.changed(notebook)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        const notebook = this.notebookOf(document);
        if (notebook) this.changed(notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.forget(notebook)),
      controller.onDidChangeSelection((notebook) => this.changed(notebook)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshAll()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(LANGUAGE_SETTING)) this.refreshAll();
      }),
    );
    this.refreshAll();
  }

  get enabled(): boolean {
    return vscode.workspace.isTrusted && vscode.workspace.getConfiguration().get<boolean>(LANGUAGE_SETTING, false);
  }

  /** The served notebook a cell document belongs to, if any. */
  notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
    if (document.uri.scheme !== 'vscode-notebook-cell' || !this.enabled) return undefined;
    const notebook = vscode.workspace.notebookDocuments.find(
      (nb) => nb.uri.path === document.uri.path && nb.getCells().some((cell) => cell.document === document),
    );
    return notebook && this.serves(notebook) ? notebook : undefined;
  }

  /**
   * Sends the notebook's cells now if they changed since last sent (before a completion, a
   * hover…), and returns the notebook's key for the request that follows. It does not wait for
   * the worker's reply: the worker takes messages in order, so the request is answered on these
   * cells, and a completion saves a round trip through a busy extension host.
   */
  synced(notebook: vscode.NotebookDocument): string {
    if (this.dirty.has(notebook) || !this.sent.has(notebook)) this.send(notebook);
    return key(notebook);
  }

  dispose(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.disposables.forEach((d) => d.dispose());
  }

  private serves(notebook: vscode.NotebookDocument): boolean {
    return this.enabled && this.controller.isOurs(notebook);
  }

  private changed(notebook: vscode.NotebookDocument): void {
    if (!this.serves(notebook)) {
      if (this.sent.has(notebook) || this.served.has(notebook)) this.forget(notebook); // no longer ours (another kernel, setting off)
      return;
    }
    if (!this.served.has(notebook)) {
      this.served.add(notebook);
      this.tellBuiltin();
    }
    this.dirty.add(notebook);
    clearTimeout(this.timers.get(notebook));
    this.timers.set(
      notebook,
      setTimeout(() => {
        this.timers.delete(notebook);
        void this.publishDiagnostics(notebook);
      }, DEBOUNCE_MS),
    );
  }

  private tellBuiltin(): void {
    this.builtin.serve([...this.served].map((notebook) => notebook.uri));
  }

  private refreshAll(): void {
    for (const notebook of vscode.workspace.notebookDocuments) this.changed(notebook);
  }

  private send(notebook: vscode.NotebookDocument): void {
    this.dirty.delete(notebook);
    this.sent.add(notebook);
    const cells = notebook
      .getCells()
      .filter((cell) => cell.kind === vscode.NotebookCellKind.Code)
      .map((cell) => ({
        id: cell.document.uri.toString(),
        languageId: cell.document.languageId,
        text: cell.document.getText(),
      }));
    this.client
      .update({ notebook: key(notebook), notebookDir: notebookFolder(notebook), cells })
      .catch((error: Error) =>
        console.warn(`LSTM Notebook: sending ${key(notebook)}'s cells failed: ${error.message}`),
      );
  }

  private async publishDiagnostics(notebook: vscode.NotebookDocument): Promise<void> {
    this.passes.get(notebook)?.cancel();
    const pass = new vscode.CancellationTokenSource();
    this.passes.set(notebook, pass);
    const current = () => !pass.token.isCancellationRequested && this.sent.has(notebook);
    try {
      this.synced(notebook);
      const uris = notebook
        .getCells()
        .filter((cell) => cell.kind === vscode.NotebookCellKind.Code)
        .map((cell) => cell.document.uri);
      // The cell being edited first: its squiggles are the ones the user is looking at.
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      const order = [...uris].sort((a, b) => Number(b.toString() === active) - Number(a.toString() === active));
      const published = this.published.get(notebook) ?? new Map<string, vscode.Uri>();
      this.published.set(notebook, published);
      // Cell by cell: a completion asked meanwhile waits for one cell's check, not the notebook's.
      for (const uri of order) {
        const found = await this.client.request(
          'cellDiagnostics',
          { notebook: key(notebook), cellId: uri.toString() },
          pass.token,
        );
        if (!current()) return; // superseded by a newer pass, or the notebook closed
        this.collection.set(uri, found.map(toDiagnostic));
        published.set(uri.toString(), uri);
      }
      const now = new Set(uris.map((uri) => uri.toString()));
      for (const [name, uri] of published) {
        if (now.has(name)) continue;
        this.collection.delete(uri); // a cell deleted since
        published.delete(name);
      }
    } catch (error) {
      if (error instanceof CancelledError) return; // a newer pass took over
      // Advisory: a failed pass leaves the last diagnostics; the next edit tries again.
      console.warn(`LSTM Notebook: diagnostics of ${notebook.uri.toString()} failed: ${(error as Error).message}`);
    } finally {
      if (this.passes.get(notebook) === pass) this.passes.delete(notebook);
      pass.dispose();
    }
  }

  private clearDiagnostics(notebook: vscode.NotebookDocument): void {
    for (const uri of this.published.get(notebook)?.values() ?? []) this.collection.delete(uri);
    this.published.delete(notebook);
  }

  private forget(notebook: vscode.NotebookDocument): void {
    clearTimeout(this.timers.get(notebook));
    this.timers.delete(notebook);
    this.dirty.delete(notebook);
    this.passes.get(notebook)?.cancel();
    this.passes.delete(notebook);
    this.clearDiagnostics(notebook);
    if (this.served.delete(notebook)) this.tellBuiltin();
    if (this.sent.delete(notebook)) void this.client.close(key(notebook))?.catch(() => {});
  }
}

function key(notebook: vscode.NotebookDocument): string {
  return notebook.uri.toString();
}

const SEVERITY: Record<CellDiagnostic['category'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  suggestion: vscode.DiagnosticSeverity.Hint,
  message: vscode.DiagnosticSeverity.Information,
};

function toDiagnostic(found: CellDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(found.range), found.message, SEVERITY[found.category]);
  diagnostic.source = 'lstm-notebook';
  diagnostic.code = found.code;
  return diagnostic;
}

export function toRange(range: CellRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

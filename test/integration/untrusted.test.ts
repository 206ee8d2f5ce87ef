/**
 * In an untrusted workspace (run by test/vscode/run-integration.mjs --untrusted, workspace
 * trust enforced) no cell code runs: VS Code holds notebook execution back, and if the
 * controller is asked directly it ends the cell with an error saying why.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, errorOf, openNotebook, waitFor } from './notebook-helpers';

const printed = (cell: vscode.NotebookCell) =>
  cell.outputs.flatMap((o) => o.items).filter((i) => i.mime === 'application/vnd.code.notebook.stdout').length;

describe('LSTM (TypeScript) in an untrusted workspace', function () {
  this.timeout(60_000);

  before(() => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite must run with workspace trust enforced');
  });

  it('Run from the UI runs nothing', async () => {
    const notebook = await openNotebook(["console.log('must not run')"]);
    void vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 0, end: 1 }],
      document: notebook.uri,
    });
    await new Promise((r) => setTimeout(r, 5000));
    const cell = notebook.cellAt(0);
    assert.notEqual(cell.executionSummary?.success, true);
    assert.equal(printed(cell), 0, 'the cell printed: code ran in an untrusted workspace');
  });

  it('the cells’ language service serves nothing and starts no worker, even when enabled', async () => {
    await vscode.workspace
      .getConfiguration('lstmNotebook')
      .update('languageService.enabled', true, vscode.ConfigurationTarget.Global);
    try {
      const notebook = await openNotebook([
        "import { LSTM } from 'lstm-notebook';\nconst model = new LSTM({ inputSize: 2, hiddenSize: 3 });",
        'model.',
        'const wrong: string = 1;',
      ]);
      await new Promise((r) => setTimeout(r, 2000));
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        notebook.cellAt(1).document.uri,
        new vscode.Position(0, 6),
      );
      const methods = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Method).map((i) => i.label);
      assert.ok(!methods.includes('forward'), 'LSTM members offered in an untrusted workspace');
      const ours = notebook
        .getCells()
        .flatMap((c) => vscode.languages.getDiagnostics(c.document.uri))
        .filter((d) => d.source === 'lstm-notebook');
      assert.equal(ours.length, 0);
      const { language } = (await api()) as unknown as { language: { running: boolean } };
      assert.equal(language.running, false);
    } finally {
      await vscode.workspace
        .getConfiguration('lstmNotebook')
        .update('languageService.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the controller itself refuses a cell with an UntrustedWorkspace error', async () => {
    const { controller } = await api();
    const notebook = await openNotebook(["console.log('must not run either')"]);
    const cell = notebook.cellAt(0);
    await controller.controller.executeHandler([cell], notebook, controller.controller);
    await waitFor(() => cell.executionSummary?.success === false, 10_000, 'the refusal');
    assert.equal(errorOf(cell)?.name, 'UntrustedWorkspace');
    assert.equal(printed(cell), 0);
    // Not even a kernel worker was started for it.
    const state = (controller as unknown as { stateOf(notebook: vscode.NotebookDocument): string | null }).stateOf(
      notebook,
    );
    assert.equal(state, null);
  });

  it('Debug Cell and Run by Line start no debugger, no kernel, and run nothing', async () => {
    const { controller } = await api();
    const notebook = await openNotebook(["console.log('must not run under a debugger')"]);
    const cell = notebook.cellAt(0);
    const started: string[] = [];
    const listener = vscode.debug.onDidStartDebugSession((session) => started.push(session.name));
    try {
      await vscode.commands.executeCommand('lstm-notebook.debugCell', cell);
      await vscode.commands.executeCommand('lstm-notebook.runByLine', cell);
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      listener.dispose();
    }
    assert.deepEqual(started, []);
    assert.equal(printed(cell), 0);
    const state = (controller as unknown as { stateOf(notebook: vscode.NotebookDocument): string | null }).stateOf(
      notebook,
    );
    assert.equal(state, null, 'a kernel worker was started');
  });
});

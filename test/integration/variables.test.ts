/**
 * The Variables view in a real VS Code, outside debugging: "Show Variables" reveals it, it lists
 * the notebook's names after each cell (functions and classes hidden by the default setting,
 * which can change) and while a cell runs, it follows the active notebook, empties on restart
 * and says why; `%whos` in a cell shows the same rows as a table.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, openNotebook, runCells, text, waitFor } from './notebook-helpers';

interface Row {
  name: string;
  type: string;
  size: string;
  value: string;
}

interface VariablesApi {
  readonly rows: readonly Row[];
  readonly visible: boolean;
  readonly message: string | undefined;
  getTreeItem(row: Row): vscode.TreeItem;
}

const variablesView = async () => (await api<{ variables: VariablesApi }>()).variables;

const names = (view: VariablesApi) => view.rows.map((r) => r.name).join(',');

describe('the Variables view and %whos', function () {
  this.timeout(120_000);
  const settings = () => vscode.workspace.getConfiguration('lstmNotebook.variables');
  after(() => settings().update('hiddenTypes', undefined, vscode.ConfigurationTarget.Global));

  it('lists the notebook’s variables after each cell and while one runs, follows the active notebook and empties on restart', async () => {
    const notebook = await openNotebook([
      "import { LSTM, Tensor } from 'lstm-notebook';\nconst x = Tensor.from([[0.5, -1]]);\nconst model = new LSTM({ inputSize: 2, hiddenSize: 3 });",
      'let steps = 40;\nfunction double(n: number) { return 2 * n; }',
      '%whos\n%whos Tensor',
      'let progress = 0;\nfor (let k = 1; k <= 40; k++) {\n  progress = k;\n  await new Promise((r) => setTimeout(r, 100));\n}',
    ]);
    const view = await variablesView();
    await vscode.commands.executeCommand('lstm-notebook.showVariables');
    await waitFor(() => view.visible, 10_000, 'the Variables view to show');
    await waitFor(
      () => view.message === 'The kernel has not started: run a cell to see its variables.',
      10_000,
      `the view to say the kernel has not started (it says ${JSON.stringify(view.message)})`,
    );

    await runCells(notebook, 0);
    await waitFor(() => names(view) === 'model,x', 10_000, `model and x in the view (it has ${names(view)})`);
    // The imported classes are left out, and the view says so above its rows.
    assert.equal(view.message, '2 hidden: class (lstmNotebook.variables.hiddenTypes)');
    const x = view.rows.find((r) => r.name === 'x')!;
    assert.deepEqual(x, { name: 'x', type: 'Tensor', size: '[1, 2]', value: 'float32 [0.5000, -1.0000]' });
    const item = view.getTreeItem(x);
    assert.equal(item.label, 'x');
    assert.equal(item.description, 'Tensor [1, 2] · float32 [0.5000, -1.0000]');
    // An LSTM with I = 2, H = 3: 4 gates × 3 × (2 + 3) weights and two biases of 4 × 3.
    const model = view.rows.find((r) => r.name === 'model')!;
    assert.equal(model.size, `${4 * 3 * (2 + 3) + 2 * 4 * 3} params`);
    assert.equal(model.value, 'LSTM(2 → 3)');

    await runCells(notebook, 1);
    await waitFor(() => names(view) === 'model,steps,x', 10_000, `steps added (the view has ${names(view)})`);
    assert.equal(view.message, '3 hidden: class, function (lstmNotebook.variables.hiddenTypes)');
    await settings().update('hiddenTypes', ['Tensor'], vscode.ConfigurationTarget.Global);
    await waitFor(
      () => names(view) === 'LSTM,Tensor,double,model,steps',
      10_000,
      `classes and functions shown, tensors hidden (the view has ${names(view)})`,
    );
    assert.equal(view.message, '1 hidden: Tensor (lstmNotebook.variables.hiddenTypes)');
    await settings().update('hiddenTypes', undefined, vscode.ConfigurationTarget.Global);

    // %whos: every variable (functions and classes too), then only tensors.
    await runCells(notebook, 2);
    const firstWords = (output: vscode.NotebookCellOutput) =>
      new TextDecoder()
        .decode(output.items.find((i) => i.mime === 'text/plain')!.data)
        .split('\n')
        .map((line) => line.split(/\s+/)[0]);
    const [all, tensors] = notebook.cellAt(2).outputs;
    assert.deepEqual(firstWords(all), ['Variable', 'LSTM', 'Tensor', 'double', 'model', 'steps', 'x']);
    assert.deepEqual(firstWords(tensors), ['Variable', 'x']);
    assert.match(text(notebook.cellAt(2), 'text/html'), /<caption>6 variables<\/caption>/);

    // While a cell runs (awaiting between steps, as training does), the view follows it every second.
    const running = runCells(notebook, 3);
    const progress = () => Number(view.rows.find((r) => r.name === 'progress')?.value ?? NaN);
    await waitFor(
      () => progress() > 0 && progress() < 40,
      10_000,
      `progress between 1 and 39 while the cell runs (the view has ${JSON.stringify(view.rows.find((r) => r.name === 'progress'))})`,
    );
    await running;
    await waitFor(() => progress() === 40, 10_000, 'progress 40 once the cell ended');

    // Another notebook becomes active: its own (not yet started) kernel; back again: the first's rows.
    const other = await openNotebook(['const y = 1;']);
    await waitFor(
      () => view.rows.length === 0 && view.message?.startsWith('The kernel has not started') === true,
      10_000,
      'the view to follow the active notebook',
    );
    await runCells(other, 0);
    await waitFor(() => names(view) === 'y', 10_000, `y in the view (it has ${names(view)})`);
    await vscode.window.showNotebookDocument(notebook);
    await waitFor(() => names(view) === 'model,progress,steps,x', 10_000, `the first notebook's rows (${names(view)})`);

    await vscode.commands.executeCommand('lstm-notebook.restartKernel');
    await waitFor(
      () => view.rows.length === 0 && view.message === 'No variables yet: no cell has declared a top-level name.',
      20_000,
      `an empty view after the restart (rows ${names(view)}, message ${JSON.stringify(view.message)})`,
    );
  });

  it('typing % at the start of a line offers the magics, with what each does', async () => {
    const notebook = await openNotebook(['const a = 1;\n%wh\n%\nconst t = `\n%']);
    const cell = notebook.cellAt(0);
    const magicsAt = async (line: number, character: number) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        cell.document.uri,
        new vscode.Position(line, character),
      );
      return list.items.filter((i) => String(typeof i.label === 'string' ? i.label : i.label.label).startsWith('%'));
    };
    let found: vscode.CompletionItem[] = [];
    // The language worker starts with the notebook: ask until it answers.
    for (let k = 0; k < 60 && found.length === 0; k++) {
      found = await magicsAt(1, 3);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 500));
    }
    assert.deepEqual(
      found.map((i) => i.label),
      ['%whos'],
    );
    assert.match(String(found[0].detail), /the notebook's variables as a table/);
    assert.deepEqual((await magicsAt(2, 1)).map((i) => i.label).sort(), ['%npm install', '%npm uninstall', '%whos']);
    assert.deepEqual(await magicsAt(4, 1), [], 'inside a template literal a % line is text');
  });
});

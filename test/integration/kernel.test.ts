/**
 * The notebook controller inside a real VS Code (code-server here, @vscode/test-electron
 * elsewhere): offered for .ipynb, preferred by our kernelspec, runs cells with persistent
 * state and outputs, clears them (clearOutput), asks the reader (input), interrupts a hard loop keeping state, restarts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, errorOf, openNotebook, runCells, text, waitFor } from './notebook-helpers';

describe('LSTM (TypeScript) notebook controller', function () {
  this.timeout(120_000);

  it('is offered for .ipynb with TypeScript cells and preferred by the lstm-notebook kernelspec', async () => {
    const { controller } = await api();
    assert.equal(controller.controller.notebookType, 'jupyter-notebook');
    assert.deepEqual(controller.controller.supportedLanguages, ['typescript']);
    const selected = new Promise<vscode.NotebookDocument>((resolve) => {
      const listener = controller.controller.onDidChangeSelectedNotebooks((e) => {
        if (e.selected) {
          listener.dispose();
          resolve(e.notebook);
        }
      });
    });
    const notebook = await openNotebook(['1 + 1']);
    assert.equal((await selected).uri.toString(), notebook.uri.toString());
  });

  it('runs cells in one kernel: state persists, values, streams and errors are shown, order numbers count', async () => {
    const notebook = await openNotebook([
      "import { seed, LSTM } from 'lstm-notebook';\nseed(1);\nconst answer: number = 41;",
      "console.log('hello from the kernel');\nanswer + 1",
      'new LSTM({ inputSize: 2, hiddenSize: 3 })',
      "throw new RangeError('on purpose')",
    ]);
    await runCells(notebook, 0, 3);
    const [first, second, third, fourth] = notebook.getCells();
    assert.equal(first.executionSummary?.success, true);
    assert.equal(text(second, 'application/vnd.code.notebook.stdout'), 'hello from the kernel\n');
    assert.equal(text(second, 'text/plain'), '42');
    // A model shows its summary: an HTML table first (VS Code renders it), aligned text beside it.
    assert.match(text(third, 'text/html'), /<table class="lstm-summary">/);
    assert.match(text(third, 'text/plain'), /^LSTM\(2 → 3\) · float32 · \w+ engine$/m);
    assert.match(text(third, 'text/plain'), /^total +84$/m); // 12·2 + 12·3 + 12 + 12
    assert.deepEqual(
      [first, second, third].map((c) => c.executionSummary?.executionOrder),
      [1, 2, 3],
    );
    await runCells(notebook, 3);
    assert.equal(fourth.executionSummary?.success, false);
    const error = errorOf(fourth);
    assert.equal(error?.name, 'RangeError');
    assert.equal(error?.message, 'on purpose');
  });

  it('input() asks in an input box: accepting it gives its text, Escape gives null', async () => {
    const notebook = await openNotebook([
      "import { input } from 'lstm-notebook';\nconst answer = await input('Your name?');\nconsole.log(`got ${JSON.stringify(answer)}`);",
    ]);
    // The box is VS Code's own; the test answers it through VS Code's commands for it.
    for (const [command, expected] of [
      ['workbench.action.acceptSelectedQuickOpenItem', 'got ""'],
      ['workbench.action.closeQuickOpen', 'got null'],
    ]) {
      const ran = runCells(notebook, 0);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await vscode.commands.executeCommand(command);
      await ran;
      assert.equal(text(notebook.cellAt(0)), `${expected}\n`);
    }
  });

  it('clearOutput() clears the cell at once, or with wait when the next output arrives; a cleared display takes no update', async () => {
    const notebook = await openNotebook([
      [
        "console.log('old');",
        "const shown = display('shown before');",
        'clearOutput();',
        "console.log('new');",
        "shown.update('updated after the clear');",
      ].join('\n'),
      "console.log('old');\nclearOutput({ wait: true });\nawait new Promise((r) => setTimeout(r, 2000));\nconsole.log('new');",
    ]);
    await runCells(notebook, 0);
    assert.equal(text(notebook.cellAt(0)), 'new\n');
    const waiting = notebook.cellAt(1);
    void vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 1, end: 2 }],
      document: notebook.uri,
    });
    await waitFor(() => text(waiting) === 'old\n', 5_000, "'old' to be shown");
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(text(waiting), 'old\n', 'the outputs went before the next one arrived');
    await waitFor(() => waiting.executionSummary?.success === true, 10_000, 'the cell to end');
    assert.equal(text(waiting), 'new\n');
  });

  it('interrupts a hard loop within a second and keeps every variable', async () => {
    const notebook = await openNotebook(['let spins = 0;', 'while (true) { spins++ }', 'spins > 0']);
    await runCells(notebook, 0);
    const loop = notebook.cellAt(1);
    void vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 1, end: 2 }],
      document: notebook.uri,
    });
    await waitFor(
      () => loop.executionSummary === undefined || loop.executionSummary.success === undefined,
      5_000,
      'the loop to start',
    );
    await new Promise((r) => setTimeout(r, 500));
    const asked = Date.now();
    await vscode.commands.executeCommand('notebook.cancelExecution', { document: notebook.uri });
    await waitFor(() => loop.executionSummary?.success === false, 5_000, 'the loop to be interrupted');
    assert.ok(Date.now() - asked < 1500, `interrupt took ${Date.now() - asked} ms`);
    assert.equal(errorOf(loop)?.name, 'Interrupted');
    await runCells(notebook, 2);
    assert.equal(text(notebook.cellAt(2), 'text/plain'), 'true');
  });

  it('trains float32 models on the WebAssembly engine; interrupting the training loop stops it within a second and keeps the model', async () => {
    const notebook = await openNotebook([
      "import { getEngine, LSTM, Linear, train, tasks } from 'lstm-notebook';\nconst data = tasks.adding({ length: 40, count: 50000 });\nconst model = new LSTM({ inputSize: 2, hiddenSize: 96 });\nconst head = new Linear(96, 1);\n`${getEngine()} ${model.engine}`",
      'await train([model, head], data, { epochs: 50 });',
      "model.gradients().weight_hh_l0.shape.join(' × ')",
    ]);
    await runCells(notebook, 0);
    assert.equal(text(notebook.cellAt(0), 'text/plain'), "'wasm wasm'");
    const training = notebook.cellAt(1);
    void vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: 1, end: 2 }],
      document: notebook.uri,
    });
    await waitFor(
      () => training.executionSummary === undefined || training.executionSummary.success === undefined,
      5_000,
      'training to start',
    );
    await new Promise((r) => setTimeout(r, 1500));
    const asked = Date.now();
    await vscode.commands.executeCommand('notebook.cancelExecution', { document: notebook.uri });
    await waitFor(() => training.executionSummary?.success === false, 5_000, 'training to be interrupted');
    assert.ok(Date.now() - asked < 1500, `interrupt took ${Date.now() - asked} ms`);
    assert.equal(errorOf(training)?.name, 'Interrupted');
    await runCells(notebook, 2);
    assert.equal(text(notebook.cellAt(2), 'text/plain'), "'384 × 96'");
  });

  it('restarts the kernel from its command: variables are gone, order numbers start again', async () => {
    const notebook = await openNotebook(['const kept = 1;', 'typeof kept']);
    await runCells(notebook, 0, 2);
    assert.equal(text(notebook.cellAt(1), 'text/plain'), "'number'");
    await vscode.commands.executeCommand('lstm-notebook.restartKernel');
    await runCells(notebook, 1);
    assert.equal(text(notebook.cellAt(1), 'text/plain'), "'undefined'");
    assert.equal(notebook.cellAt(1).executionSummary?.executionOrder, 1);
  });
});

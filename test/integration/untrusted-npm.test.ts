/**
 * In an untrusted workspace (run by test/vscode/run-integration.mjs --untrusted) a `%npm
 * install` cell is refused, and the refusal says why: npm and packages' install scripts would run.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, errorOf, openNotebook, waitFor } from './notebook-helpers';

describe('%npm install in an untrusted workspace', function () {
  this.timeout(60_000);

  it('is refused with a sentence saying why', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite must run with workspace trust enforced');
    const { controller } = await api();
    const notebook = await openNotebook(['%npm install left-pad']);
    const cell = notebook.cellAt(0);
    await controller.controller.executeHandler([cell], notebook, controller.controller);
    await waitFor(() => cell.executionSummary?.success === false, 10_000, 'the refusal');
    const error = errorOf(cell);
    assert.equal(error?.name, 'UntrustedWorkspace');
    assert.equal(
      error?.message,
      "This workspace is not trusted, so LSTM Notebook installs no npm package in it: %npm runs npm, and the install scripts of the packages it fetches, in the notebook's folder. Trust the workspace to run cells.",
    );
  });
});

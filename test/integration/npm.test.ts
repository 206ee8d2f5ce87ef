/**
 * `%npm install` inside a real VS Code: a notebook saved in its own folder installs a local
 * package (a folder, no network) with one cell, and the next cell imports it; the type checker
 * shows no error on a %npm line.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, errorOf, openNotebook, runCells, text, waitFor } from './notebook-helpers';

describe('%npm install in a cell', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'lstm-notebook-npm-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('installs a local package into the notebook folder; the next cell imports it', async () => {
    // A folder installs by path (npm links it): no tarball needed.
    mkdirSync(join(dir, 'shouter'));
    writeFileSync(join(dir, 'shouter', 'index.js'), 'exports.shout = (s) => s.toUpperCase() + "!";');
    writeFileSync(join(dir, 'shouter', 'package.json'), '{ "name": "shouter", "version": "1.0.0" }');
    const folder = join(dir, 'notebook');
    mkdirSync(folder);
    const kernelspec = { name: 'lstm-notebook', display_name: 'LSTM (TypeScript)', language: 'typescript' };
    const sources = ['%npm install ../shouter', "import { shout } from 'shouter';\nshout('installed')"];
    const file = join(folder, 'npm.ipynb');
    writeFileSync(
      file,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec },
        cells: sources.map((source) => ({
          cell_type: 'code',
          metadata: {},
          source,
          outputs: [],
          execution_count: null,
        })),
      }),
    );
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'lstm-notebook', extension: EXTENSION_ID });
    await runCells(notebook, 0);
    const [install, use] = notebook.getCells();
    assert.equal(install.executionSummary?.success, true, JSON.stringify(errorOf(install)));
    assert.match(text(install), /added 1 package/);
    assert.equal(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).private, true);
    await runCells(notebook, 1);
    assert.equal(use.executionSummary?.success, true, JSON.stringify(errorOf(use)));
    assert.match(text(use, 'text/plain'), /INSTALLED!/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a %npm line shows no error; a type error below it shows on its own line, once', async () => {
    const notebook = await openNotebook(["%npm install left-pad\nconst n: number = 'text';"]);
    const uri = notebook.cellAt(0).document.uri;
    await waitFor(
      () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'lstm-notebook'),
      30_000,
      'the type error',
    );
    // Give VS Code's built-in TypeScript time to publish too: it leaves the cell to ours.
    await new Promise((r) => setTimeout(r, 1_500));
    const all = vscode.languages.getDiagnostics(uri);
    assert.deepEqual(
      all.map((d) => [d.source, d.code, d.range.start.line]),
      [['lstm-notebook', 2322, 1]],
      all.map((d) => `${d.source} ${String(d.code)} ${d.message}`).join('\n'),
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

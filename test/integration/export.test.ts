/**
 * "Export Notebook as HTML" inside VS Code: run on a notebook saved on disk with outputs (a
 * stream, an error, a chart with its SVG) and an unsaved edit, it writes `<name>.html` beside the
 * notebook, returns where, and the page holds the notebook as the editor shows it.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api } from './notebook-helpers';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><rect width="300" height="120"/></svg>';

describe('Export Notebook as HTML', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lstm-export-'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes <name>.html beside the notebook: code, markdown, streams, errors and the chart', async () => {
    await api();
    const file = join(dir, 'exported.ipynb');
    writeFileSync(
      file,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'lstm-notebook', display_name: 'LSTM (TypeScript)', language: 'typescript' } },
        cells: [
          { cell_type: 'markdown', metadata: {}, source: ['# Exported\n', 'with $c_t$'] },
          {
            cell_type: 'code',
            metadata: {},
            execution_count: 1,
            source: ['const loss = 0.25;\n', "console.log('<script>alert(1)</script>');"],
            outputs: [
              { output_type: 'stream', name: 'stdout', text: ['<script>alert(1)</script>\n'] },
              {
                output_type: 'display_data',
                metadata: {},
                data: {
                  'application/vnd.lstm-notebook.loss+json': { kind: 'loss', version: 1, points: [] },
                  'image/svg+xml': SVG,
                  'text/plain': 'Training loss',
                },
              },
              {
                output_type: 'error',
                ename: 'RangeError',
                evalue: 'too big',
                traceback: ['RangeError: too big', '    at Cell 2:1:1'],
              },
            ],
          },
        ],
      }),
    );
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    // An unsaved edit: the export takes the notebook as the editor holds it.
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [
      vscode.NotebookEdit.insertCells(2, [
        new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, 'An **unsaved** cell', 'markdown'),
      ]),
    ]);
    assert.ok(await vscode.workspace.applyEdit(edit));

    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('lstm-notebook.exportHtml');
    const expected = join(dir, 'exported.html');
    assert.equal(written?.fsPath, expected);
    assert.ok(existsSync(expected), `${expected} was not written`);
    const html = readFileSync(expected, 'utf8');
    assert.match(html, /<title>exported\.ipynb<\/title>/);
    assert.match(html, /<h1>Exported<\/h1>/);
    assert.match(html, /<math/);
    assert.match(html, /<span class="hljs-keyword">const<\/span> loss/);
    assert.match(html, /<pre class="stream stdout">&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.ok(!html.includes('<script'), 'a script element in the page');
    assert.match(
      html,
      /<figure class="chart" data-mime="application\/vnd\.lstm-notebook\.loss\+json"><img[^>]+src="data:image\/svg\+xml;base64,/,
    );
    assert.match(html, /<pre class="error">RangeError: too big\n {4}at Cell 2:1:1/);
    assert.match(html, /An <strong>unsaved<\/strong> cell/);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('lstm-notebook.exportHtml'));
  });
});

/**
 * "Export Notebook as HTML": the notebook as VS Code holds it (unsaved edits and outputs included)
 * as one self-contained page, written beside the notebook (`nb.ipynb` → `nb.html`), or where a
 * save dialog says for a notebook that has no file yet. The page is built by dist/export.js (the
 * same code as `lstm-notebook export`), loaded on the first export so the extension's own bundle
 * and activation stay small.
 */
import * as vscode from 'vscode';
import type { notebookHtml as NotebookHtml } from './export/main';

type ExportNotebook = Parameters<typeof NotebookHtml>[0];
type ExportOutput = NonNullable<ExportNotebook['cells'][number]['outputs']>[number];

const STDOUT = 'application/vnd.code.notebook.stdout';
const STDERR = 'application/vnd.code.notebook.stderr';
const ERROR = 'application/vnd.code.notebook.error';

export function registerExportHtml(exportBundle: string): vscode.Disposable {
  return vscode.commands.registerCommand('lstm-notebook.exportHtml', async (target?: unknown) => {
    const notebook = notebookOf(target);
    if (!notebook) {
      void vscode.window.showErrorMessage(
        'Export Notebook as HTML: open a notebook first; no notebook editor is active.',
      );
      return undefined;
    }
    let out: vscode.Uri | undefined;
    if (notebook.uri.scheme === 'untitled') {
      out = await vscode.window.showSaveDialog({
        title: 'Export Notebook as HTML',
        filters: { HTML: ['html'] },
        defaultUri: vscode.workspace.workspaceFolders?.[0]
          ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'notebook.html')
          : undefined,
      });
      if (!out) return undefined;
    } else out = notebook.uri.with({ path: notebook.uri.path.replace(/(\.ipynb)?$/i, '.html') });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { notebookHtml } = require(exportBundle) as { notebookHtml: typeof NotebookHtml };
    const name = notebook.uri.path.split('/').pop() ?? 'notebook';
    const html = notebookHtml(exportNotebook(notebook), { title: name });
    try {
      await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(html));
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Export Notebook as HTML: cannot write ${out.fsPath}: ${(error as Error).message}`,
      );
      return undefined;
    }
    const where = out.scheme === 'file' ? out.fsPath : out.toString();
    void vscode.window
      .showInformationMessage(`Exported ${name} as HTML to ${where}`, 'Open in Browser')
      .then((choice) => {
        if (choice) void vscode.env.openExternal(out);
      });
    return out;
  });
}

/** The notebook a command was run on: a URI given (the toolbar gives one), else the active editor's. */
function notebookOf(target: unknown): vscode.NotebookDocument | undefined {
  const uri =
    target instanceof vscode.Uri
      ? target
      : (target as { notebookEditor?: { notebookUri?: unknown } } | undefined)?.notebookEditor?.notebookUri;
  if (uri instanceof vscode.Uri)
    return vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri.toString());
  return vscode.window.activeNotebookEditor?.notebook;
}

/** VS Code's notebook as the nbformat cells and outputs the page is made from. */
function exportNotebook(notebook: vscode.NotebookDocument): ExportNotebook {
  const decoder = new TextDecoder();
  const metadata = notebook.metadata as { metadata?: Record<string, unknown> };
  return {
    metadata: metadata.metadata ?? {},
    cells: notebook.getCells().map((cell) => {
      const source = cell.document.getText();
      if (cell.kind === vscode.NotebookCellKind.Markup) return { cell_type: 'markdown', source };
      const count = cell.executionSummary?.executionOrder ?? null;
      const outputs = cell.outputs.map((output): ExportOutput => {
        const error = output.items.find((item) => item.mime === ERROR);
        if (error) {
          const { name, message, stack } = JSON.parse(decoder.decode(error.data)) as Record<string, string>;
          return {
            output_type: 'error',
            ename: name,
            evalue: message,
            traceback: (stack || `${name}: ${message}`).split('\n'),
          };
        }
        const stream = output.items.filter((item) => item.mime === STDOUT || item.mime === STDERR);
        if (stream.length)
          return {
            output_type: 'stream',
            name: stream[0].mime === STDERR ? 'stderr' : 'stdout',
            text: stream.map((item) => decoder.decode(item.data)).join(''),
          };
        const data: Record<string, unknown> = {};
        for (const item of output.items) {
          if (/^image\/(png|jpeg|gif)$/.test(item.mime)) data[item.mime] = Buffer.from(item.data).toString('base64');
          else if (/[/+]json$/.test(item.mime)) data[item.mime] = JSON.parse(decoder.decode(item.data));
          else data[item.mime] = decoder.decode(item.data);
        }
        const result = (output.metadata as { outputType?: string } | undefined)?.outputType === 'execute_result';
        return result
          ? { output_type: 'execute_result', execution_count: count, data }
          : { output_type: 'display_data', data };
      });
      const languageId = cell.document.languageId;
      return { cell_type: 'code', source, execution_count: count, metadata: { vscode: { languageId } }, outputs };
    }),
  };
}

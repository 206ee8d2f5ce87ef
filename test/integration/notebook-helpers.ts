/** Helpers for the integration tests: open a notebook with our kernel, run cells, read outputs. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'lstm-notebook.lstm-notebook';
const KERNELSPEC = { name: 'lstm-notebook', display_name: 'LSTM (TypeScript)', language: 'typescript' };

/** The extension's exports (activate's result); T names the part a test reads. */
export async function api<T = { controller: { controller: vscode.NotebookController } }>(): Promise<T> {
  const extension = vscode.extensions.getExtension<T>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

export async function openNotebook(sources: string[]): Promise<vscode.NotebookDocument> {
  const data = new vscode.NotebookData(
    sources.map((s) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, s, 'typescript')),
  );
  data.metadata = { metadata: { kernelspec: KERNELSPEC }, custom: { metadata: { kernelspec: KERNELSPEC } } };
  const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
  await vscode.window.showNotebookDocument(notebook);
  await vscode.commands.executeCommand('notebook.selectKernel', { id: 'lstm-notebook', extension: EXTENSION_ID });
  return notebook;
}

/** Runs cells [start, end) and waits until each has an execution summary newer than before. */
export async function runCells(notebook: vscode.NotebookDocument, start: number, end = start + 1): Promise<void> {
  const cells = notebook.getCells(new vscode.NotebookRange(start, end));
  const before = cells.map((c) => c.executionSummary?.timing?.endTime ?? 0);
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: notebook.uri });
  await waitFor(
    () =>
      cells.every(
        (c, k) => (c.executionSummary?.timing?.endTime ?? 0) > before[k] && c.executionSummary?.success !== undefined,
      ),
    30_000,
    `cells ${start}..${end - 1} to finish`,
  );
}

export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function text(cell: vscode.NotebookCell, mime?: string): string {
  const decoder = new TextDecoder();
  return cell.outputs
    .flatMap((o) => o.items)
    .filter((i) => !mime || i.mime === mime)
    .map((i) => decoder.decode(i.data))
    .join('');
}

export function errorOf(cell: vscode.NotebookCell): { name: string; message: string } | null {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === 'application/vnd.code.notebook.error');
  return item ? JSON.parse(new TextDecoder().decode(item.data)) : null;
}

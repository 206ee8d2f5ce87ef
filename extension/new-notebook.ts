/** LSTM Notebook: New Notebook — an untitled .ipynb whose kernelspec prefers our controller. */
import * as vscode from 'vscode';
import { KERNELSPEC_NAME } from './controller';

const NOTEBOOK_METADATA = {
  kernelspec: { name: KERNELSPEC_NAME, display_name: 'LSTM (TypeScript)', language: 'typescript' },
  language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
};

const FIRST_CELL = `import { seed, LSTM, Linear, Adam, train, tasks, plot } from 'lstm-notebook';

seed(7);`;

export async function newNotebook(): Promise<vscode.NotebookEditor> {
  const data = new vscode.NotebookData([
    new vscode.NotebookCellData(vscode.NotebookCellKind.Code, FIRST_CELL, 'typescript'),
  ]);
  data.metadata = { metadata: NOTEBOOK_METADATA, custom: { metadata: NOTEBOOK_METADATA } };
  const notebook = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
  return vscode.window.showNotebookDocument(notebook);
}

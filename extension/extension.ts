/**
 * Extension entry: thin wiring. The controller runs cells; commands create a notebook and
 * restart its kernel; the status bar shows the kernel's state for the active notebook.
 */
import * as vscode from 'vscode';
import { LstmController } from './controller';
import { newNotebook } from './new-notebook';
import { KernelStatusBar } from './status-bar';

export function activate(context: vscode.ExtensionContext): { controller: LstmController } {
  const controller = new LstmController(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath);
  context.subscriptions.push(
    controller,
    new KernelStatusBar(controller),
    vscode.commands.registerCommand('lstm-notebook.newNotebook', newNotebook),
    vscode.commands.registerCommand('lstm-notebook.restartKernel', async () => {
      const notebook = vscode.window.activeNotebookEditor?.notebook;
      if (notebook) await controller.restart(notebook);
    }),
  );
  return { controller };
}

export function deactivate(): void {}

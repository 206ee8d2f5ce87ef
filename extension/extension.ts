/**
 * Extension entry: thin wiring. The controller runs cells; commands create a notebook and
 * restart its kernel; the status bar shows the kernel's state for the active notebook, the
 * Variables view its variables; the
 * cells' language service (completions, hover, type errors) is registered here but its worker
 * starts only when an LSTM notebook is served.
 */
import * as vscode from 'vscode';
import { BuiltinTypeScript } from './builtin-typescript';
import { CellDebugger } from './debug-cell';
import { registerExportHtml } from './export-html';
import { LstmController } from './controller';
import { LanguageClient } from './language/client';
import { LanguageNotebooks } from './language-notebooks';
import { registerLanguageProviders } from './language-providers';
import { newNotebook } from './new-notebook';
import { KernelStatusBar } from './status-bar';
import { VariablesView } from './variables-view';

export function activate(context: vscode.ExtensionContext): {
  controller: LstmController;
  language: LanguageClient;
  variables: VariablesView;
} {
  const dist = (name: string) => vscode.Uri.joinPath(context.extensionUri, 'dist', name).fsPath;
  const controller = new LstmController(dist('worker.js'));
  let channel: vscode.LogOutputChannel | undefined;
  const warn = (message: string) => {
    channel ??= vscode.window.createOutputChannel('LSTM Notebook Language', { log: true });
    channel.warn(message);
  };
  const language = new LanguageClient(dist('language.js'), { typesDir: dist('types') }, warn);
  const notebooks = new LanguageNotebooks(controller, language, new BuiltinTypeScript(warn));
  const variables = new VariablesView(controller);
  context.subscriptions.push(
    controller,
    new KernelStatusBar(controller),
    variables,
    vscode.commands.registerCommand('lstm-notebook.showVariables', () => variables.show()),
    new CellDebugger(controller, context.extensionUri.fsPath),
    vscode.commands.registerCommand('lstm-notebook.newNotebook', newNotebook),
    registerExportHtml(dist('export.js')),
    vscode.commands.registerCommand('lstm-notebook.restartKernel', async () => {
      const notebook = vscode.window.activeNotebookEditor?.notebook;
      if (notebook) await controller.restart(notebook);
    }),
    notebooks,
    registerLanguageProviders(notebooks, language),
    language,
    { dispose: () => channel?.dispose() },
  );
  return { controller, language, variables };
}

export function deactivate(): void {}

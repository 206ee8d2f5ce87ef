/** The kernel state of the active notebook (idle / busy / restarting) in the status bar. */
import * as vscode from 'vscode';
import type { LstmController } from './controller';
import type { KernelState } from './kernel/session';

const ICONS: Record<KernelState, string> = {
  starting: '$(loading~spin)',
  idle: '$(circle-outline)',
  busy: '$(circle-filled)',
  restarting: '$(sync~spin)',
  disposed: '$(circle-slash)',
};

export class KernelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'lstm-notebook.kernelState',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly controller: LstmController) {
    this.item.name = 'LSTM kernel state';
    this.item.command = 'lstm-notebook.restartKernel';
    this.disposables = [
      this.item,
      controller.onDidChangeState(() => this.refresh()),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.refresh()),
    ];
    this.refresh();
  }

  refresh(): void {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const state = notebook ? this.controller.stateOf(notebook) : null;
    if (!state) {
      this.item.hide();
      return;
    }
    this.item.text = `${ICONS[state]} LSTM kernel: ${state}`;
    this.item.tooltip = 'State of the LSTM (TypeScript) kernel of this notebook. Click to restart it.';
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

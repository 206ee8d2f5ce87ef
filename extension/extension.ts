/**
 * Extension entry. Activation is thin wiring: the notebook controller, commands and kernel
 * sessions (issue 3) register here. Until then the extension contributes nothing and activates
 * only on its own command, so installing it costs nothing.
 */
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // The kernel controller is registered here by the notebook-kernel work (issue 3).
}

export function deactivate(): void {}

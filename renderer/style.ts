/** The renderer's own CSS, in VS Code's colours. */
export const STYLE = `
.lstm-chart { position: relative; color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family); }
.lstm-controls { display: flex; gap: 12px; align-items: center; font-size: 12px; margin: 2px 0 6px; }
.lstm-tooltip { position: absolute; pointer-events: none; padding: 3px 6px; font-size: 12px; white-space: pre;
  background: var(--vscode-editorHoverWidget-background, #f3f3f3); color: var(--vscode-editorHoverWidget-foreground, #333);
  border: 1px solid var(--vscode-editorHoverWidget-border, #c8c8c8); z-index: 10; }
.lstm-selection { font-size: 12px; margin: 2px 0 6px; }
.lstm-selection code { font-family: var(--vscode-editor-font-family, monospace); user-select: all; }
.lstm-text-span { outline: 2px solid var(--vscode-focusBorder, #0078d4); }
.lstm-error { padding: 6px 8px; white-space: pre-wrap; font-size: 12px;
  color: var(--vscode-errorForeground, #a1260d); border-left: 3px solid var(--vscode-errorForeground, #a1260d);
  background: var(--vscode-inputValidation-errorBackground, rgba(255, 0, 0, 0.06)); }
`;

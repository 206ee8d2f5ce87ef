/**
 * Notebook renderer entry (browser ESM). The chart renderers for the
 * application/vnd.lstm-notebook.*+json MIME types arrive with issue 4; until then every
 * payload is shown as text, never as HTML.
 */
import type { ActivationFunction } from 'vscode-notebook-renderer';

export const activate: ActivationFunction = () => ({
  renderOutputItem(item, element) {
    const pre = document.createElement('pre');
    pre.textContent = item.text();
    element.replaceChildren(pre);
  },
});

/**
 * Kernel outputs → VS Code notebook outputs. Rich bundles list the custom MIME type first, so
 * the chart renderer is chosen (VS Code keeps the items' order among types its display order does
 * not name, and takes the first it has a renderer for), then the fallbacks other clients use: the
 * vega-lite spec (Jupyter front ends, VS Code's Jupyter renderers), the SVG, the text.
 */
import * as vscode from 'vscode';
import { VEGA_LITE_MIME } from '../protocol/chart-payloads';
import type { CellError, MimeBundle } from '../protocol/kernel';

const FALLBACKS = [VEGA_LITE_MIME, 'image/svg+xml', 'text/plain'];

export function outputItems(bundle: MimeBundle): vscode.NotebookCellOutputItem[] {
  const mimes = Object.keys(bundle).sort((a, b) => FALLBACKS.indexOf(a) - FALLBACKS.indexOf(b));
  return mimes.map((mime) => {
    const data = bundle[mime];
    return typeof data === 'string'
      ? vscode.NotebookCellOutputItem.text(data, mime)
      : vscode.NotebookCellOutputItem.json(data, mime);
  });
}

export function errorItem(error: CellError): vscode.NotebookCellOutputItem {
  const e = new Error(error.message);
  e.name = error.name;
  e.stack = error.stack;
  return vscode.NotebookCellOutputItem.error(e);
}

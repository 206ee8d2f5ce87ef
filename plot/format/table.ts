/**
 * What the notebook's tables share (summaries, previews, a sweep's, findPattern's): escaping
 * (every piece of text goes through it; there is never a script), thousands separators, and a
 * plain HTML table in VS Code's theme colours (CSS variables the output webview defines for
 * light, dark and high-contrast). Their aligned text twin is the core's alignedText
 * (core/format/aligned-text.ts), which a sweep's own toString() uses too.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** 1234567 → "1,234,567". */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Text in the editor's foreground and font, rules in the widget border: readable in every theme. */
export const THEMED_TABLE_STYLE = (table: string): string =>
  [
    `.${table}{border-collapse:collapse;color:var(--vscode-editor-foreground);font-family:var(--vscode-editor-font-family,monospace);font-size:var(--vscode-editor-font-size,13px)}`,
    `.${table} th,.${table} td{padding:2px 10px;text-align:left;border-bottom:1px solid var(--vscode-editorWidget-border,var(--vscode-contrastBorder,currentColor))}`,
    `.${table} .n{text-align:right}`,
    `.${table} caption{text-align:left;font-weight:bold;padding:2px 10px}`,
  ].join('');

/** A titled table of text cells (no columns: the title alone). */
export function tableHtml(title: string, columns: string[] | null, rows: string[][] | null): string {
  const head = columns ? `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>` : '';
  const body = rows
    ? `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody>`
    : '';
  return `<style>${THEMED_TABLE_STYLE('lstm-table')}.lstm-excerpt{color:var(--vscode-editor-foreground);white-space:pre-wrap}</style><table class="lstm-table"><caption>${escapeHtml(title)}</caption>${head}${body}</table>`;
}

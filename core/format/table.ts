/**
 * What the HTML outputs of summaries and previews share: escaping (every piece of text goes
 * through it; there is never a script), thousands separators, and a plain table in VS Code's
 * theme colours (CSS variables the output webview defines for light, dark and high-contrast).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** 1234567 → "1,234,567". */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Lines of text in which the rows (arrays of cells) line up: each column as wide as its widest
 * cell, columns two spaces apart, those in `right` right-aligned (numbers). Strings pass as they are.
 */
export function alignedText(lines: (string | readonly string[])[], right: readonly number[]): string {
  const rows = lines.filter((l): l is readonly string[] => typeof l !== 'string');
  const width = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  const format = (row: readonly string[]) =>
    row
      .map((cell, k) => (right.includes(k) ? cell.padStart(width[k]) : cell.padEnd(width[k])))
      .join('  ')
      .trimEnd();
  return lines.map((l) => (typeof l === 'string' ? l : format(l))).join('\n');
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

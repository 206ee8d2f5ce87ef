/**
 * The text view as HTML: one row of the text per unit, each character's background the unit's
 * value at that step (Karpathy, Johnson & Fei-Fei 2015, "Visualizing and understanding recurrent
 * networks"). Pure string building from escaped text, shared by the renderer (which adds
 * selecting) and the kernel (text/html for clients without our renderer: GitHub, JupyterLab).
 */
import type { TextPayload } from '../protocol/chart-payloads';
import { colourTable, schemeFor } from './colours';
import { panelValues } from './panel-values';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** How a character shows: a newline as ↵ then the break, so rows keep the text's lines. */
const shownChar = (c: string) => (c === '\n' ? '↵\n' : c);

/** The HTML of the rows of `units` (default the payload's shown ones), with a caption. */
export function textViewHtml(p: TextPayload, units: readonly number[] = p.shown): string {
  const table = colourTable(schemeFor(p.range));
  const values = panelValues(p);
  const [lo, hi] = p.range;
  const T = p.tokens.length;
  const rows = units.map((u) => {
    const chars = p.tokens.map((c, t) => {
      const v = values[t * p.units + u] as number | null;
      const k =
        typeof v === 'number' && Number.isFinite(v)
          ? Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * 255)
          : -1;
      const [r, g, b] = k < 0 ? [128, 128, 128] : [table[3 * k], table[3 * k + 1], table[3 * k + 2]];
      // Dark backgrounds get light text (relative luminance, ITU-R BT.709 weights); the row's is black.
      const ink = 0.2126 * r + 0.7152 * g + 0.0722 * b < 110 ? ';color:#fff' : '';
      const hex = `#${[r, g, b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
      // Kept short: a 1,000-character sample in 6 rows is 6,000 of these in the saved notebook.
      const title = `${t}: ${typeof v === 'number' ? v.toFixed(3) : 'NaN'}`;
      return `<span data-t="${t}" title="${title}" style="background:${hex}${ink}">${escape(shownChar(c))}</span>`;
    });
    return `<div class="lstm-text-row" data-unit="${u}"><div class="lstm-text-unit">unit ${u}</div><div class="lstm-text-chars">${chars.join('')}</div></div>`;
  });
  const style =
    '.lstm-text-row{margin:4px 0}.lstm-text-unit{font-size:11px;opacity:.8}' +
    '.lstm-text-chars{font-family:var(--vscode-editor-font-family,monospace);white-space:pre-wrap;line-height:1.5;color:#000}';
  return `<style>${style}</style><div class="lstm-text-view"><div class="lstm-text-title">${escape(p.title)} · ${escape(p.label)}, ${T} steps, ${units.length} of ${p.units} units</div>${rows.join('')}</div>`;
}

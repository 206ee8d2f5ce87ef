/**
 * A sweep's ranked table as HTML, in VS Code's theme colours: the cells the core prints as text
 * (core/format/sweep.ts, SweepResults.toString()), as a table of escaped text.
 */
import type { SweepResults } from '../../core/index';
import { sweepTable } from '../../core/host';
import { tableHtml } from './table';

export function sweepHtml(r: SweepResults): string {
  const t = sweepTable(r);
  return tableHtml(t.title, t.columns, t.rows) + (t.note ? `<div class="lstm-note">${t.note}</div>` : '');
}

/**
 * A sweep's ranked table, as SweepResults.toString() prints it and a cell shows it (the live table
 * redraws it after each run): rank, variant, runs done, median / mean / best / worst test loss,
 * and the median accuracy and solved runs when there are any. Aligned text here; the notebook's
 * HTML of the same cells is plot/format/sweep.ts. Wall times are left out on purpose: a re-run
 * must give the same output.
 */
import type { SweepResults } from '../sweep-results';
import { alignedText } from './aligned-text';

/** The table's cells: its title, column headers, a row per variant, and a note when the sweep stopped early. */
export interface SweepTable {
  title: string;
  columns: string[];
  rows: string[][];
  note?: string;
}

/** 4 significant digits; a dash for no value yet. */
function num(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '–' : Number(x.toPrecision(4)).toString();
}

export function sweepTable(r: SweepResults): SweepTable {
  const accuracy = r.variants.some((v) => v.medianAccuracy !== undefined);
  const solved = r.solvedBelow !== undefined;
  const loss = r.loss ? `test loss (${r.loss})` : 'test loss';
  const columns = [
    'rank',
    'variant',
    'runs',
    `median ${loss}`,
    'mean',
    'best',
    'worst',
    ...(accuracy ? ['median accuracy'] : []),
    ...(solved ? [`solved (< ${r.solvedBelow})`] : []),
  ];
  const rows = r.variants.map((v) => [
    v.rank === null ? '–' : String(v.rank),
    v.name,
    `${v.runs.length}/${r.seeds.length}`,
    num(v.median),
    num(v.mean),
    num(v.min),
    num(v.max),
    ...(accuracy ? [num(v.medianAccuracy)] : []),
    ...(solved ? [v.runs.length ? String(v.solved) : '–'] : []),
  ]);
  const title = `Sweep: ${r.names.length} variant${r.names.length === 1 ? '' : 's'} × ${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'} × ${r.steps} steps · ${r.runs.length} of ${r.total} runs done`;
  return { title, columns, rows, note: r.stopped ? 'stopped before every run was done' : undefined };
}

/** Numbers right-aligned: every column but the variant's name. */
const NUMERIC = [0, 2, 3, 4, 5, 6, 7, 8];

export function sweepText(r: SweepResults): string {
  const t = sweepTable(r);
  return alignedText([t.title, t.columns, ...t.rows, ...(t.note ? [t.note] : [])], NUMERIC);
}

/**
 * Text tables: lines in which rows line up. The core prints a sweep's ranked table with it
 * (SweepResults.toString()); the notebook's tables (plot/format/) use it for their text twins.
 */

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

/**
 * TypeScript → JavaScript for one cell, with sucrase (pure JS, fast). Sucrase only strips
 * types and keeps every line where it was, so the rewritten cell's line numbers are the
 * cell's own and stacks need no source map. Imports are kept even when they look unused:
 * in a notebook, a later cell may use them.
 */
import { transform } from 'sucrase';

/** A syntax error located in the cell: line and column are 1-based. */
export class CellSyntaxError extends SyntaxError {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly sourceLine: string,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'SyntaxError';
  }
}

export function transpileCell(code: string): string {
  try {
    return transform(code, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true }).code;
  } catch (error) {
    // sucrase reports "Unexpected token (3:5)" with loc = { line, column }, column already 1-based.
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    if (!loc) throw error;
    const reason = String((error as Error).message).replace(/\s*\(\d+:\d+\)$/, '');
    throw syntaxErrorAt(code, reason, loc.line, loc.column);
  }
}

export function syntaxErrorAt(code: string, reason: string, line: number, column: number): CellSyntaxError {
  return new CellSyntaxError(reason, line, column, code.split('\n')[line - 1] ?? '');
}

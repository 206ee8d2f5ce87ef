/**
 * Error stacks as a user should read them: frames in the cell keep their cell line (the REPL
 * rewrite keeps lines), line-1 columns lose the wrapper's prefix, and frames inside the
 * engine, the bundled core and Node's internals are dropped.
 */
import type { CellError } from '../../protocol/kernel';
import type { CellSyntaxError } from './transpile';

export interface CellScript {
  filename: string;
  /** The rewrite's decoded source map (see rewrite.ts); empty when the cell never ran. */
  mappings: number[][][];
}

/** Frames from files under these paths are the engine's, not the user's. */
export function cellError(error: unknown, cell: CellScript, enginePaths: readonly string[]): CellError {
  if (!(error instanceof Error) && !(typeof error === 'object' && error !== null && 'message' in error)) {
    const text = describeThrown(error);
    return { name: 'Error', message: `Uncaught ${text}`, stack: `Uncaught ${text}` };
  }
  const e = error as Error;
  const name = e.name || 'Error';
  const message = String(e.message ?? '');
  const frames = String(e.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line));
  const kept = frames
    .filter((line) => !enginePaths.some((p) => line.includes(p)) && !/\(node:|at node:|\(<anonymous>\)$/.test(line))
    .map((line) => mapFrame(line, cell))
    .filter((line): line is string => line !== null);
  return { name, message, stack: [`${name}: ${message}`, ...kept].join('\n') };
}

export function syntaxError(error: CellSyntaxError, filename: string): CellError {
  const caret = `${' '.repeat(Math.max(0, error.column - 1))}^`;
  return {
    name: 'SyntaxError',
    message: `${error.reason} (${filename}, line ${error.line}, column ${error.column})`,
    stack: [
      `SyntaxError: ${error.reason}`,
      `    at ${filename}:${error.line}:${error.column}`,
      '',
      `    ${error.sourceLine}`,
      `    ${caret}`,
    ].join('\n'),
  };
}

/**
 * `at f (Cell 3:5:40)` → `at f (Cell 3:5:12)`: the script position mapped back through the
 * rewrite's source map to the cell's own line and column. Frames of the wrapper's closing
 * line (no cell position) are dropped.
 */
function mapFrame(line: string, cell: CellScript): string | null {
  const marker = `${cell.filename}:`;
  const at = line.indexOf(marker);
  if (at < 0) return line;
  const match = /^(\d+):(\d+)/.exec(line.slice(at + marker.length));
  if (!match) return line;
  const position = cellPosition(cell.mappings, Number(match[1]) - 1, Number(match[2]) - 1);
  if (!position) return null;
  return `${line.slice(0, at + marker.length)}${position.line + 1}:${position.column + 1}${line.slice(at + marker.length + match[0].length)}`;
}

/** The last mapped segment at or before the script column on that line. */
export function cellPosition(
  mappings: number[][][],
  line: number,
  column: number,
): { line: number; column: number } | null {
  const segments = mappings[line];
  if (!segments) return null;
  let best: number[] | null = null;
  for (const segment of segments) {
    if (segment.length < 4) continue;
    if (segment[0] <= column) best = segment;
    else break;
  }
  best ??= segments.find((segment) => segment.length >= 4) ?? null;
  return best ? { line: best[2], column: best[3] } : null;
}

function describeThrown(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * The kernel's input history, answering history_request as IPython does: `tail` (the last n
 * inputs), `range` (lines [start, stop) of a session) and `search` (a glob pattern with * and ?
 * over the whole input, the last n matches, optionally each input once). Kept in memory for the
 * kernel's life: one session, numbered 1; line numbers are execution counts.
 */
export interface HistoryQuery {
  hist_access_type?: unknown;
  output?: unknown;
  session?: unknown;
  start?: unknown;
  stop?: unknown;
  n?: unknown;
  pattern?: unknown;
  unique?: unknown;
}

/** [session, line, input] or, with output, [session, line, [input, output]]. */
export type HistoryEntry = [number, number, string | [string, string | null]];

interface Line {
  line: number;
  input: string;
  output: string | null;
}

const HISTORY_SESSION = 1;

export class History {
  private readonly lines: Line[] = [];

  add(line: number, input: string): void {
    this.lines.push({ line, input, output: null });
  }

  /** The text of the cell's result (execute_result's text/plain), shown with `output: true`. */
  setOutput(line: number, output: string): void {
    const entry = [...this.lines].reverse().find((l) => l.line === line);
    if (entry) entry.output = output;
  }

  inputs(): string[] {
    return this.lines.map((l) => l.input);
  }

  query(q: HistoryQuery): HistoryEntry[] {
    const picked = this.pick(q);
    return picked.map((l) => [HISTORY_SESSION, l.line, q.output === true ? [l.input, l.output] : l.input]);
  }

  private pick(q: HistoryQuery): Line[] {
    switch (q.hist_access_type) {
      case 'tail':
        return lastN(this.lines, q.n);
      case 'range': {
        // Session 0 or below counts back from the current one, as IPython's do; only this one exists.
        const session = typeof q.session === 'number' ? q.session : 0;
        if (session !== HISTORY_SESSION && session > 0) return [];
        if (session < 0) return [];
        const start = typeof q.start === 'number' ? q.start : 1;
        const stop = typeof q.stop === 'number' ? q.stop : Infinity;
        return this.lines.filter((l) => l.line >= start && l.line < stop);
      }
      case 'search': {
        const pattern = typeof q.pattern === 'string' ? q.pattern : '*';
        const glob = globToRegExp(pattern);
        let found = this.lines.filter((l) => glob.test(l.input));
        if (q.unique === true) {
          // Each input once, where it last ran.
          const last = new Map<string, Line>();
          for (const l of found) last.set(l.input, l);
          found = found.filter((l) => last.get(l.input) === l);
        }
        return lastN(found, q.n);
      }
      default:
        throw new Error(
          `expected hist_access_type "tail", "range" or "search", got ${JSON.stringify(q.hist_access_type)}`,
        );
    }
  }
}

function lastN<T>(list: T[], n: unknown): T[] {
  return typeof n === 'number' && n >= 0 ? list.slice(Math.max(0, list.length - n)) : list.slice();
}

/** SQLite's GLOB, as IPython searches: * any run, ? one character, [..] a class; the whole input must match. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        const body = pattern.slice(i + 1, close);
        source += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

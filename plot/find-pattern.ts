/**
 * LSTMVis's match view (Strobelt et al. 2018): given selected units, the places in a trace (or in
 * a model's run over a corpus) where the same units switch on together, ranked, with the text
 * around each. With n_t the number of the selection's units on (≥ threshold) at step t, a match
 * is a maximal run of steps with n_t ≥ minUnits; it scores the mean of n_t / |units| over the
 * run, ties broken by how close its length is to the selection's span, then by position.
 */
import { alignedText, checkInt, checkKeys, checkNumber, describe } from '../core/host';
import { tableHtml } from './format/table';
import { LstmError, RecurrentModel, type Trace } from '../core/index';
import type { MimeBundle } from '../protocol/kernel';
import { countOn } from '../protocol/selection';
import { checkTrace, pickLayer } from './builders';
import { quantityValues } from './selection';

/** The units to look for, and where: a Selection, or its parts. */
export interface PatternQuery {
  units: readonly number[];
  on?: string;
  layer?: number;
  direction?: 'forward' | 'reverse';
  threshold?: number;
  /** The selection's own span (and sample): marks the match that is the query, and sets the length ties prefer. */
  steps?: readonly [number, number];
  sample?: number;
}

export interface FindPatternOptions {
  /** How many of the units must be on at a step for it to be part of a match. Default all of them. */
  minUnits?: number;
  /** The best this many matches. Default 10. */
  top?: number;
  /** The text of each sample (one string per sample, a character a step), to show around each match. */
  text?: string | readonly string[];
  /** Characters of text shown before and after a match. Default 12. */
  context?: number;
}

/** One place where the units are on together. */
export interface PatternMatch {
  sample: number;
  /** from ≤ t < to */
  steps: [number, number];
  /** The mean fraction of the units on over the match, in (0, 1]. */
  score: number;
  /** Whether this is the selection's own span. */
  query: boolean;
  /** The text around it, the match between ⟦ and ⟧, when text was given. */
  context?: string;
}

/** The ranked matches; a cell shows them as a table. */
export class PatternMatches {
  constructor(
    readonly matches: PatternMatch[],
    /** What was searched for, for the table's title. */
    readonly description: string,
  ) {}

  private rows(): string[][] {
    return this.matches.map((m, k) => [
      String(k + 1),
      String(m.sample),
      m.steps[1] - m.steps[0] === 1 ? String(m.steps[0]) : `${m.steps[0]}–${m.steps[1] - 1}`,
      `${(100 * m.score).toFixed(0)} %${m.query ? ' (the selection)' : ''}`,
      m.context ?? '',
    ]);
  }

  private static readonly COLUMNS = ['rank', 'sample', 'steps', 'units on', 'context'];

  /** The table as aligned text. */
  toString(): string {
    return `${this.description}\n${alignedText([PatternMatches.COLUMNS, ...this.rows()], [0, 1])}`;
  }

  /** How a cell shows the matches: an HTML table and its text. */
  async toBundle(): Promise<MimeBundle> {
    return {
      'text/html': tableHtml(this.description, PatternMatches.COLUMNS, this.rows()),
      'text/plain': this.toString(),
    };
  }
}

const KEYS = ['minUnits', 'top', 'text', 'context'];

/**
 * Where else the units of a selection switch on together: in a trace, or in `{ model, input }`
 * (traced with model.traceOf). Ranked matches, with their text when `text` is given.
 * @example findPattern(trace, plot.selection() ?? selectUnits(trace, { steps: [12, 18] }), { text: sample })
 */
export function findPattern(source: unknown, query: PatternQuery, options: FindPatternOptions = {}): PatternMatches {
  const what = 'findPattern';
  const trace = traceOf(what, source);
  if (query === null || typeof query !== 'object' || !Array.isArray(query.units) || query.units.length === 0)
    throw new LstmError(
      `${what}: expected a selection (plot.selection(), selectUnits()) or { units: [3, 7], on: 'h' }, got ${describe(query)}`,
    );
  checkKeys(what, options, KEYS);
  const on = query.on ?? 'h';
  const layer = pickLayer(what, trace, query.layer ?? 0, query.direction ?? 'forward');
  const units = query.units.map((u) => checkInt(`${what}: units`, u, 0, trace.hiddenSize - 1));
  const threshold = checkNumber(`${what}: threshold`, query.threshold ?? 0.5);
  const minUnits = checkInt(`${what}: minUnits`, options.minUnits ?? units.length, 1, units.length);
  const top = checkInt(`${what}: top`, options.top ?? 10, 1);
  const context = checkInt(`${what}: context`, options.context ?? 12, 0);
  const texts = textsOf(what, options.text, trace);
  const span = query.steps ? query.steps[1] - query.steps[0] : null;

  const matches: PatternMatch[] = [];
  for (let b = 0; b < trace.batch; b++) {
    const counts = countOn(quantityValues(what, trace, on, layer, b), trace.steps, trace.hiddenSize, units, threshold);
    for (let t = 0; t < trace.steps;) {
      if (counts[t] < minUnits) {
        t++;
        continue;
      }
      const from = t;
      let sum = 0;
      for (; t < trace.steps && counts[t] >= minUnits; t++) sum += counts[t];
      const match: PatternMatch = {
        sample: b,
        steps: [from, t],
        score: sum / ((t - from) * units.length),
        query: query.steps !== undefined && (query.sample ?? 0) === b && from <= query.steps[0] && t >= query.steps[1],
      };
      if (texts) match.context = excerpt(texts[b], from, t, context);
      matches.push(match);
    }
  }
  const lengthGap = (m: PatternMatch) => (span === null ? 0 : Math.abs(m.steps[1] - m.steps[0] - span));
  matches.sort(
    (a, b) => b.score - a.score || lengthGap(a) - lengthGap(b) || a.sample - b.sample || a.steps[0] - b.steps[0],
  );
  const description = `Where ${on} unit${units.length === 1 ? '' : 's'} ${units.join(', ')} of layer ${layer.layer} ${minUnits === units.length ? 'are all' : `(${minUnits} or more) are`} on (≥ ${threshold}): ${matches.length} match${matches.length === 1 ? '' : 'es'}${matches.length > top ? `, the best ${top}` : ''}`;
  return new PatternMatches(matches.slice(0, top), description);
}

function traceOf(what: string, source: unknown): Trace {
  const s = source as { model?: unknown; input?: unknown };
  if (typeof source === 'object' && source !== null && s.model instanceof RecurrentModel)
    return s.model.traceOf(s.input as never);
  return checkTrace(what, source);
}

function textsOf(what: string, text: unknown, trace: Trace): readonly string[] | null {
  if (text === undefined) return null;
  const texts = typeof text === 'string' ? [text] : text;
  if (
    !Array.isArray(texts) ||
    texts.length !== trace.batch ||
    !texts.every((t) => typeof t === 'string' && [...t].length === trace.steps)
  )
    throw new LstmError(
      `${what}: text expected ${trace.batch} string${trace.batch === 1 ? '' : 's'} (one per sample) of ${trace.steps} characters (one per step), got ${describe(text)}`,
    );
  return texts;
}

/** `…before⟦match⟧after…`, newlines shown as ⏎. */
function excerpt(text: string, from: number, to: number, context: number): string {
  const chars = [...text].map((c) => (c === '\n' ? '⏎' : c));
  const start = Math.max(0, from - context);
  const end = Math.min(chars.length, to + context);
  return (
    (start > 0 ? '…' : '') +
    chars.slice(start, from).join('') +
    '⟦' +
    chars.slice(from, to).join('') +
    '⟧' +
    chars.slice(to, end).join('') +
    (end < chars.length ? '…' : '')
  );
}

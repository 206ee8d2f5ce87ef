/**
 * The embedded Reber grammar: Hochreiter & Schmidhuber 1997, "Long short-term memory", §5.1,
 * experiment 1 (after Reber 1967; Cleeremans, Servan-Schreiber & McClelland 1989; Fahlman 1991).
 *
 * Reber grammar, a finite automaton over B T S X P V E; at each state both arcs are taken
 * with probability 1/2:
 *
 *   B → s0     s0 ─T→ s1   s0 ─P→ s2
 *              s1 ─S→ s1   s1 ─X→ s3
 *              s2 ─T→ s2   s2 ─V→ s4
 *              s3 ─X→ s2   s3 ─S→ s5
 *              s4 ─P→ s3   s4 ─V→ s5
 *              s5 ─E→ end                 e.g. BTXSE, BPVVE, BTSSXXTVVE
 *
 * Embedded Reber grammar: B T <Reber string> T E  or  B P <Reber string> P E, each with
 * probability 1/2. The symbol after the inner string must repeat the second symbol, which
 * lies a whole inner string earlier: the long-time-lag part of the task.
 *
 * Dataset (next-symbol prediction): embedded strings are concatenated into one stream, which
 * is cut into `count` consecutive windows of `length` symbols. Inputs are one-hot over the 7
 * symbols in the order B T S X P V E (meta.symbols). Targets ('sequence', [N, T, 7], for
 * binary cross-entropy with logits) are multi-hot: 1 for each symbol the grammar allows next.
 * After a string's final E the next string begins, so the target there is {B}.
 * The paper counts a string as learned when, at every step, the output units of the legal next
 * symbols are the most active ones. A window may begin inside a string; the steps before the
 * model has seen that string's second symbol cannot know which of T/P closes it.
 */
import { pollInterrupt } from '../../interrupt';
import { LstmError, checkInt, describe } from '../../errors';
import { Rng } from '../../random';
import { Tensor } from '../../tensor';
import { allocate } from '../../dtype';
import { SequenceDataset } from '../dataset';
import { TaskOptions, resolveRng, taskSetup } from './common';

/** The 7 symbols of the Reber grammar, in one-hot column order: B T S X P V E. */
export const REBER_SYMBOLS = Object.freeze(['B', 'T', 'S', 'X', 'P', 'V', 'E'] as const);

/** Reber automaton: REBER[state] = the two (symbol, next state) arcs; state 5 only ends with E. */
const REBER: readonly (readonly [string, number])[][] = [
  [
    ['T', 1],
    ['P', 2],
  ],
  [
    ['S', 1],
    ['X', 3],
  ],
  [
    ['T', 2],
    ['V', 4],
  ],
  [
    ['X', 2],
    ['S', 5],
  ],
  [
    ['P', 3],
    ['V', 5],
  ],
];

/** One string of the Reber grammar, B…E (default generator: the global one). */
export function reberString(rng?: Rng): string {
  const r = resolveRng('reberString', { rng });
  let s = 'B';
  let state = 0;
  while (state !== 5) {
    const [sym, next] = REBER[state][r.int(2)];
    s += sym;
    state = next;
  }
  return s + 'E';
}

/** One string of the embedded Reber grammar: B T <Reber> T E or B P <Reber> P E. */
export function embeddedReberString(rng?: Rng): string {
  const r = resolveRng('embeddedReberString', { rng });
  const c = r.int(2) === 0 ? 'T' : 'P';
  return `B${c}${reberString(r)}${c}E`;
}

/**
 * The embedded automaton as a stream reader. States:
 *   'start' (expects B), 'outer' (T/P), 'open' (inner B), 0–5 (Reber states; 0 after the
 *   inner B), 'close' (the remembered T/P), 'last' (the final E), 'done' (a new B may follow).
 */
type EmbeddedState = { at: 'start' | 'outer' | 'open' | 'close' | 'last' | 'done' | number; outer: string };

/** The symbols legal after `state` (in a stream: after 'done' comes the next string's B). */
function legalNext(state: EmbeddedState): string {
  const at = state.at;
  if (at === 'start' || at === 'done' || at === 'open') return 'B';
  if (at === 'outer') return 'TP';
  if (at === 'close') return state.outer;
  if (at === 'last' || at === 5) return 'E';
  return REBER[at][0][0] + REBER[at][1][0];
}

/** The state after reading `sym`, or null if `sym` is illegal there. */
function step(state: EmbeddedState, sym: string): EmbeddedState | null {
  if (!legalNext(state).includes(sym)) return null;
  const at = state.at;
  if (at === 'start' || at === 'done') return { at: 'outer', outer: '' };
  if (at === 'outer') return { at: 'open', outer: sym };
  if (at === 'open') return { at: 0, outer: state.outer };
  if (at === 5) return { at: 'close', outer: state.outer };
  if (at === 'close') return { at: 'last', outer: state.outer };
  if (at === 'last') return { at: 'done', outer: state.outer };
  const arc = REBER[at].find(([s]) => s === sym)!;
  return { at: arc[1], outer: state.outer };
}

/** True when `s` is exactly one string of the embedded Reber grammar. */
export function isEmbeddedReber(s: string): boolean {
  if (typeof s !== 'string') return false;
  let state: EmbeddedState | null = { at: 'start', outer: '' };
  for (const sym of s) {
    if (state.at === 'done') return false;
    state = step(state, sym);
    if (state === null) return false;
  }
  return state.at === 'done';
}

/** True when `s` is exactly one string of the (plain) Reber grammar. */
export function isReber(s: string): boolean {
  return typeof s === 'string' && isEmbeddedReber(`BT${s}TE`);
}

/** Options of tasks.embeddedReber(): count, length, and rng or seed, dtype. */
export interface EmbeddedReberOptions extends TaskOptions {
  /** Symbols per window T ≥ 1. */
  length: number;
}

/**
 * Next-symbol prediction on the embedded Reber grammar (Hochreiter & Schmidhuber 1997, exp. 1):
 * a stream of embedded strings cut into `count` windows of `length` symbols. inputs [N, T, 7]
 * one-hot (REBER_SYMBOLS order), targets 'sequence' [N, T, 7] multi-hot: every symbol the grammar
 * allows next. Train with loss 'bce'.
 * @example const data = tasks.embeddedReber({ length: 30, count: 500, seed: 1 });
 * @throws {LstmError} unless count ≥ 1 and length ≥ 1 are integers; for an unknown option, or rng and seed together.
 */
export function embeddedReber(options: EmbeddedReberOptions): SequenceDataset {
  const { rng, dtype } = taskSetup('embeddedReber', options, ['length']);
  const N = checkInt('embeddedReber: count', options.count, 1);
  const T = checkInt('embeddedReber: length', options.length, 1);
  const V = REBER_SYMBOLS.length;
  const index = new Map(REBER_SYMBOLS.map((s, i) => [s as string, i]));
  let stream = '';
  let strings = 0;
  while (stream.length < N * T) {
    if ((strings & 1023) === 0) pollInterrupt();
    stream += embeddedReberString(rng);
    strings++;
  }
  const x = allocate(dtype, N * T * V, `tasks.embeddedReber: count ${N} × length ${T} × ${V} symbols`);
  const y = allocate(dtype, N * T * V);
  let state: EmbeddedState = { at: 'start', outer: '' };
  for (let k = 0; k < N * T; k++) {
    const next = step(state, stream[k]);
    if (next === null)
      throw new LstmError(
        `embeddedReber: internal error, generated stream rejected at ${k}: ${describe(stream.slice(0, k + 1))}`,
      );
    state = next;
    x[k * V + index.get(stream[k])!] = 1;
    for (const s of legalNext(state)) y[k * V + index.get(s)!] = 1;
  }
  return new SequenceDataset({
    name: `embedded Reber (T=${T})`,
    inputs: new Tensor(x, [N, T, V]),
    targets: new Tensor(y, [N, T, V]),
    target: 'sequence',
    meta: {
      task: 'embeddedReber',
      length: T,
      symbols: [...REBER_SYMBOLS],
      strings,
      text: stream.slice(0, N * T),
      loss: 'bce',
    },
  });
}

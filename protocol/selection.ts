/**
 * Selecting hidden units by example (LSTMVis, Strobelt et al. 2018): a span of steps and an
 * on-threshold pick the units that are on across the whole span and off just before and after
 * it. The renderer computes it while the reader drags across a heatmap, the kernel computes it
 * from a trace (selectUnits) — both with unitsOnAcross below, so a brushed selection and the
 * same selection re-run from its value name the same units. It travels renderer → kernel as a
 * SelectionMessage, checked by validateSelectionMessage like any payload.
 *
 * With v[t, u] the quantity's value at step t for unit u, a span [from, to) and padding
 * `before`, `after` (steps, clipped to the sequence), unit u is selected when
 *   v[t, u] ≥ threshold  for every from ≤ t < to,   and
 *   v[t, u] < threshold  for every from − before ≤ t < from and to ≤ t < to + after.
 */

/** What a selection says: where, which span, which threshold — and the units that it picks. */
export interface UnitSelection {
  /** The quantity: a gate key (LSTM i, f, g, o; GRU r, z, n), 'c' or 'h'. */
  on: string;
  layer: number;
  direction: 'forward' | 'reverse';
  /** The batch sample the span is in. */
  sample: number;
  /** The span, from ≤ t < to. */
  steps: [number, number];
  threshold: number;
  /** Steps just before and after the span where a selected unit must be off. */
  before: number;
  after: number;
  /** The selected units, ascending. */
  units: number[];
}

/** The span and threshold of a selection: what unitsOnAcross needs besides the values. */
export type SelectionRule = Pick<UnitSelection, 'steps' | 'threshold' | 'before' | 'after'>;

/**
 * The units on across the span and off around it, ascending. `values` is [T, U] time-major
 * (values[t · U + u]); a NaN is never on and never off, so it excludes its unit.
 */
export function unitsOnAcross(values: ArrayLike<number>, T: number, U: number, rule: SelectionRule): number[] {
  const [from, to] = rule.steps;
  const units: number[] = [];
  for (let u = 0; u < U; u++) {
    let ok = true;
    for (let t = Math.max(0, from); t < Math.min(T, to) && ok; t++) ok = values[t * U + u] >= rule.threshold;
    for (let t = Math.max(0, from - rule.before); t < from && ok; t++) ok = values[t * U + u] < rule.threshold;
    for (let t = to; t < Math.min(T, to + rule.after) && ok; t++) ok = values[t * U + u] < rule.threshold;
    if (ok) units.push(u);
  }
  return units;
}

/** Per step, how many of `units` are on (≥ threshold): the count track beneath a selection. */
export function countOn(
  values: ArrayLike<number>,
  T: number,
  U: number,
  units: readonly number[],
  threshold: number,
): number[] {
  const counts = new Array<number>(T).fill(0);
  for (let t = 0; t < T; t++) for (const u of units) if (values[t * U + u] >= threshold) counts[t]++;
  return counts;
}

/** renderer → kernel: the reader made (or cleared, selection null) a selection in a chart. */
export interface SelectionMessage {
  type: 'selection';
  selection: UnitSelection | null;
}

const isInt = (v: unknown, min = 0): v is number => Number.isInteger(v) && (v as number) >= min;

/** null when `message` is a well-formed SelectionMessage, else what is wrong with it. */
export function validateSelectionMessage(message: unknown): string | null {
  const m = message as SelectionMessage;
  if (typeof m !== 'object' || m === null || m.type !== 'selection')
    return `expected a message { type: 'selection', selection }, got ${shortJson(message)}`;
  if (m.selection === null) return null;
  const s = m.selection;
  if (typeof s !== 'object' || s === undefined) return `selection: expected an object or null, got ${shortJson(s)}`;
  if (typeof s.on !== 'string' || !/^[a-z]$/.test(s.on))
    return `selection.on: expected a gate key, 'c' or 'h', got ${shortJson(s.on)}`;
  if (!isInt(s.layer)) return `selection.layer: expected an integer ≥ 0, got ${shortJson(s.layer)}`;
  if (s.direction !== 'forward' && s.direction !== 'reverse')
    return `selection.direction: expected 'forward' or 'reverse', got ${shortJson(s.direction)}`;
  if (!isInt(s.sample)) return `selection.sample: expected an integer ≥ 0, got ${shortJson(s.sample)}`;
  if (!Array.isArray(s.steps) || s.steps.length !== 2 || !isInt(s.steps[0]) || !isInt(s.steps[1], s.steps[0] + 1))
    return `selection.steps: expected [from, to] with 0 ≤ from < to, got ${shortJson(s.steps)}`;
  if (typeof s.threshold !== 'number' || !Number.isFinite(s.threshold))
    return `selection.threshold: expected a finite number, got ${shortJson(s.threshold)}`;
  if (!isInt(s.before) || !isInt(s.after))
    return `selection.before and .after: expected integers ≥ 0, got ${shortJson([s.before, s.after])}`;
  if (!Array.isArray(s.units) || !s.units.every((u, k) => isInt(u) && (k === 0 || u > s.units[k - 1])))
    return `selection.units: expected ascending unit indices, got ${shortJson(s.units)}`;
  return null;
}

/** A selection as the code that makes it again from a trace: what a notebook keeps to re-run without the mouse. */
export function selectionCode(s: UnitSelection): string {
  const where = [
    `on: '${s.on}'`,
    s.layer ? `layer: ${s.layer}` : '',
    s.direction === 'reverse' ? `direction: 'reverse'` : '',
    s.sample ? `sample: ${s.sample}` : '',
    `steps: [${s.steps[0]}, ${s.steps[1]}]`,
    `threshold: ${s.threshold}`,
    s.before ? `before: ${s.before}` : '',
    s.after ? `after: ${s.after}` : '',
  ].filter(Boolean);
  return `selectUnits(trace, { ${where.join(', ')} })`;
}

function shortJson(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

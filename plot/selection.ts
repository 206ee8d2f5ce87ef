/**
 * Units selected by example, in the kernel: selectUnits(trace, …) applies the rule of
 * protocol/selection.ts to a trace, and plot.selection() hands the cells the last selection the
 * reader brushed in a chart (it arrives as a validated SelectionMessage). Both give a
 * Selection, which prints as the code that makes it again — so a notebook keeps the value and
 * re-runs without the mouse.
 */
import { checkInt, checkKeys, checkNumber, describe } from '../core/host';
import { LstmError, type LayerTrace, type Trace } from '../core/index';
import { checkTrace, pickLayer, quantitiesOf, quantityOf, sampleOf, type Quantity } from './builders';
import { selectionCode, unitsOnAcross, validateSelectionMessage, type UnitSelection } from '../protocol/selection';

/** What selectUnits() takes: the quantity, where in the trace, the span and the threshold. */
export interface SelectUnitsOptions {
  /** A gate key (LSTM i, f, g, o; GRU r, z, n), 'c' or 'h'. Default 'h'. */
  on?: string;
  /** Default 0. */
  layer?: number;
  /** Default 'forward'. */
  direction?: 'forward' | 'reverse';
  /** The batch sample. Default 0. */
  sample?: number;
  /** The span, from ≤ t < to. */
  steps: [number, number];
  /** On means ≥ threshold. Default 0.5. */
  threshold?: number;
  /** Steps before and after the span where a unit must be off. Default 0 each. */
  before?: number;
  after?: number;
}

/** A selection of units: where, the span and threshold, and the units (ascending). Prints as its code. */
export class Selection implements UnitSelection {
  readonly on: string;
  readonly layer: number;
  readonly direction: 'forward' | 'reverse';
  readonly sample: number;
  readonly steps: [number, number];
  readonly threshold: number;
  readonly before: number;
  readonly after: number;
  readonly units: number[];

  constructor(s: UnitSelection) {
    this.on = s.on;
    this.layer = s.layer;
    this.direction = s.direction;
    this.sample = s.sample;
    this.steps = [s.steps[0], s.steps[1]];
    this.threshold = s.threshold;
    this.before = s.before;
    this.after = s.after;
    this.units = s.units.slice();
  }

  /** The code that selects the same units from the same trace. */
  get code(): string {
    return selectionCode(this);
  }

  /** `3 units (4, 17, 30): selectUnits(trace, { on: 'h', steps: [12, 18], threshold: 0.5 })` */
  toString(): string {
    const n = this.units.length;
    return `${n} unit${n === 1 ? '' : 's'}${n ? ` (${this.units.join(', ')})` : ''}: ${this.code}`;
  }
}

const SELECT_KEYS = ['on', 'layer', 'direction', 'sample', 'steps', 'threshold', 'before', 'after'];

/** The [T, H] values of one quantity (a gate key, 'c' or 'h') of one layer and sample of a trace. */
export function quantityValues(
  what: string,
  trace: Trace,
  on: string,
  layer: LayerTrace,
  sample: number,
): Float64Array {
  return sampleOf(checkQuantity(what, trace, on, layer).x, sample);
}

/** Quantity `on` of the layer (quantityOf), or an error listing the ones it has. */
export function checkQuantity(what: string, trace: Trace, on: string, layer: LayerTrace): Quantity {
  const q = quantityOf(trace, layer, on);
  if (!q)
    throw new LstmError(
      `${what}: on expected one of ${[...new Set(quantitiesOf(layer))].map((n) => JSON.stringify(n)).join(', ')}, got ${describe(on)}`,
    );
  return q;
}

/**
 * The units on (≥ threshold) across steps [from, to) and off for `before` steps before and
 * `after` steps after it, in one quantity, layer and sample of a trace (LSTMVis's selection).
 * @example const sel = selectUnits(trace, { on: 'h', steps: [12, 18], threshold: 0.5, before: 2 });
 */
export function selectUnits(traceArg: unknown, options: SelectUnitsOptions): Selection {
  const what = 'selectUnits';
  const trace = checkTrace(what, traceArg);
  if (options === null || typeof options !== 'object')
    throw new LstmError(`${what}: expected options like { on: 'h', steps: [12, 18] }, got ${describe(options)}`);
  checkKeys(what, options, SELECT_KEYS);
  const on = options.on ?? 'h';
  const layerIndex = checkInt(`${what}: layer`, options.layer ?? 0, 0);
  const layer = pickLayer(what, trace, layerIndex, options.direction ?? 'forward');
  const sample = checkInt(`${what}: sample`, options.sample ?? 0, 0, trace.batch - 1);
  const steps = options.steps;
  if (!Array.isArray(steps) || steps.length !== 2)
    throw new LstmError(`${what}: steps expected [from, to] (from ≤ t < to), got ${describe(steps)}`);
  const from = checkInt(`${what}: steps[0]`, steps[0], 0, trace.steps - 1);
  const to = checkInt(`${what}: steps[1]`, steps[1], from + 1, trace.steps);
  const threshold = checkNumber(`${what}: threshold`, options.threshold ?? 0.5);
  const before = checkInt(`${what}: before`, options.before ?? 0, 0);
  const after = checkInt(`${what}: after`, options.after ?? 0, 0);
  const values = quantityValues(what, trace, on, layer, sample);
  const rule = { steps: [from, to] as [number, number], threshold, before, after };
  const units = unitsOnAcross(values, trace.steps, trace.hiddenSize, rule);
  return new Selection({ on, layer: layerIndex, direction: layer.direction, sample, ...rule, units });
}

/** The last selection brushed in a chart of this kernel (null: none, or cleared). */
let brushed: Selection | null = null;

/**
 * A selection message from the renderer (via the controller and the worker): validated, then
 * kept for plot.selection(). Returns what is wrong with it, or null.
 */
export function receiveSelection(message: unknown): string | null {
  const problem = validateSelectionMessage(message);
  if (problem) return problem;
  const { selection } = message as { selection: UnitSelection | null };
  brushed = selection ? new Selection(selection) : null;
  return null;
}

/** The last selection brushed in a chart, or null when there is none (a headless run, or before any brush). */
export function lastSelection(): Selection | null {
  return brushed;
}

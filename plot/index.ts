/**
 * The plot API cells use (`import { plot } from 'lstm-notebook'`), the live loss curve that
 * train(…, { plot: true }) draws, and the default chart of a cell's last value.
 */
import { LstmError, RecurrentModel, Tensor, type History } from '../core/index';
import { describe, median } from '../core/host';
import {
  gatesPayload,
  gradientsPayload,
  lossPayload,
  saturationPayload,
  statesPayload,
  tensorHeatmapPayload,
  type GatesOptions,
  type GradientsOptions,
  type LossOptions,
  type SaturationOptions,
  type StatesOptions,
} from './builders';
import { boxPayload, type BoxOptions } from './box';
import { Chart } from './chart-bundle';
import { comparePayload } from './compare';
import { textPayload, type TextOptions } from './text-view';
import { lastSelection, type Selection } from './selection';
import type { Series } from '../protocol/chart-payloads';
import type { PausedChartKind } from '../protocol/kernel';

export { Chart } from './chart-bundle';
export { selectUnits, receiveSelection } from './selection';
export { findPattern } from './find-pattern';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export const plot = {
  /** Heatmaps, time × unit, of every gate, the candidate, c_t and h_t of one layer and sample. */
  gates(trace: unknown, options?: GatesOptions): Chart {
    const p = gatesPayload(trace, options);
    return new Chart(
      p,
      `${p.title}: ${p.panels.map((x) => x.name).join(', ')} over ${count(p.steps, 'step')} × ${count(p.units, 'unit')}`,
    );
  },
  /** c_t and h_t of chosen units over time, and the PCA path of h_t. */
  states(trace: unknown, options?: StatesOptions): Chart {
    const p = statesPayload(trace, options);
    return new Chart(p, `${p.title}: units ${p.units.join(', ')} over ${count(p.steps, 'step')}`);
  },
  /** Train and validation loss against step: a history, a live curve, or several named runs. */
  loss(source: unknown, options?: LossOptions): Chart {
    const p = lossPayload(source instanceof LiveLoss ? source.series() : source, options);
    return new Chart(
      p,
      `${p.title}: ${p.series.map((s) => `${s.name} ${s.y.length ? s.y[s.y.length - 1].toPrecision(4) : '–'} after ${count(s.y.length, 'point')}`).join('; ')}`,
    );
  },
  /** Named series as lines — a forecast against the truth, say: { name, x, y } or { name, loss }. */
  series(runs: unknown, options: LossOptions = {}): Chart {
    return plot.loss(runs, { smoothing: 0, title: 'Series', xTitle: 'x', yTitle: 'y', ...options });
  },
  /** ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ against time lag, several models overlaid. */
  gradients(runs: unknown, options?: GradientsOptions): Chart {
    const p = gradientsPayload(runs, options);
    const summary = p.series
      .map(
        (s) =>
          `${s.name}: ${s.y[0].toExponential(1)} at lag 0, ${s.y[s.y.length - 1].toExponential(1)} at lag ${s.x[s.x.length - 1]}`,
      )
      .join('; ');
    return new Chart(p, `${p.title}: ${summary}`);
  },
  /**
   * What changed between two traces of the same shape (before and after an intervention, say):
   * after − before as heatmaps on a diverging scale, ±max |Δ| per panel.
   * @example plot.compare(before, model.forward(x, { trace: true }).trace)
   */
  compare(before: unknown, after: unknown, options?: GatesOptions): Chart {
    const { payload, largest } = comparePayload(before, after, options);
    return new Chart(
      payload,
      `${payload.title}: largest |Δ| ${largest.map(([n, m]) => `${n} ${m.toPrecision(3)}`).join(', ')}`,
    );
  },
  /**
   * The units last selected by brushing a gates chart (drag across steps; set the threshold and
   * the off-padding under the chart), or null when there is none — a headless run, say. The
   * selection prints as the selectUnits(…) call that makes it again, for the notebook to keep.
   * @example const sel = plot.selection() ?? selectUnits(trace, { on: 'h', steps: [12, 18] });
   */
  selection(): Selection | null {
    return lastSelection();
  },
  /**
   * The text a char-LM read, one row per unit, each character coloured by the unit's value there
   * (Karpathy et al. 2015); select a span of the text to pick the units on across it.
   * @example plot.text(trace, { text: sample, on: 'c', units: [17, 42] })
   */
  text(trace: unknown, options: TextOptions): Chart {
    const p = textPayload(trace, options);
    return new Chart(
      p,
      `${p.title}: ${p.label} of units ${p.shown.join(', ')} over ${count(p.tokens.length, 'character')}`,
    );
  },
  /** Per gate unit, the fraction of steps left- (< 0.1) and right-saturated (> 0.9). */
  saturation(trace: unknown, options?: SaturationOptions): Chart {
    const p = saturationPayload(trace, options);
    return new Chart(p, `${p.title}: ${count(p.points.unit.length, 'gate unit')}`);
  },
  /** One box (min–max, quartiles, median) and the dots of every value per group: a sweep's test losses per variant. */
  box(source: unknown, options?: BoxOptions): Chart {
    const p = boxPayload(source, options);
    const summary = p.groups.map((g) => `${g.name} median ${median(g.values).toPrecision(4)} of ${g.values.length}`);
    return new Chart(p, `${p.title}: ${summary.join('; ')}`);
  },
};

/** The loss curve of a running train(): steps and validation points arrive as training goes. */
export class LiveLoss {
  private readonly train = { x: [] as number[], y: [] as number[] };
  private readonly validation = { x: [] as number[], y: [] as number[] };

  pushStep(step: number, loss: number): void {
    this.train.x.push(step);
    this.train.y.push(loss);
  }

  pushValidation(step: number, loss: number): void {
    this.validation.x.push(step);
    this.validation.y.push(loss);
  }

  /** The curve so far (copies: a chart made now does not grow with training): train, and validation once it has a point. */
  series(): Series[] {
    const copy = (name: string, s: { x: number[]; y: number[] }) => ({ name, x: s.x.slice(), y: s.y.slice() });
    return [copy('train', this.train), ...(this.validation.x.length ? [copy('validation', this.validation)] : [])];
  }

  chart(options: LossOptions = {}): Chart {
    return plot.loss(this.series(), { title: 'Training loss', ...options });
  }
}

function isTrace(v: unknown): boolean {
  const t = v as { layers?: unknown; steps?: unknown; gateLabels?: unknown };
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(t.layers) &&
    typeof t.steps === 'number' &&
    typeof t.gateLabels === 'object'
  );
}

function isHistory(v: unknown): v is History {
  const h = v as History;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(h.steps) &&
    Array.isArray(h.epochs) &&
    typeof h.stopped === 'string'
  );
}

function isGradNorms(v: unknown): boolean {
  const g = v as { layers?: unknown; filled?: unknown };
  return typeof v === 'object' && v !== null && Array.isArray(g.layers) && g.filled === true;
}

/**
 * A 2-D tensor gets a heatmap beside its printed values once it has more values than a screen
 * shows (20 rows of 10), up to a million (beyond that the saved notebook would carry megabytes).
 */
const HEATMAP_MIN = 200;
const HEATMAP_MAX = 1_000_000;

/**
 * A cell whose value is a trace shows its gates; a history its loss; gradient norms their flow;
 * a large finite 2-D tensor a heatmap, with its printed values as the text.
 */
export function defaultChart(value: unknown): Chart | null {
  if (value instanceof RecurrentModel) return null; // models describe themselves as text
  if (value instanceof Tensor)
    return value.shape.length === 2 &&
      value.size > HEATMAP_MIN &&
      value.size <= HEATMAP_MAX &&
      value.data.every(Number.isFinite)
      ? new Chart(tensorHeatmapPayload(value), value.toString())
      : null;
  if (isTrace(value)) return plot.gates(value);
  if (isHistory(value) && value.steps.length > 0) return plot.loss(value);
  if (isGradNorms(value)) return plot.gradients(value);
  return null;
}

/**
 * The gates or the state trajectories of a value the user picked in a paused debugger (Debug
 * Cell): a trace, a forward result that carries one, or a model, whose last input is run again
 * with its current weights (traceLastInput). Synchronous, as a paused thread runs nothing
 * asynchronous. Anything else is refused with what would work instead.
 */
export function pausedChart(value: unknown, kind: PausedChartKind): Chart {
  if (kind !== 'gates' && kind !== 'states')
    throw new LstmError(`a paused cell's chart: expected 'gates' or 'states', got ${describe(kind)}`);
  const draw = (trace: unknown, title?: string) =>
    kind === 'gates' ? plot.gates(trace, { title }) : plot.states(trace, { title });
  if (isTrace(value)) return draw(value);
  const result = value as { trace?: unknown; output?: unknown } | null;
  if (typeof value === 'object' && result !== null && isTrace(result.trace)) return draw(result.trace);
  if (value instanceof RecurrentModel) {
    const trace = value.traceLastInput();
    if (!trace)
      throw new LstmError(
        `${value.toString()} has not run forward yet: its ${kind} show once model.forward(x) (or train) has run`,
      );
    return draw(trace, `${value.toString()} ${kind} on its last input (current weights), layer 0, sample 0`);
  }
  if (typeof value === 'object' && result !== null && 'output' in result)
    throw new LstmError(
      `this forward result has no trace: run model.forward(x, { trace: true }) to record the ${kind}, or show the model`,
    );
  throw new LstmError(
    `the ${kind} of a paused cell: expected a model, a trace, or a forward result made with { trace: true }, got ${describe(value)}`,
  );
}

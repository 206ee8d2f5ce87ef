/**
 * The live charts of a notebook's train(): the loss curve (`plot: true`), and with
 * `plot: { gates: probe }` a gate heatmap and a saturation chart of the probe batch, traced
 * before training, every `every` optimizer steps and after the last step. Each chart is one
 * display updated in place, sent without its SVG until the cell ends (Displays' `live`).
 * Displays sends at most ten updates a second and builds a chart only
 * when its update goes out (updateLazy), so at any `every` the payloads cost at most ten builds a
 * second; a trace overtaken by a newer one before it is sent costs its forward only.
 */
import { LstmError, type RecurrentModel, type Trainable } from '../../core/index';
import { checkInt, checkKeys, describe, unpackTrainable } from '../../core/host';
import type { Displays } from './display';
import type { NotebookPlotOptions } from './train-options';
import type { ChartLike } from './value-bundle';

/** Steps between two traces of the probe when `every` is not given: one forward of the probe per 50 steps. */
const DEFAULT_EVERY = 50;

/** What the chart module (plot/) gives train() for its live charts. */
export interface TrainPlotCharts {
  LiveLoss: new () => {
    pushStep(step: number, loss: number): void;
    pushValidation(step: number, loss: number): void;
    chart(): ChartLike;
  };
  LiveGates: new (
    model: RecurrentModel,
    probe: unknown,
    options: { layer?: number; sample?: number },
    what: string,
  ) => { capture(step: number): { gates(): ChartLike; saturation(): ChartLike | null } };
}

const PLOT_KEYS = ['gates', 'every', 'layer', 'sample', 'loss'];

/**
 * Checks train()'s `plot` option and shows its charts (the probe's as before training), or
 * returns null when nothing is to be drawn. Every check runs before the first training step.
 */
export function startTrainPlot(
  plot: unknown,
  modules: Trainable,
  displays: Displays,
  charts: TrainPlotCharts | null,
): TrainPlot | null {
  if (plot === undefined || plot === false) return null;
  if (plot !== true && (typeof plot !== 'object' || plot === null || Array.isArray(plot)))
    throw new LstmError(
      `train: option plot expected true, false or { gates: probe, every, layer, sample, loss }, got ${describe(plot)}`,
    );
  if (!charts) throw new LstmError('train: option plot needs the chart renderer, which this kernel was built without');
  if (plot === true) return new TrainPlot(displays, new charts.LiveLoss(), null, DEFAULT_EVERY);
  checkKeys('train: plot', plot, PLOT_KEYS);
  const o = plot as Partial<NotebookPlotOptions>;
  if (o.loss !== undefined && typeof o.loss !== 'boolean')
    throw new LstmError(`train: plot.loss: expected true or false, got ${describe(o.loss)}`);
  const every = checkInt('train: plot.every', o.every ?? DEFAULT_EVERY, 1);
  const [model] = unpackTrainable('train', modules);
  const gates = new charts.LiveGates(model, o.gates, { layer: o.layer, sample: o.sample }, 'train: plot');
  return new TrainPlot(displays, o.loss === false ? null : new charts.LiveLoss(), gates, every);
}

type Loss = InstanceType<TrainPlotCharts['LiveLoss']>;
type Gates = InstanceType<TrainPlotCharts['LiveGates']>;

export class TrainPlot {
  private readonly lossId: string | null = null;
  private readonly gatesId: string | null = null;
  private readonly saturationId: string | null = null;
  private traced = 0;

  constructor(
    private readonly displays: Displays,
    private readonly loss: Loss | null,
    private readonly gates: Gates | null,
    private readonly every: number,
  ) {
    if (loss) this.lossId = displays.display(loss.chart(), { live: true }).id;
    if (gates) {
      const before = gates.capture(0);
      this.gatesId = displays.display(before.gates(), { live: true }).id;
      const saturation = before.saturation(); // null for a vanilla RNN: no sigmoid gates
      if (saturation) this.saturationId = displays.display(saturation, { live: true }).id;
    }
  }

  /** After optimizer step `step` (from 1). */
  step(step: number, loss: number): void {
    if (this.loss && this.lossId) {
      this.loss.pushStep(step, loss);
      this.redrawLoss();
    }
    if (step % this.every === 0) this.capture(step);
  }

  validation(step: number, loss: number): void {
    if (this.loss && this.lossId) {
      this.loss.pushValidation(step, loss);
      this.redrawLoss();
    }
  }

  /** Once training returns: the probe after the last step, unless that step was just traced. */
  end(lastStep: number): void {
    if (lastStep !== this.traced) this.capture(lastStep);
  }

  private redrawLoss(): void {
    const loss = this.loss!;
    this.displays.updateLazy(this.lossId!, () => loss.chart());
  }

  private capture(step: number): void {
    if (!this.gates || !this.gatesId) return;
    this.traced = step;
    // The trace is taken now (the weights change with the next step); its charts when sent.
    const snapshot = this.gates.capture(step);
    this.displays.updateLazy(this.gatesId, () => snapshot.gates());
    if (this.saturationId) this.displays.updateLazy(this.saturationId, () => snapshot.saturation());
  }
}

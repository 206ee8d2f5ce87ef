/**
 * The live charts of a notebook's train(): the loss curve (`plot: true`), and with
 * `plot: { gates: probe }` a gate heatmap and a saturation chart of the probe batch, traced
 * before training, every `every` optimizer steps and after the last step. Each chart is one
 * display updated in place, sent without its SVG until the cell ends (Displays' `live`).
 * Displays sends at most ten updates a second and builds a chart only
 * when its update goes out (updateLazy), so at any `every` the payloads cost at most ten builds a
 * second; a trace overtaken by a newer one before it is sent costs its forward only.
 */
import { LstmError, type Trainable } from '../../core/index';
import { checkInt, checkKeys, describe, unpackTrainable } from '../../core/host';
import type { LiveLoss } from '../../plot/index';
import type { LiveGates } from '../../plot/live-gates';
import type { ChartModule } from './chart-module';
import type { Displays } from './display';
import type { NotebookPlotOptions } from './train-options';

/** Steps between two traces of the probe when `every` is not given: one forward of the probe per 50 steps. */
const DEFAULT_EVERY = 50;

const PLOT_KEYS = ['gates', 'every', 'layer', 'sample', 'loss'];

/**
 * Checks train()'s `plot` option and shows its charts (the probe's as before training), or
 * returns null when nothing is to be drawn. Every check runs before the first training step.
 */
export function startTrainPlot(
  plot: unknown,
  modules: Trainable,
  displays: Displays,
  charts: Pick<ChartModule, 'LiveLoss' | 'LiveGates'>,
): TrainPlot | null {
  if (plot === undefined || plot === false) return null;
  if (plot !== true && (typeof plot !== 'object' || plot === null || Array.isArray(plot)))
    throw new LstmError(
      `train: option plot expected true, false or { gates: probe, every, layer, sample, loss }, got ${describe(plot)}`,
    );
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

export class TrainPlot {
  /** The loss curve and its display, when drawn. */
  private readonly loss: { curve: LiveLoss; id: string } | null = null;
  /** The probe's charts and their displays (saturation: none for a vanilla RNN, which has no sigmoid gates). */
  private readonly gates: { live: LiveGates; id: string; saturationId: string | null } | null = null;
  private traced = 0;

  constructor(
    private readonly displays: Displays,
    loss: LiveLoss | null,
    gates: LiveGates | null,
    private readonly every: number,
  ) {
    if (loss) this.loss = { curve: loss, id: displays.display(loss.chart(), { live: true }).id };
    if (gates) {
      const before = gates.capture(0);
      const id = displays.display(before.gates(), { live: true }).id;
      const saturation = before.saturation();
      const saturationId = saturation ? displays.display(saturation, { live: true }).id : null;
      this.gates = { live: gates, id, saturationId };
    }
  }

  /** After optimizer step `step` (from 1). */
  step(step: number, loss: number): void {
    if (this.loss) {
      this.loss.curve.pushStep(step, loss);
      this.redrawLoss(this.loss);
    }
    if (step % this.every === 0) this.capture(step);
  }

  validation(step: number, loss: number): void {
    if (this.loss) {
      this.loss.curve.pushValidation(step, loss);
      this.redrawLoss(this.loss);
    }
  }

  /** Once training returns: the probe after the last step, unless that step was just traced. */
  end(lastStep: number): void {
    if (lastStep !== this.traced) this.capture(lastStep);
  }

  private redrawLoss({ curve, id }: { curve: LiveLoss; id: string }): void {
    this.displays.updateLazy(id, () => curve.chart());
  }

  private capture(step: number): void {
    if (!this.gates) return;
    const { live, id, saturationId } = this.gates;
    this.traced = step;
    // The trace is taken now (the weights change with the next step); its charts when sent.
    const snapshot = live.capture(step);
    this.displays.updateLazy(id, () => snapshot.gates());
    if (saturationId) this.displays.updateLazy(saturationId, () => snapshot.saturation());
  }
}

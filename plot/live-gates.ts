/**
 * Gate telemetry while training (train(…, { plot: { gates: probe } }) in a notebook): a fixed
 * probe batch is traced with the model's current weights now and then (model.traceOf, which
 * changes neither the model's carried state nor any random generator, so training runs exactly
 * as it would without it), and each trace becomes a gate heatmap and a saturation chart.
 *
 * The charts of a snapshot are built only when asked for: the kernel asks when it actually sends
 * an update (at most ten a second), so snapshots overtaken by newer ones cost a forward only.
 * A heatmap panel is the probe's steps × the model's units; past LIVE_GATES_MAX_VALUES per panel
 * the probe is refused rather than downsampled, because averaging boxes of units hides exactly
 * the one saturated or dead unit a user watches for.
 */
import { LstmError, RecurrentModel, Tensor, type Trace } from '../core/index';
import { checkInt, describe } from '../core/host';
import type { Chart } from './chart-bundle';
import { plot } from './index';

/** Values per heatmap panel (steps × units) a live update may carry: 128 steps of 128 units. */
const LIVE_GATES_MAX_VALUES = 16_384;

export interface LiveGatesOptions {
  /** The layer whose gates are drawn (default 0). */
  layer?: number;
  /** The probe sample whose gates are drawn (default 0). The saturation chart counts every sample. */
  sample?: number;
}

/** One trace of the probe and its charts, built on demand. */
export interface GatesSnapshot {
  gates(): Chart;
  /** null for a model with no sigmoid gates (a vanilla RNN): there is no saturation to show. */
  saturation(): Chart | null;
}

export class LiveGates {
  private readonly probe: Tensor;
  private readonly layer: number;
  private readonly sample: number;

  /** Checks the probe against the model; `what` prefixes the errors (the option's name). */
  constructor(
    private readonly model: RecurrentModel,
    probe: unknown,
    options: LiveGatesOptions,
    what: string,
  ) {
    if (!(model instanceof RecurrentModel))
      throw new LstmError(`${what}: expected a recurrent model, got ${describe(model)}`);
    this.probe = checkProbe(model, probe, `${what}.gates`);
    this.layer = checkInt(`${what}.layer`, options.layer ?? 0, 0, model.numLayers - 1);
    const batch = this.probe.shape[model.batchFirst ? 0 : 1];
    this.sample = checkInt(`${what}.sample (a sample of the probe batch)`, options.sample ?? 0, 0, batch - 1);
  }

  /** Traces the probe with the weights as they are now, `step` optimizer steps into training. */
  capture(step: number): GatesSnapshot {
    const trace: Trace = this.model.traceOf(this.probe);
    const when = step === 0 ? 'before training' : `after step ${step}`;
    const where = `layer ${this.layer}, sample ${this.sample}`;
    return {
      gates: () =>
        plot.gates(trace, {
          layer: this.layer,
          sample: this.sample,
          title: `Gates of the probe batch ${when} — ${where}`,
        }),
      saturation: () =>
        trace.kind === 'rnn'
          ? null
          : plot.saturation(trace, { title: `Gate saturation of the probe batch ${when} (< 0.1 left, > 0.9 right)` }),
    };
  }
}

/** The probe as a Tensor of the model's dtype and input layout, small enough to send often. */
function checkProbe(model: RecurrentModel, probe: unknown, what: string): Tensor {
  const I = model.inputSize;
  const layout = model.batchFirst ? `[B, T, I=${I}] (batchFirst)` : `[T, B, I=${I}]`;
  if (!(probe instanceof Tensor))
    throw new LstmError(`${what}: expected the probe batch, a Tensor of shape ${layout}, got ${describe(probe)}`);
  if (probe.shape.length !== 3 || probe.shape[2] !== I || probe.shape[0] === 0 || probe.shape[1] === 0)
    throw new LstmError(`${what}: expected the probe batch of shape ${layout}, got [${probe.shape.join(', ')}]`);
  if (probe.dtype !== model.dtype)
    throw new LstmError(
      `${what}: the model is ${model.dtype} but the probe is ${probe.dtype}; convert it with probe.clone('${model.dtype}')`,
    );
  if (!probe.data.every(Number.isFinite))
    throw new LstmError(`${what}: expected a probe of finite values, got NaN or ±∞ in it`);
  const steps = probe.shape[model.batchFirst ? 1 : 0];
  const values = steps * model.hiddenSize;
  if (values > LIVE_GATES_MAX_VALUES) {
    const fits = Math.floor(LIVE_GATES_MAX_VALUES / model.hiddenSize);
    throw new LstmError(
      `${what}: expected at most ${LIVE_GATES_MAX_VALUES} values per gate panel (steps × units), got ${steps} steps × ${model.hiddenSize} units = ${values}; ${fits > 0 ? `use a probe of at most ${fits} steps` : 'this model has too many units for a live heatmap'}`,
    );
  }
  return probe;
}

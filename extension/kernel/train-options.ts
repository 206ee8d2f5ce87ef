/**
 * train()'s options in a notebook: the core's, plus what to draw while training. The cells'
 * declarations (scripts/build-types.mjs) re-export these very types, so what the editor shows
 * and what the kernel accepts cannot drift apart.
 */
import type { Tensor, TrainOptions } from '../../core/index';

/** `plot: { gates: probe }`: gate telemetry of a fixed probe batch beside the loss curve. */
export interface NotebookPlotOptions {
  /**
   * The probe batch: a fixed input in the model's layout ([T, B, I], or [B, T, I] when batchFirst)
   * and dtype. It is traced in eval mode (model.traceOf: no dropout, no random numbers, the
   * carried state untouched, so training runs exactly as without it) before training, every
   * `every` steps and after the last step; its gate heatmap and saturation chart update in place.
   * At most 16,384 steps × units per heatmap panel (128 steps of 128 units).
   */
  gates: Tensor;
  /** Optimizer steps between two traces of the probe (each costs one forward of it). Default 50. */
  every?: number;
  /** The layer whose gates the heatmap shows. Default 0. */
  layer?: number;
  /** The probe sample whose gates the heatmap shows (the saturation chart counts them all). Default 0. */
  sample?: number;
  /** Also draw the loss curve. Default true. */
  loss?: boolean;
}

/** train()'s options in a notebook: the core's, plus live charts. */
export interface NotebookTrainOptions extends TrainOptions {
  /**
   * Draw the loss curve in the cell's output, updated in place while training runs (`true`);
   * `{ gates: probe, every }` adds a gate heatmap and a saturation chart of the probe batch.
   */
  plot?: boolean | NotebookPlotOptions;
}

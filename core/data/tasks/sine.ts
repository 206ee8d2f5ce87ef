/**
 * Time-series windows: random sine waves (a synthetic forecasting task) and sliding windows
 * over any series (for real data, e.g. a CSV column from csvSeries).
 *
 * sineWaves, per sequence n, with f ~ U(fmin, fmax) cycles per step, φ ~ U(0, 2π),
 * ε_t ~ N(0, 1) independent and σ = noise:
 *   s_t = sin(2π f t + φ) + σ ε_t,   t = 0 … T
 *   input  [s_0 … s_{T−1}]  ([N, T, 1]),   target s_T  ('last', [N, 1])
 * Baselines: predicting 0 gives MSE E[sin²] + σ² = 1/2 + σ² (meta.baselineMse); no predictor
 * beats σ² (meta.noiseMse), the variance of the noise on the target.
 *
 * windows(series, { window: W, horizon: H, step: S }), for n = 0 … N − 1 with
 * N = ⌊(len − W − H) / S⌋ + 1:
 *   inputs[n, t, 0] = series[n S + t]        t < W
 *   targets[n, h]   = series[n S + W + h]    h < H              ('last', [N, H])
 */
import { pollInterrupt } from '../../interrupt';
import { LstmError, checkInt, checkKeys, checkNumber, describe } from '../../errors';
import { DType, allocate, checkDType, getDefaultDType } from '../../dtype';
import { Tensor } from '../../tensor';
import { SequenceDataset } from '../dataset';
import { TaskOptions, taskSetup } from './common';

/** Options of tasks.sineWaves(): count, length, noise, frequency, and rng or seed, dtype. */
export interface SineWavesOptions extends TaskOptions {
  /** T ≥ 1 input steps. */
  length: number;
  /** σ ≥ 0: standard deviation of Gaussian noise on every value (default 0). */
  noise?: number;
  /** [fmin, fmax] in cycles per step, 0 ≤ fmin ≤ fmax ≤ 0.5 (default [1/40, 1/8]: periods 8–40 steps). */
  frequency?: readonly [number, number];
}

/**
 * Forecast the next value of a random sine wave: s_t = sin(2π f t + φ) + σ ε_t, f ~ U(fmin, fmax)
 * cycles per step, φ ~ U(0, 2π). inputs [N, T, 1] (s_0 … s_{T−1}), targets 'last' [N, 1] (s_T).
 * Baselines: meta.baselineMse = 1/2 + σ² (predicting 0), meta.noiseMse = σ² (the floor).
 * @example const data = tasks.sineWaves({ length: 40, count: 1000, noise: 0.05, seed: 1 });
 * @throws {LstmError} unless count ≥ 1 and length ≥ 1 are integers, noise ≥ 0 and 0 ≤ fmin ≤ fmax ≤ 0.5; for an unknown option, or rng and seed together.
 */
export function sineWaves(options: SineWavesOptions): SequenceDataset {
  const { rng, dtype } = taskSetup('sineWaves', options, ['length', 'noise', 'frequency']);
  const N = checkInt('sineWaves: count', options.count, 1);
  const T = checkInt('sineWaves: length', options.length, 1);
  const sigma = checkNumber('sineWaves: noise', options.noise ?? 0, 0);
  const freq = options.frequency ?? [1 / 40, 1 / 8];
  if (!Array.isArray(freq) || freq.length !== 2)
    throw new LstmError(`sineWaves: frequency expected [min, max] in cycles per step, got ${describe(freq)}`);
  const fmin = checkNumber('sineWaves: frequency[0]', freq[0], 0, 0.5);
  const fmax = checkNumber('sineWaves: frequency[1]', freq[1], fmin, 0.5);
  const x = allocate(dtype, N * T, `tasks.sineWaves: count ${N} × length ${T}`);
  const y = allocate(dtype, N);
  for (let n = 0; n < N; n++) {
    if ((n & 1023) === 0) pollInterrupt();
    const f = rng.uniform(fmin, fmax);
    const phi = rng.uniform(0, 2 * Math.PI);
    for (let t = 0; t <= T; t++) {
      let v = Math.sin(2 * Math.PI * f * t + phi);
      if (sigma > 0) v += sigma * rng.normal();
      if (t < T) x[n * T + t] = v;
      else y[n] = v;
    }
  }
  return new SequenceDataset({
    name: `sine waves (T=${T}${sigma > 0 ? `, noise ${sigma}` : ''})`,
    inputs: new Tensor(x, [N, T, 1]),
    targets: new Tensor(y, [N, 1]),
    target: 'last',
    meta: {
      task: 'sineWaves',
      length: T,
      noise: sigma,
      frequency: [fmin, fmax],
      baselineMse: 0.5 + sigma * sigma,
      noiseMse: sigma * sigma,
      loss: 'mse',
    },
  });
}

/** Options of tasks.windows(): window, horizon, step, name, dtype. */
export interface WindowsOptions {
  /** W ≥ 1 input steps per window. */
  window: number;
  /** H ≥ 1 values to predict after each window (default 1). */
  horizon?: number;
  /** S ≥ 1 steps between window starts (default 1). */
  step?: number;
  /** The dataset's name. Default `windows (W=…, H=…)`. */
  name?: string;
  /** The tensors' dtype. Default getDefaultDType(). */
  dtype?: DType;
}

/**
 * Sliding windows over one series, for forecasting real data (a CSV column from csvSeries, say):
 * window n holds series[n·S … n·S + W − 1] and its targets the next H values. N = ⌊(len − W − H) / S⌋ + 1;
 * inputs [N, W, 1], targets 'last' [N, H].
 * @example const data = tasks.windows(SEATTLE_TEMP_MAX, { window: 30 }); // [N, 30, 1] → next day's °C
 * @throws {LstmError} for a series that is not an array of finite numbers or is shorter than W + H,
 * window, horizon or step not integers ≥ 1, an unknown option or a bad dtype.
 */
export function windows(series: ArrayLike<number>, options: WindowsOptions): SequenceDataset {
  if (series === null || typeof series !== 'object' || typeof series.length !== 'number') {
    throw new LstmError(
      `windows: series expected an array of numbers (or a Float64Array from csvSeries), got ${describe(series)}`,
    );
  }
  if (options === null || typeof options !== 'object')
    throw new LstmError(`windows: expected options such as { window: 20 }, got ${describe(options)}`);
  checkKeys('windows', options, ['window', 'horizon', 'step', 'name', 'dtype']);
  const W = checkInt('windows: window', options.window, 1);
  const H = checkInt('windows: horizon', options.horizon ?? 1, 1);
  const S = checkInt('windows: step', options.step ?? 1, 1);
  const dtype = options.dtype === undefined ? getDefaultDType() : checkDType(options.dtype);
  const len = series.length;
  for (let i = 0; i < len; i++) {
    if (typeof series[i] !== 'number' || !Number.isFinite(series[i]))
      throw new LstmError(`windows: series expected finite numbers, got ${describe(series[i])} at index ${i}`);
  }
  if (len < W + H)
    throw new LstmError(
      `windows: a window of ${W} plus a horizon of ${H} needs a series of at least ${W + H} values, got ${len}`,
    );
  const N = Math.floor((len - W - H) / S) + 1;
  const x = allocate(dtype, N * W, `tasks.windows: count ${N} × window ${W}`);
  const y = allocate(dtype, N * H);
  for (let n = 0; n < N; n++) {
    if ((n & 1023) === 0) pollInterrupt();
    for (let t = 0; t < W; t++) x[n * W + t] = series[n * S + t];
    for (let h = 0; h < H; h++) y[n * H + h] = series[n * S + W + h];
  }
  return new SequenceDataset({
    name: options.name ?? `windows (W=${W}, H=${H})`,
    inputs: new Tensor(x, [N, W, 1]),
    targets: new Tensor(y, [N, H]),
    target: 'last',
    meta: { task: 'windows', window: W, horizon: H, step: S, seriesLength: len, loss: 'mse' },
  });
}

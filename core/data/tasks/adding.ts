/**
 * The adding problem, in the form of Le, Jaitly & Hinton 2015 ("A simple way to initialize
 * recurrent networks of rectified linear units", §4.1) and Arjovsky, Shah & Bengio 2016
 * ("Unitary evolution recurrent neural networks", §4.2); a simplification of Hochreiter &
 * Schmidhuber 1997, experiment 4 (whose values lie in [−1, 1] and whose target is scaled).
 *
 * Each sequence has T steps of two channels:
 *   x[t, 0] ~ U(0, 1)                  independent values
 *   x[t, 1] = 1 at exactly two steps, 0 elsewhere: p1 uniform in the first half
 *             [0, ⌊T/2⌋), p2 uniform in the second half [⌊T/2⌋, T)
 * Target ('last', [N, 1]): y = x[p1, 0] + x[p2, 0].
 *
 * Baseline: always predicting E[y] = 1 gives MSE Var(y) = 2 · Var(U(0,1)) = 2/12 = 1/6 ≈ 0.167
 * (meta.baselineMse). The papers count a model as solving the task when its MSE falls well
 * below that line.
 */
import { pollInterrupt } from '../../interrupt';
import { checkInt } from '../../errors';
import { Tensor } from '../../tensor';
import { allocate } from '../../dtype';
import { SequenceDataset } from '../dataset';
import { TaskOptions, taskSetup } from './common';

/** Options of tasks.adding(): count, length, and rng or seed, dtype. */
export interface AddingOptions extends TaskOptions {
  /** T ≥ 2: steps per sequence. */
  length: number;
}

/**
 * The adding problem (Le et al. 2015; Arjovsky et al. 2016): T steps of two channels, a value
 * U(0, 1) and a marker that is 1 at two steps, one in each half; the target is the sum of the two
 * marked values. inputs [N, T, 2], targets 'last' [N, 1]. meta.baselineMse = 1/6 (predicting 1).
 * @example const data = tasks.adding({ length: 50, count: 1000, seed: 1 });
 * @throws {LstmError} unless count ≥ 1 and length ≥ 2 are integers; for an unknown option, or rng and seed together.
 */
export function adding(options: AddingOptions): SequenceDataset {
  const { rng, dtype } = taskSetup('adding', options, ['length']);
  const N = checkInt('adding: count', options.count, 1);
  const T = checkInt('adding: length', options.length, 2);
  const half = Math.floor(T / 2);
  const x = allocate(dtype, N * T * 2, `tasks.adding: count ${N} × length ${T} × 2 inputs`);
  const y = allocate(dtype, N);
  for (let n = 0; n < N; n++) {
    if ((n & 1023) === 0) pollInterrupt();
    const base = n * T * 2;
    for (let t = 0; t < T; t++) x[base + 2 * t] = rng.random();
    const p1 = rng.int(half);
    const p2 = half + rng.int(T - half);
    x[base + 2 * p1 + 1] = 1;
    x[base + 2 * p2 + 1] = 1;
    // The sum of the values as stored (float32 rounding included), so target = sum exactly.
    y[n] = x[base + 2 * p1] + x[base + 2 * p2];
  }
  return new SequenceDataset({
    name: `adding (T=${T})`,
    inputs: new Tensor(x, [N, T, 2]),
    targets: new Tensor(y, [N, 1]),
    target: 'last',
    meta: { task: 'adding', length: T, baselineMse: 1 / 6, loss: 'mse' },
  });
}

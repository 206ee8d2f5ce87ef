/**
 * The copying memory problem: Arjovsky, Shah & Bengio 2016, "Unitary evolution recurrent
 * neural networks", §4.1 (after Hochreiter & Schmidhuber 1997).
 *
 * Paper (10 categories a0…a9, copy length 10, delay T): the input has T + 20 entries: 10
 * drawn uniformly with replacement from a0…a7, then T − 1 blanks a8, one delimiter a9, then
 * 10 blanks. The output is T + 10 blanks followed by the 10 drawn categories in order; the
 * loss is the mean cross-entropy over all T + 20 steps.
 *
 * Here, with K = symbols, C = copyLength and D = delay ≥ 1, classes are K + 2:
 *   0 blank, 1…K data, K + 1 delimiter
 * and each sequence has D + 2C steps:
 *   input   d_1 … d_C | 0 × (D − 1) | K+1 | 0 × C          (one-hot over K + 2)
 *   target  0 × (D + C)                   | d_1 … d_C      (class indices, 'sequence')
 * with d_i uniform on 1…K. K = 8, C = 10 is the paper's setting.
 *
 * Baseline (the paper's memoryless strategy): predict blank for the first D + C steps and a
 * uniform guess over the K data symbols for the last C, cross-entropy
 *   C · ln K / (D + 2C)                                        (meta.baselineCrossEntropy)
 */
import { pollInterrupt } from '../../interrupt';
import { checkInt } from '../../errors';
import { Tensor } from '../../tensor';
import { allocate } from '../../dtype';
import { SequenceDataset } from '../dataset';
import { TaskOptions, taskSetup } from './common';

/** Options of tasks.copyMemory(): count, delay, symbols, copyLength, and rng or seed, dtype. */
export interface CopyMemoryOptions extends TaskOptions {
  /** D ≥ 1: steps from the end of the data to the delimiter, which ends the wait. */
  delay: number;
  /** K ≥ 1 data symbols (default 8). */
  symbols?: number;
  /** C ≥ 1 symbols to copy (default 10). */
  copyLength?: number;
}

/**
 * The copying memory problem (Arjovsky et al. 2016): C data symbols, a wait of D steps, a
 * delimiter, then the model must output the C symbols in order. Classes K + 2 (0 blank, 1…K data,
 * K + 1 delimiter); inputs [N, D + 2C, K + 2] one-hot, targets 'sequence' class indices [N, D + 2C].
 * Baseline cross-entropy C · ln K / (D + 2C).
 * @example const data = tasks.copyMemory({ delay: 20, count: 1000, seed: 1 });
 * @throws {LstmError} unless count, delay, symbols and copyLength are integers ≥ 1; for an unknown option, or rng and seed together.
 */
export function copyMemory(options: CopyMemoryOptions): SequenceDataset {
  const { rng, dtype } = taskSetup('copyMemory', options, ['delay', 'symbols', 'copyLength']);
  const N = checkInt('copyMemory: count', options.count, 1);
  const D = checkInt('copyMemory: delay', options.delay, 1);
  const K = checkInt('copyMemory: symbols', options.symbols ?? 8, 1);
  const C = checkInt('copyMemory: copyLength', options.copyLength ?? 10, 1);
  const L = D + 2 * C;
  const V = K + 2;
  const x = allocate(dtype, N * L * V, `tasks.copyMemory: count ${N} × length ${L} × ${V} symbols`);
  const y = allocate(dtype, N * L);
  for (let n = 0; n < N; n++) {
    if ((n & 1023) === 0) pollInterrupt();
    const row = n * L;
    for (let t = 0; t < L; t++) x[(row + t) * V] = 1; // blank everywhere, overwritten below
    for (let i = 0; i < C; i++) {
      const d = 1 + rng.int(K);
      x[(row + i) * V] = 0;
      x[(row + i) * V + d] = 1;
      y[row + D + C + i] = d;
    }
    const delim = row + C + D - 1;
    x[delim * V] = 0;
    x[delim * V + K + 1] = 1;
  }
  return new SequenceDataset({
    name: `copy memory (delay=${D}, copy=${C}, symbols=${K})`,
    inputs: new Tensor(x, [N, L, V]),
    targets: new Tensor(y, [N, L]),
    target: 'sequence',
    classes: V,
    meta: {
      task: 'copyMemory',
      delay: D,
      copyLength: C,
      symbols: K,
      length: L,
      blank: 0,
      delimiter: K + 1,
      baselineCrossEntropy: (C * Math.log(K)) / L,
      loss: 'crossEntropy',
    },
  });
}

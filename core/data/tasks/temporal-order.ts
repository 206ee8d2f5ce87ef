/**
 * The temporal order problem: Hochreiter & Schmidhuber 1997, "Long short-term memory", §5.6,
 * experiment 6a ("two relevant, widely separated symbols").
 *
 * Paper: sequences over {a, b, c, d, B, E, X, Y} begin with B and end with E; all other
 * elements are drawn at random from {a, b, c, d}, except two elements at positions t1 and t2
 * that are X or Y. Sequence length is random in [100, 110], t1 in [10, 20], t2 in [50, 60].
 * The class is fixed by the temporal order of X and Y: X,X → Q; X,Y → R; Y,X → S; Y,Y → U.
 *
 * Here the length L is fixed (so sequences batch without padding) and the relevant positions
 * scale with it, counted from 0 with B at step 0:
 *   t1 uniform in [⌊0.1 L⌋, ⌊0.2 L⌋],  t2 uniform in [⌊0.5 L⌋, ⌊0.6 L⌋]   (L = 100: 10–20, 50–60)
 * Symbols are one-hot over 8 in the order a b c d X Y B E (meta.symbols).
 * Target ('last', class indices [N], 4 classes): 0 = XX, 1 = XY, 2 = YX, 3 = YY
 *   class = 2 · [symbol at t1 is Y] + [symbol at t2 is Y]     (meta.classNames)
 *
 * Baseline: without memory of the two symbols the best is the uniform guess, cross-entropy
 * ln 4 ≈ 1.386 and accuracy 0.25 (meta.baselineCrossEntropy, meta.baselineAccuracy).
 */
import { pollInterrupt } from '../../interrupt';
import { checkInt } from '../../errors';
import { Tensor } from '../../tensor';
import { allocate } from '../../dtype';
import { SequenceDataset } from '../dataset';
import { TaskOptions, taskSetup } from './common';

/** The 8 one-hot input symbols of tasks.temporalOrder, in column order: a b c d X Y B E. */
export const TEMPORAL_ORDER_SYMBOLS = Object.freeze(['a', 'b', 'c', 'd', 'X', 'Y', 'B', 'E'] as const);
/** The 4 class names of tasks.temporalOrder, by index: 0 XX, 1 XY, 2 YX, 3 YY. */
export const TEMPORAL_ORDER_CLASSES = Object.freeze(['XX', 'XY', 'YX', 'YY'] as const);

/** Options of tasks.temporalOrder(): count, length, and rng or seed, dtype. */
export interface TemporalOrderOptions extends TaskOptions {
  /** L ≥ 10: steps per sequence, B and E included. */
  length: number;
}

/**
 * The temporal order problem (Hochreiter & Schmidhuber 1997, exp. 6a): random a–d symbols between
 * B and E, with X or Y at two positions t1 ∈ [⌊0.1 L⌋, ⌊0.2 L⌋] and t2 ∈ [⌊0.5 L⌋, ⌊0.6 L⌋]; the
 * class is their order (XX, XY, YX, YY). inputs [N, L, 8] one-hot, targets 'last' class indices [N], 4 classes.
 * Baseline: cross-entropy ln 4 ≈ 1.386, accuracy 0.25.
 * @example const data = tasks.temporalOrder({ length: 100, count: 2000, seed: 1 });
 * @throws {LstmError} unless count ≥ 1 and length ≥ 10 are integers; for an unknown option, or rng and seed together.
 */
export function temporalOrder(options: TemporalOrderOptions): SequenceDataset {
  const { rng, dtype } = taskSetup('temporalOrder', options, ['length']);
  const N = checkInt('temporalOrder: count', options.count, 1);
  const L = checkInt('temporalOrder: length', options.length, 10);
  const [t1lo, t1hi] = [Math.floor(0.1 * L), Math.floor(0.2 * L)];
  const [t2lo, t2hi] = [Math.floor(0.5 * L), Math.floor(0.6 * L)];
  const S = TEMPORAL_ORDER_SYMBOLS.length;
  const X = 4,
    B = 6,
    E = 7;
  const x = allocate(dtype, N * L * S, `tasks.temporalOrder: count ${N} × length ${L} × ${S} symbols`);
  const y = allocate(dtype, N);
  for (let n = 0; n < N; n++) {
    if ((n & 1023) === 0) pollInterrupt();
    const t1 = t1lo + rng.int(t1hi - t1lo + 1);
    const t2 = t2lo + rng.int(t2hi - t2lo + 1);
    const s1 = rng.int(2); // 0: X, 1: Y
    const s2 = rng.int(2);
    for (let t = 0; t < L; t++) {
      let sym: number;
      if (t === 0) sym = B;
      else if (t === L - 1) sym = E;
      else if (t === t1) sym = X + s1;
      else if (t === t2) sym = X + s2;
      else sym = rng.int(4);
      x[(n * L + t) * S + sym] = 1;
    }
    y[n] = 2 * s1 + s2;
  }
  return new SequenceDataset({
    name: `temporal order (L=${L})`,
    inputs: new Tensor(x, [N, L, S]),
    targets: new Tensor(y, [N]),
    target: 'last',
    classes: 4,
    meta: {
      task: 'temporalOrder',
      length: L,
      symbols: [...TEMPORAL_ORDER_SYMBOLS],
      classNames: [...TEMPORAL_ORDER_CLASSES],
      t1: [t1lo, t1hi],
      t2: [t2lo, t2hi],
      baselineCrossEntropy: Math.log(4),
      baselineAccuracy: 0.25,
      loss: 'crossEntropy',
    },
  });
}

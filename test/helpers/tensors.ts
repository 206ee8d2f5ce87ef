import { Rng } from '../../core/random';
import { Tensor } from '../../core/tensor';
import type { DType } from '../../core/dtype';

/** A tensor of N(0, std²) values from its own generator (independent of the global one). */
export function randn(shape: number[], seed: number, std = 1, dtype: DType = 'float64'): Tensor {
  const rng = new Rng(seed);
  const t = Tensor.zeros(shape, dtype);
  for (let k = 0; k < t.size; k++) t.data[k] = rng.normal(0, std);
  return t;
}

/** max |a − b| / (|b| + floor) over all entries, with the index of the worst. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): { err: number; index: number } {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let err = 0;
  let index = -1;
  for (let k = 0; k < a.length; k++) {
    const e = Math.abs(a[k] - b[k]) / (Math.abs(b[k]) + floor);
    if (!(e <= err)) {
      err = e;
      index = k;
    }
  }
  return { err, index };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let err = 0;
  for (let k = 0; k < a.length; k++) err = Math.max(err, Math.abs(a[k] - b[k]));
  return Number.isNaN(err) ? Infinity : err;
}

/**
 * Small tensor ops that models are glued with, each backward beside its forward.
 */
import { LstmError, checkInt, describe } from './errors';
import type { Tape } from './tape';
import { Tensor, checkSameDType, formatShape, sameShape } from './tensor';

/**
 * Σ x ⊙ w (w constant): a scalar. ∂/∂x = w. Handy as a test loss touching every output.
 * @throws {LstmError} unless x and w are Tensors with the same number of values.
 */
export function weightedSum(x: Tensor, w: Tensor, tape?: Tape): Tensor {
  if (!(x instanceof Tensor) || !(w instanceof Tensor))
    throw new LstmError(`weightedSum: expected two Tensors, got ${describe(x)} and ${describe(w)}`);
  if (!sameShape(x.shape, w.shape))
    throw new LstmError(`weightedSum: expected equal shapes, got ${formatShape(x.shape)} and ${formatShape(w.shape)}`);
  let s = 0;
  for (let k = 0; k < x.size; k++) s += x.data[k] * w.data[k];
  const out = Tensor.from([s], [], x.dtype);
  if (tape) {
    tape.track(out);
    tape.record(() => {
      const g = out.grad![0];
      if (x.grad) for (let k = 0; k < x.size; k++) x.grad[k] += g * w.data[k];
    });
  }
  return out;
}

/**
 * Σ of several scalars (losses of several heads, say), recorded on `tape` when given.
 * @example const loss = addScalars([lossA, lossB], tape);
 * @throws {LstmError} for an empty list or a term that is not a one-value Tensor.
 */
export function addScalars(terms: Tensor[], tape?: Tape): Tensor {
  if (terms.length === 0) throw new LstmError('addScalars: expected at least one scalar, got none');
  let s = 0;
  for (const t of terms) {
    if (!(t instanceof Tensor) || t.size !== 1)
      throw new LstmError(
        `addScalars: expected scalar Tensors, got ${t instanceof Tensor ? formatShape(t.shape) : describe(t)}`,
      );
    s += t.data[0];
  }
  const out = Tensor.from([s], [], terms[0].dtype);
  if (tape) {
    tape.track(out);
    tape.record(() => {
      for (const t of terms) if (t.grad) t.grad[0] += out.grad![0];
    });
  }
  return out;
}

/**
 * x[t] of a time-major [T, B, F] sequence: [B, F] (a copy). Negative t counts from the end.
 * @example const last = timeStep(output, -1); // the last step's output, [B, D·H]
 * @throws {LstmError} when x is not a rank-3 Tensor or t is not an integer within the sequence.
 */
export function timeStep(x: Tensor, t: number, tape?: Tape): Tensor {
  if (!(x instanceof Tensor) || x.shape.length !== 3)
    throw new LstmError(
      `timeStep: expected a [T, B, F] Tensor, got ${x instanceof Tensor ? formatShape(x.shape) : describe(x)}`,
    );
  const [T, B, F] = x.shape;
  const tt = t < 0 ? T + t : t;
  checkInt(`timeStep: t (sequence of ${T} steps)`, tt, 0, T - 1);
  const out = new Tensor(x.data.slice(tt * B * F, (tt + 1) * B * F), [B, F]);
  if (tape) {
    tape.track(out);
    tape.record(() => {
      if (!x.grad) return;
      const g = out.grad!;
      const off = tt * B * F;
      for (let k = 0; k < B * F; k++) x.grad[off + k] += g[k];
    });
  }
  return out;
}

/**
 * Element-wise a + b of equal shapes, recorded on `tape` when given; the result has a's shape.
 * @throws {LstmError} when a and b hold different numbers of values or have different dtypes.
 */
export function add(a: Tensor, b: Tensor, tape?: Tape): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor))
    throw new LstmError(`add: expected two Tensors, got ${describe(a)} and ${describe(b)}`);
  if (!sameShape(a.shape, b.shape))
    throw new LstmError(`add: expected equal shapes, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  checkSameDType('add', a, b);
  const out = a.clone();
  for (let k = 0; k < out.size; k++) out.data[k] += b.data[k];
  if (tape) {
    tape.track(out);
    tape.record(() => {
      const g = out.grad!;
      if (a.grad) for (let k = 0; k < g.length; k++) a.grad[k] += g[k];
      if (b.grad) for (let k = 0; k < g.length; k++) b.grad[k] += g[k];
    });
  }
  return out;
}

/**
 * Small tensor ops that models are glued with, each backward beside its forward.
 */
import { LstmError, checkInt, describe } from './errors';
import type { Tape } from './tape';
import { Tensor, checkSameDType, formatShape } from './tensor';

/** Σ x ⊙ w (w constant): a scalar. ∂/∂x = w. Handy as a test loss touching every output. */
export function weightedSum(x: Tensor, w: Tensor, tape?: Tape): Tensor {
  if (!(x instanceof Tensor) || !(w instanceof Tensor))
    throw new LstmError(`weightedSum: expected two Tensors, got ${describe(x)} and ${describe(w)}`);
  if (x.size !== w.size)
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

/** Σ of several scalars. */
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

/** x[t] of a time-major [T, B, F] sequence: [B, F]. Negative t counts from the end. */
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

/** Element-wise a + b of equal shapes. */
export function add(a: Tensor, b: Tensor, tape?: Tape): Tensor {
  if (a.size !== b.size)
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

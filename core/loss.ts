/**
 * Losses: each returns a scalar Tensor (shape []) and, given a tape, records its backward
 * beside its forward. Semantics as torch.nn.functional (torch 1.13) with reduction 'mean' or
 * 'sum'. Values are accumulated in doubles whatever the dtype; the loss has its input's dtype.
 *
 *   mse            L = R_k (p_k − t_k)²                        ∂L/∂p_k = 2 (p_k − t_k) / n
 *   cross entropy  L = R_r (lse(x_r) − x_{r, y_r})              ∂L/∂x_rc = (softmax(x_r)_c − [c = y_r]) / n
 *   BCE (logits)   L = R_k ((1 − y) sp(x) + w y sp(−x))          ∂L/∂x_k = ((1 − y) σ(x) − w y σ(−x)) / n
 *                  with sp the softplus and w the posWeight
 * where R is Σ ('sum') or the mean over the n counted terms ('mean'), lse the log-sum-exp.
 */
import { LstmError, checkKeys, describe } from './errors';
import { usesWasm } from './kernels/engine';
import { addSoftmaxRowsWasm, logSumExpRowsWasm } from './kernels/wasm/softmax';
import { inPhase } from './kernels/phases';
import { Tape } from './tape';
import { Tensor, formatShape, sameShape, unravel } from './tensor';

/** How a loss folds its terms into one scalar: 'mean' over the counted terms or 'sum'. */
export type Reduction = 'mean' | 'sum';

/** Options every loss takes. */
export interface LossOptions {
  /** 'mean' (default) or 'sum'. */
  reduction?: Reduction;
  /** Record the backward on this tape. */
  tape?: Tape;
}

/** Options of crossEntropyLoss(): reduction, tape, ignoreIndex. */
export interface CrossEntropyOptions extends LossOptions {
  /** Rows whose target is this value add nothing and are not counted by 'mean' (default −100, as torch). */
  ignoreIndex?: number;
}

/** Options of bceWithLogitsLoss(): reduction, tape, posWeight. */
export interface BceWithLogitsOptions extends LossOptions {
  /**
   * Weight of the positive term, torch's pos_weight: a number, a Tensor of shape [C] (C = the
   * last axis of the logits, broadcast over the others) or a Tensor of the logits' shape. Default 1.
   */
  posWeight?: number | Tensor;
}

/** Class indices, one per row of the logits: integers, or a float Tensor holding integers. */
export type ClassTargets = Int32Array | readonly number[] | Tensor;

/** Both arguments are tensors and the second has the first's shape; the message names each. */
function checkPair(what: string, a: unknown, aName: string, b: unknown, bName: string): asserts a is Tensor {
  if (!(a instanceof Tensor)) throw new LstmError(`${what}: expected ${aName} to be a Tensor, got ${describe(a)}`);
  if (!(b instanceof Tensor))
    throw new LstmError(
      `${what}: expected ${bName} to be a Tensor of shape ${formatShape(a.shape)}, got ${describe(b)}`,
    );
  if (!sameShape(a.shape, b.shape)) {
    throw new LstmError(
      `${what}: expected ${bName} of shape ${formatShape(a.shape)} (the shape of ${aName}), got ${formatShape(b.shape)}`,
    );
  }
}

/**
 * Mean (or summed) squared error between `pred` and `target` of one shape. The target is a
 * constant unless it has a gradient buffer, in which case it receives −∂L/∂pred.
 *   L = mean_k (p_k − t_k)²   (or Σ with reduction 'sum')
 * @example const loss = mseLoss(output, target, { tape });
 * @throws {LstmError} unless both are Tensors of one shape; for an unknown option, a reduction
 * other than 'mean' or 'sum', or a tape that is not a Tape.
 */
export function mseLoss(pred: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkKeys('mseLoss', options, ['reduction', 'tape']);
  const reduction = checkReduction('mseLoss', options.reduction);
  const tape = checkTape('mseLoss', options.tape);
  checkPair('mseLoss', pred, 'pred', target, 'target');
  const P = pred.data;
  const Y = target.data;
  const n = P.length;
  // L = Σ (p − t)²  [/ n]
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const d = P[k] - Y[k];
    sum += d * d;
  }
  const out = scalar(reduction === 'mean' ? sum / n : sum, pred);
  if (tape) {
    tape.track(out);
    tape.record(() => {
      // ∂L/∂p = 2 (p − t) · g [/ n];  ∂L/∂t = −∂L/∂p
      const scale = (2 * out.grad![0]) / (reduction === 'mean' ? n : 1);
      const dP = pred.grad;
      const dY = target.grad;
      if (dP) for (let k = 0; k < n; k++) dP[k] += scale * (P[k] - Y[k]);
      if (dY) for (let k = 0; k < n; k++) dY[k] -= scale * (P[k] - Y[k]);
    });
  }
  return out;
}

/**
 * Softmax cross-entropy of logits [N, C] against class indices (length N), computed through
 * log-sum-exp so that extreme logits neither overflow nor underflow. 'mean' divides by the
 * number of rows not ignored (NaN when every row is ignored, as torch). Targets are constants.
 * Sequences need no reshape: logits [T, B, C] with targets [T, B] are the T·B rows.
 * @example const loss = crossEntropyLoss(logits, [0, 2, 1], { tape }); // logits [3, C]
 * @throws {LstmError} for logits that are not [N, C] (or [..., C]), targets not one per row, a
 * target that is not an integer in [0, C − 1] (or ignoreIndex), or a bad option.
 */
export function crossEntropyLoss(logits: Tensor, targets: ClassTargets, options: CrossEntropyOptions = {}): Tensor {
  if (logits instanceof Tensor && logits.shape.length > 2) {
    const lead = logits.shape.slice(0, -1);
    const rows = lead.reduce((a, b) => a * b, 1);
    const given =
      targets instanceof Tensor
        ? formatShape(targets.shape)
        : Array.isArray(targets) || targets instanceof Int32Array
          ? `${targets.length} class indices`
          : describe(targets);
    const fits =
      targets instanceof Tensor
        ? sameShape(targets.shape, lead)
        : (Array.isArray(targets) || targets instanceof Int32Array) && targets.length === rows;
    if (!fits) {
      throw new LstmError(
        `crossEntropyLoss: with logits of shape ${formatShape(logits.shape)} expected targets of shape ${formatShape(lead)} (one class index per position), got ${given}`,
      );
    }
    if (targets instanceof Tensor) targets = targets.reshape([rows]);
    // A view: its gradient buffer is the logits' own, so the backward reaches them.
    return crossEntropyLoss(logits.reshape([rows, logits.shape[logits.shape.length - 1]]), targets, options);
  }
  checkKeys('crossEntropyLoss', options, ['reduction', 'tape', 'ignoreIndex']);
  const reduction = checkReduction('crossEntropyLoss', options.reduction);
  const tape = checkTape('crossEntropyLoss', options.tape);
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex)) {
    throw new LstmError(`crossEntropyLoss: ignoreIndex expected an integer, got ${describe(ignoreIndex)}`);
  }
  if (!(logits instanceof Tensor) || logits.shape.length !== 2) {
    throw new LstmError(
      `crossEntropyLoss: expected logits of shape [N, C] (or [T, B, C]), got ${logits instanceof Tensor ? formatShape(logits.shape) : describe(logits)}`,
    );
  }
  const [N, C] = logits.shape;
  if (C < 1)
    throw new LstmError(
      `crossEntropyLoss: expected logits with at least one class, got shape ${formatShape(logits.shape)}`,
    );
  const cls = classIndices(targets, N, C, ignoreIndex); // −1 marks an ignored row
  const X = logits.data;
  // Per row: lse = m + log Σ_c exp(x_c − m) with m = max_c x_c;  loss_r = lse − x_{y_r}.
  // On the WebAssembly engine the exponentials run there (core/kernels/wasm/softmax.ts).
  const wasm = usesWasm(logits.dtype) && X instanceof Float32Array;
  const rows = wasm ? inPhase('softmax-CE', () => logSumExpRowsWasm(X, N, C)) : null;
  const lse = rows ? rows.lse : new Float64Array(N);
  let sum = 0;
  let count = 0;
  for (let r = 0; r < N; r++) {
    const y = cls[r];
    if (y < 0) continue;
    const off = r * C;
    if (!wasm) {
      let m = X[off];
      for (let c = 1; c < C; c++) if (X[off + c] > m) m = X[off + c];
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(X[off + c] - m);
      lse[r] = m + Math.log(s);
    }
    sum += lse[r] - X[off + y];
    count++;
  }
  const out = scalar(reduction === 'mean' ? sum / count : sum, logits);
  if (tape) {
    tape.track(out);
    tape.record(() => {
      const dX = logits.grad;
      if (!dX) return;
      // ∂L/∂x_rc = g (exp(x_rc − lse_r) − [c = y_r]) [/ count]; ignored rows get nothing.
      const scale = out.grad![0] / (reduction === 'mean' ? count : 1);
      if (rows && X instanceof Float32Array && dX instanceof Float32Array) {
        const w = new Float32Array(N);
        for (let r = 0; r < N; r++) w[r] = cls[r] < 0 ? 0 : scale;
        inPhase('softmax-CE', () => addSoftmaxRowsWasm(X, N, C, rows, w, dX));
        for (let r = 0; r < N; r++) if (cls[r] >= 0) dX[r * C + cls[r]] -= scale;
        return;
      }
      for (let r = 0; r < N; r++) {
        const y = cls[r];
        if (y < 0) continue;
        const off = r * C;
        const l = lse[r];
        for (let c = 0; c < C; c++) dX[off + c] += scale * Math.exp(X[off + c] - l);
        dX[off + y] -= scale;
      }
    });
  }
  return out;
}

/**
 * Binary cross-entropy on logits, targets in [0, 1] (soft targets allowed), torch's
 * −[w y log σ(x) + (1 − y) log(1 − σ(x))] (w = posWeight, default 1) in a stable form:
 *   ℓ = (1 − y) sp(x) + w y sp(−x),   sp(±x) = max(±x, 0) + log1p(e^{−|x|})
 * which for w = 1 is max(x, 0) − x y + log(1 + e^{−|x|}). Both terms are ≥ 0, so no
 * cancellation even at |x| = 50 (where (1 − y) x + sp(−x) would lose e^{−50} entirely).
 * Targets and posWeight are constants.
 * @example const loss = bceWithLogitsLoss(logits, labels, { tape, posWeight: 3 });
 * @throws {LstmError} unless logits and targets are Tensors of one shape with targets in
 * [0, 1]; for a posWeight of another shape than [C] or the logits', or a bad option.
 */
export function bceWithLogitsLoss(logits: Tensor, targets: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  checkKeys('bceWithLogitsLoss', options, ['reduction', 'tape', 'posWeight']);
  const reduction = checkReduction('bceWithLogitsLoss', options.reduction);
  const tape = checkTape('bceWithLogitsLoss', options.tape);
  checkPair('bceWithLogitsLoss', logits, 'logits', targets, 'targets');
  const X = logits.data;
  const Y = targets.data;
  const n = X.length;
  for (let k = 0; k < n; k++) {
    if (!(Y[k] >= 0 && Y[k] <= 1)) {
      throw new LstmError(
        `bceWithLogitsLoss: expected targets in [0, 1], got ${Y[k]} at index [${unravel(k, targets.shape).join(', ')}]`,
      );
    }
  }
  const pw = posWeights(options.posWeight, logits.shape);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const x = X[k];
    const y = Y[k];
    const w = pw === null ? 1 : weightAt(pw, k);
    // sp(x) = log(1 + eˣ) = −log(1 − σ(x)),  sp(−x) = −log σ(x)
    const l = Math.log1p(Math.exp(-Math.abs(x)));
    sum += (1 - y) * (Math.max(x, 0) + l) + w * y * (Math.max(-x, 0) + l);
  }
  const out = scalar(reduction === 'mean' ? sum / n : sum, logits);
  if (tape) {
    tape.track(out);
    tape.record(() => {
      const dX = logits.grad;
      if (!dX) return;
      // ∂ℓ/∂x = (1 − y) σ(x) − w y σ(−x); with z = e^{−|x|}, σ(|x|) = 1/(1 + z), σ(−|x|) = z/(1 + z).
      const scale = out.grad![0] / (reduction === 'mean' ? n : 1);
      for (let k = 0; k < n; k++) {
        const x = X[k];
        const y = Y[k];
        const w = pw === null ? 1 : weightAt(pw, k);
        const z = Math.exp(-Math.abs(x));
        const big = 1 / (1 + z);
        const small = z / (1 + z);
        const sig = x >= 0 ? big : small;
        const sigNeg = x >= 0 ? small : big;
        dX[k] += scale * ((1 - y) * sig - w * y * sigNeg);
      }
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function scalar(value: number, like: Tensor): Tensor {
  return Tensor.from([value], [], like.dtype);
}

function checkReduction(what: string, r: unknown): Reduction {
  if (r === undefined) return 'mean';
  if (r !== 'mean' && r !== 'sum')
    throw new LstmError(`${what}: reduction expected "mean" or "sum", got ${describe(r)}`);
  return r;
}

function checkTape(what: string, tape: unknown): Tape | undefined {
  if (tape !== undefined && !(tape instanceof Tape))
    throw new LstmError(`${what}: tape expected a Tape, got ${describe(tape)}`);
  return tape;
}

/** Validated class indices as an Int32Array, ignored rows as −1. */
function classIndices(targets: ClassTargets, N: number, C: number, ignoreIndex: number): Int32Array {
  let values: ArrayLike<number>;
  if (targets instanceof Tensor) {
    if (targets.shape.length !== 1 || targets.shape[0] !== N) {
      throw new LstmError(
        `crossEntropyLoss: expected targets of shape [N=${N}] (one class index per row of the logits), got ${formatShape(targets.shape)}${targets.size === N ? ` — reshape it to [${N}]` : ''}`,
      );
    }
    values = targets.data;
  } else if (targets instanceof Int32Array || Array.isArray(targets)) {
    if (targets.length !== N) {
      throw new LstmError(
        `crossEntropyLoss: expected ${N} targets (one class index per row of the logits), got ${targets.length}`,
      );
    }
    values = targets;
  } else {
    throw new LstmError(
      `crossEntropyLoss: expected targets as an Int32Array, an array of numbers or a Tensor of ${N} class indices, got ${describe(targets)}`,
    );
  }
  const cls = new Int32Array(N);
  for (let r = 0; r < N; r++) {
    const v = values[r];
    if (v === ignoreIndex) {
      cls[r] = -1;
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= C) {
      throw new LstmError(
        `crossEntropyLoss: target at row ${r} is ${describe(v)}; expected a class index in [0, ${C - 1}] (C = ${C} classes)${ignoreIndex !== -100 ? ` or ignoreIndex ${ignoreIndex}` : ''}`,
      );
    }
    cls[r] = v;
  }
  return cls;
}

/** posWeight resolved: null (none), a number, or per-element weights with the period to index them by. */
type PosWeight = null | number | { data: ArrayLike<number>; period: number };

function posWeights(pw: unknown, shape: readonly number[]): PosWeight {
  if (pw === undefined) return null;
  if (typeof pw === 'number') {
    if (!Number.isFinite(pw))
      throw new LstmError(`bceWithLogitsLoss: posWeight expected a finite number or a Tensor, got ${pw}`);
    return pw;
  }
  const C = shape.length > 0 ? shape[shape.length - 1] : 1;
  if (pw instanceof Tensor) {
    if (pw.shape.length === 1 && pw.shape[0] === C) return { data: pw.data, period: C };
    if (sameShape(pw.shape, shape)) return { data: pw.data, period: pw.size };
    throw new LstmError(
      `bceWithLogitsLoss: expected posWeight of shape [${C}] (the last axis of the logits) or ${formatShape(shape)}, got ${formatShape(pw.shape)}`,
    );
  }
  throw new LstmError(
    `bceWithLogitsLoss: posWeight expected a number or a Tensor of shape [${C}], got ${describe(pw)}`,
  );
}

function weightAt(pw: number | { data: ArrayLike<number>; period: number }, k: number): number {
  return typeof pw === 'number' ? pw : pw.data[k % pw.period];
}

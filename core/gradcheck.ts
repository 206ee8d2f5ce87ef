/**
 * Finite-difference gradient checking, for tests and for users who write their own ops:
 *   numeric ∂L/∂θ_k ≈ (L(θ + ε e_k) − L(θ − ε e_k)) / 2ε      (central difference, error O(ε²))
 * compared with the analytic gradient by relative error |a − n| / max(|a| + |n|, floor).
 * Run it in float64: float32 rounding alone is ~1e-7 relative, which ε cannot beat.
 */
import { pollInterrupt } from './interrupt';
import { LstmError, checkKeys, checkNumber, checkInt, describe } from './errors';
import { Rng } from './random';
import { Tape } from './tape';
import { Tensor } from './tensor';

/** Options of gradCheck(). */
export interface GradCheckOptions {
  /** Step ε (default 1e-6). */
  eps?: number;
  /** Largest accepted relative error (default 1e-6). */
  tolerance?: number;
  /** Check at most this many entries per tensor, picked at random (default all). */
  samplesPerTensor?: number;
  /** Errors below this absolute size are accepted whatever their relative size (default 1e-9). */
  absoluteFloor?: number;
  /** Seed of the generator that picks the sampled entries (with samplesPerTensor). Default 0. */
  seed?: number;
}

/** One checked entry: tensor name, flat index, analytic and numeric ∂L/∂θ_k, their relative error. */
export interface GradCheckEntry {
  /** The checked tensor's name, as given in `inputs`. */
  name: string;
  /** The flat (row-major) index of the entry in its tensor. */
  index: number;
  /** ∂L/∂θ_k from the tape. */
  analytic: number;
  /** ∂L/∂θ_k by central difference. */
  numeric: number;
  /** |a − n| / max(|a| + |n|, absoluteFloor), 0 when |a − n| ≤ absoluteFloor. */
  relativeError: number;
}

/** What gradCheck() found: ok when every checked entry is within tolerance. */
export interface GradCheckReport {
  /** true when every checked entry's relative error is within tolerance. */
  ok: boolean;
  /** How many entries were checked. */
  checked: number;
  /** The largest relative error seen (0 when nothing was checked). */
  maxRelativeError: number;
  /** The entry with that error, or null when nothing was checked. */
  worst: GradCheckEntry | null;
  /** Entries above tolerance (at most 20). */
  failures: GradCheckEntry[];
}

/**
 * Compares the tape's gradients with central differences,
 *   numeric ∂L/∂θ_k ≈ (L(θ + ε e_k) − L(θ − ε e_k)) / 2ε,
 * entry by entry. `loss(tape)` must compute the same scalar each time it is called (no fresh
 * randomness) and record on the tape when one is given. `inputs` are the tensors to check,
 * named. Run it in float64. Leaves the tensors' values and gradient buffers as they were.
 * @example const report = gradCheck((tape) => mseLoss(head.forward(x, { tape }), y, { tape }), { weight: head.weight });
 * @throws {LstmError} when loss is not a function or does not return a one-value Tensor, an
 * input is not a Tensor, or an option is unknown or out of range.
 */
export function gradCheck(
  loss: (tape?: Tape) => Tensor,
  inputs: Array<[string, Tensor]> | Record<string, Tensor>,
  options: GradCheckOptions = {},
): GradCheckReport {
  checkKeys('gradCheck', options, ['eps', 'tolerance', 'samplesPerTensor', 'absoluteFloor', 'seed']);
  if (typeof loss !== 'function')
    throw new LstmError(`gradCheck: expected a function (tape?) => scalar loss Tensor, got ${describe(loss)}`);
  const eps = checkNumber('gradCheck: eps', options.eps ?? 1e-6, 1e-12, 1);
  const tolerance = checkNumber('gradCheck: tolerance', options.tolerance ?? 1e-6, 0);
  const floor = checkNumber('gradCheck: absoluteFloor', options.absoluteFloor ?? 1e-9, 0);
  const named = Array.isArray(inputs) ? inputs : Object.entries(inputs);
  for (const [name, t] of named) {
    if (!(t instanceof Tensor)) throw new LstmError(`gradCheck: ${name} expected a Tensor, got ${describe(t)}`);
  }
  const rng = new Rng(options.seed ?? 0);

  // Analytic gradients: give every checked tensor a zeroed buffer, run once on a tape.
  const saved = named.map(([, t]) => t.grad);
  for (const [, t] of named) t.grad = new (t.data.constructor as Float64ArrayConstructor)(t.size);
  const tape = new Tape();
  const value = loss(tape);
  checkScalar(value);
  tape.backward(value);
  const analytic = named.map(([, t]) => Float64Array.from(t.grad!));
  named.forEach(([, t], i) => (t.grad = saved[i]));

  const evaluate = (): number => checkScalar(loss()).data[0];
  const entries: GradCheckEntry[] = [];
  named.forEach(([name, t], n) => {
    const all = Array.from({ length: t.size }, (_, k) => k);
    const picked =
      options.samplesPerTensor === undefined
        ? all
        : rng
            .shuffle(all)
            .slice(0, checkInt('gradCheck: samplesPerTensor', options.samplesPerTensor, 1))
            .sort((a, b) => a - b);
    for (const k of picked) {
      pollInterrupt();
      const original = t.data[k];
      let up: number;
      let down: number;
      try {
        t.data[k] = original + eps;
        up = evaluate();
        t.data[k] = original - eps;
        down = evaluate();
      } finally {
        // An interrupt (or an error) inside evaluate must not leave the parameter nudged.
        t.data[k] = original;
      }
      const numeric = (up - down) / (2 * eps);
      const a = analytic[n][k];
      const diff = Math.abs(a - numeric);
      const relativeError = diff <= floor ? 0 : diff / Math.max(Math.abs(a) + Math.abs(numeric), floor);
      entries.push({ name, index: k, analytic: a, numeric, relativeError });
    }
  });
  let worst: GradCheckEntry | null = null;
  for (const e of entries) if (!worst || e.relativeError > worst.relativeError) worst = e;
  const failures = entries.filter((e) => !(e.relativeError <= tolerance)).slice(0, 20);
  return {
    ok: failures.length === 0,
    checked: entries.length,
    maxRelativeError: worst?.relativeError ?? 0,
    worst,
    failures,
  };
}

function checkScalar(t: Tensor): Tensor {
  if (!(t instanceof Tensor) || t.size !== 1)
    throw new LstmError(
      `gradCheck: the loss function must return a scalar Tensor, got ${t instanceof Tensor ? `shape [${t.shape.join(', ')}]` : describe(t)}`,
    );
  return t;
}

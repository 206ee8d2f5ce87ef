/**
 * SequenceDataset: N sequences of T steps of I features, stored sample-major, with targets
 * either at the last step or at every step, as real values or as class indices.
 *
 *   inputs                      [N, T, I]
 *   targets  'last'             [N, O]     real values     (classes undefined)
 *                               [N]        class indices   (classes = C)
 *            'sequence'         [N, T, O]  real values
 *                               [N, T]     class indices
 *
 * Storage is sample-major because samples are what one shuffles and splits; `batch` hands a
 * model the time-major layout its forward wants ([T, B, I]). Tensors are held, not copied:
 * do not write into them after building a dataset.
 */
import { LstmError, checkInt, checkNumber, describe } from '../errors';
import { Rng, globalRng } from '../random';
import { Tensor, checkFinite, formatShape, shapeSize } from '../tensor';
import { allocate, copyOf } from '../dtype';

/** Where a dataset's targets are: 'last' (one per sequence, at its last step) or 'sequence' (one per step). */
export type TargetKind = 'last' | 'sequence';

/** A batch in the time-major layout a model's forward wants (SequenceDataset.batch). */
export interface Batch {
  /** [T, B, I], time-major. */
  inputs: Tensor;
  /** 'last': [B, O] or [B]; 'sequence': [T, B, O] or [T, B]. */
  targets: Tensor;
}

/**
 * What `new SequenceDataset(…)` takes: N sequences, stored sample-major.
 *   inputs [N, T, I]; targets 'last' [N, O] (or [N] class indices), 'sequence' [N, T, O] (or [N, T]).
 */
export interface SequenceDatasetInit {
  /** A non-empty name, for messages and charts. */
  name: string;
  /** [N, T, I]: samples, steps, features; every size ≥ 1, all finite. */
  inputs: Tensor;
  /** 'last': [N, O] or [N] class indices; 'sequence': [N, T, O] or [N, T] class indices. */
  targets: Tensor;
  /** 'last' (one target per sequence) or 'sequence' (one per step). */
  target: TargetKind;
  /** Number of classes when the targets are class indices; absent for real-valued targets. */
  classes?: number;
  /** Facts about the data (definition, baselines, symbols), kept as given. Default {}. */
  meta?: Record<string, unknown>;
}

/**
 * N sequences of T steps of I features, with targets at the last step or at every step, as real
 * values or class indices. Stored sample-major ([N, T, I]), handed out time-major by batch()
 * ([T, B, I]). What train() and evaluate() take; tasks.* and CharCorpus build them.
 * @example const data = new SequenceDataset({ name: 'sum', inputs: Tensor.rand([100, 5, 1]), targets: Tensor.zeros([100, 1]), target: 'last' });
 * @throws {LstmError} (constructor) for an unknown field, inputs not [N, T, I] with every size ≥ 1,
 * targets of the wrong shape for `target` and `classes`, NaN or ∞, class indices outside [0, classes − 1], or classes < 2.
 */
export class SequenceDataset {
  /** A name for messages and charts. */
  readonly name: string;
  /** [N, T, I] */
  readonly inputs: Tensor;
  /** 'last': [N, O] or [N] (class indices); 'sequence': [N, T, O] or [N, T]. */
  readonly targets: Tensor;
  /** 'last' (one target per sequence) or 'sequence' (one per step). */
  readonly target: TargetKind;
  /** C, the number of classes when targets are class indices; undefined for real-valued targets. */
  readonly classes?: number;
  /** Facts about the data: its definition, baselines (baselineMse, baselineCrossEntropy), symbols. */
  readonly meta: Record<string, unknown>;
  /** N: number of sequences. */
  readonly size: number;
  /** T: steps per sequence. */
  readonly length: number;
  /** I: features per step. */
  readonly inputSize: number;
  /** Outputs a model needs per prediction: the number of classes, or O. */
  readonly outputSize: number;

  constructor(init: SequenceDatasetInit) {
    if (init === null || typeof init !== 'object') {
      throw new LstmError(
        `SequenceDataset: expected { name, inputs, targets, target, classes?, meta? }, got ${describe(init)}`,
      );
    }
    const unknown = Object.keys(init).filter(
      (k) => !['name', 'inputs', 'targets', 'target', 'classes', 'meta'].includes(k),
    );
    if (unknown.length > 0) {
      throw new LstmError(
        `SequenceDataset: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected name, inputs, targets, target, classes, meta`,
      );
    }
    const { name, inputs, targets, target, classes, meta } = init;
    if (typeof name !== 'string' || name.length === 0)
      throw new LstmError(`SequenceDataset: name expected a non-empty string, got ${describe(name)}`);
    const what = `SequenceDataset "${name}"`;
    if (!(inputs instanceof Tensor) || inputs.shape.length !== 3) {
      throw new LstmError(
        `${what}: inputs expected a Tensor of shape [N, T, I] (samples, steps, features), got ${inputs instanceof Tensor ? formatShape(inputs.shape) : describe(inputs)}`,
      );
    }
    const [N, T, I] = inputs.shape;
    if (N < 1 || T < 1 || I < 1)
      throw new LstmError(
        `${what}: inputs expected at least one sample, step and feature, got shape ${formatShape(inputs.shape)}`,
      );
    if (target !== 'last' && target !== 'sequence')
      throw new LstmError(`${what}: target expected "last" or "sequence", got ${describe(target)}`);
    if (classes !== undefined) checkInt(`${what}: classes`, classes, 2);
    if (meta !== undefined && (meta === null || typeof meta !== 'object' || Array.isArray(meta))) {
      throw new LstmError(`${what}: meta expected a plain object, got ${describe(meta)}`);
    }
    const lead = target === 'last' ? [N] : [N, T];
    const expected =
      classes !== undefined
        ? `[${lead.join(', ')}] (${target === 'last' ? 'N' : 'N, T'} class indices)`
        : `[${lead.join(', ')}, O] (${target === 'last' ? 'N, O' : 'N, T, O'})`;
    if (!(targets instanceof Tensor))
      throw new LstmError(`${what}: targets expected a Tensor of shape ${expected}, got ${describe(targets)}`);
    const rank = lead.length + (classes !== undefined ? 0 : 1);
    const fits =
      targets.shape.length === rank &&
      lead.every((d, i) => targets.shape[i] === d) &&
      (classes !== undefined || targets.shape[rank - 1] >= 1);
    if (!fits) {
      const hint =
        classes === undefined && targets.shape.length === lead.length
          ? ' — class indices need the option classes'
          : classes !== undefined && targets.shape.length === rank + 1
            ? ' — real-valued targets must not set classes'
            : '';
      throw new LstmError(
        `${what}: targets for target "${target}" expected shape ${expected}, got ${formatShape(targets.shape)}${hint}`,
      );
    }
    checkFinite(`${what}: inputs`, inputs);
    checkFinite(`${what}: targets`, targets);
    if (classes !== undefined) {
      const d = targets.data;
      for (let k = 0; k < d.length; k++) {
        if (!Number.isInteger(d[k]) || d[k] < 0 || d[k] >= classes) {
          throw new LstmError(
            `${what}: targets expected class indices in [0, ${classes - 1}], got ${d[k]} at flat index ${k}`,
          );
        }
      }
    }
    this.name = name;
    this.inputs = inputs;
    this.targets = targets;
    this.target = target;
    if (classes !== undefined) this.classes = classes;
    this.meta = meta ?? {};
    this.size = N;
    this.length = T;
    this.inputSize = I;
    this.outputSize = classes ?? targets.shape[targets.shape.length - 1];
  }

  /**
   * Samples [start, end) in the time-major layout of a model's forward:
   *   inputs [T, B, I];  targets [B, O] / [B] ('last') or [T, B, O] / [T, B] ('sequence').
   *   inputs_out[t, b, i] = inputs[start + b, t, i]
   * @example const { inputs, targets } = data.batch(0, 32);
   * @throws {LstmError} unless 0 ≤ start < end ≤ N, integers.
   */
  batch(start: number, end: number): Batch {
    checkInt(`${this.label}.batch: start`, start, 0, this.size - 1);
    checkInt(`${this.label}.batch: end`, end, start + 1, this.size);
    const B = end - start;
    const T = this.length;
    const inputs = toTimeMajor(this.inputs, start, B, T, this.inputSize);
    let targets: Tensor;
    if (this.target === 'last') {
      const row = shapeSize(this.targets.shape.slice(1));
      const data = copyOf(this.targets.data.subarray(start * row, end * row));
      targets = new Tensor(data, [B, ...this.targets.shape.slice(1)]);
    } else {
      const O = this.classes !== undefined ? 1 : this.targets.shape[2];
      targets = toTimeMajor(this.targets, start, B, T, O);
      if (this.classes !== undefined) targets = targets.reshape([T, B]);
    }
    return { inputs, targets };
  }

  /**
   * The samples at `indices` (repeats allowed), in that order, as a new sample-major dataset.
   * @example const firstTen = data.take([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
   * @throws {LstmError} for an empty list or an index that is not an integer in [0, N − 1].
   */
  take(indices: readonly number[] | ArrayLike<number>): SequenceDataset {
    if (indices === null || typeof indices !== 'object' || typeof (indices as ArrayLike<number>).length !== 'number') {
      throw new LstmError(`${this.label}.take: expected an array of sample indices, got ${describe(indices)}`);
    }
    const n = indices.length;
    if (n === 0) throw new LstmError(`${this.label}.take: expected at least one index, got an empty array`);
    const inRow = shapeSize(this.inputs.shape.slice(1));
    const outRow = shapeSize(this.targets.shape.slice(1));
    const x = allocate(this.inputs.dtype, n * inRow);
    const y = allocate(this.targets.dtype, n * outRow);
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= this.size) {
        throw new LstmError(
          `${this.label}.take: index ${k} expected a sample index in [0, ${this.size - 1}], got ${describe(i)}`,
        );
      }
      x.set(this.inputs.data.subarray(i * inRow, (i + 1) * inRow), k * inRow);
      y.set(this.targets.data.subarray(i * outRow, (i + 1) * outRow), k * outRow);
    }
    return this.derive(
      new Tensor(x, [n, ...this.inputs.shape.slice(1)]),
      new Tensor(y, [n, ...this.targets.shape.slice(1)]),
    );
  }

  /**
   * The first round(fraction · N) samples and the rest, in order (no shuffle: shuffle first
   * with `shuffled` if the order carries meaning). Both parts must be non-empty.
   * @example const [trainSet, testSet] = data.split(0.8);
   * @throws {LstmError} for a fraction outside [0, 1] or one that leaves a part empty.
   */
  split(fraction: number): [SequenceDataset, SequenceDataset] {
    checkNumber(`${this.label}.split: fraction`, fraction, 0, 1);
    const n = Math.round(fraction * this.size);
    if (n < 1 || n > this.size - 1) {
      throw new LstmError(
        `${this.label}.split: fraction ${fraction} of ${this.size} samples gives parts of ${n} and ${this.size - n}; expected a fraction leaving at least one sample on each side`,
      );
    }
    const all = Array.from({ length: this.size }, (_, i) => i);
    return [this.take(all.slice(0, n)), this.take(all.slice(n))];
  }

  /**
   * A copy with the samples in a random order (Fisher–Yates with `rng`, default the global one).
   * @throws {LstmError} when rng is not an Rng.
   */
  shuffled(rng: Rng = globalRng): SequenceDataset {
    if (!(rng instanceof Rng)) throw new LstmError(`${this.label}.shuffled: expected an Rng, got ${describe(rng)}`);
    return this.take(rng.shuffle(Array.from({ length: this.size }, (_, i) => i)));
  }

  /** A short description: name, N × T steps × I features, target kind, classes or target shape. */
  toString(): string {
    return `SequenceDataset("${this.name}", ${this.size} × ${this.length} steps × ${this.inputSize} features, target "${this.target}", ${this.classes !== undefined ? `${this.classes} classes` : `targets ${formatShape(this.targets.shape)}`})`;
  }

  private get label(): string {
    return `SequenceDataset "${this.name}"`;
  }

  private derive(inputs: Tensor, targets: Tensor): SequenceDataset {
    const init: SequenceDatasetInit = { name: this.name, inputs, targets, target: this.target, meta: { ...this.meta } };
    if (this.classes !== undefined) init.classes = this.classes;
    return new SequenceDataset(init);
  }
}

/** [N, T, F] rows [start, start + B) → [T, B, F]. */
function toTimeMajor(src: Tensor, start: number, B: number, T: number, F: number): Tensor {
  const out = allocate(src.dtype, T * B * F);
  const s = src.data;
  for (let b = 0; b < B; b++) {
    const base = (start + b) * T * F;
    for (let t = 0; t < T; t++) {
      const from = base + t * F;
      out.set(s.subarray(from, from + F), (t * B + b) * F);
    }
  }
  return new Tensor(out, [T, B, F]);
}

/**
 * Embedding: a lookup table, y[n] = W[index[n]].    W: [num, dim]   y: [..., dim]
 * Backward scatters: ∂L/∂W[index[n]] += ∂L/∂y[n]. Equivalent to a Linear layer without bias
 * on one-hot inputs, at the cost of a copy instead of a matrix product.
 */
import { DEBUG_DESCRIPTION } from './debug-description';
import { DType, getDefaultDType } from './dtype';
import { LstmError, checkInt, checkKeys, describe } from './errors';
import { Module, parameter } from './module';
import { Rng, globalRng } from './random';
import type { Tape } from './tape';
import { Tensor, formatShape, shapeSize, unravel } from './tensor';

/** Options of `new Embedding(num, dim, …)`. */
export interface EmbeddingOptions {
  /** The table's dtype. Default getDefaultDType(). */
  dtype?: DType;
  /** The generator for the initial table, N(0, 1) as torch.nn.Embedding. Default the global one. */
  rng?: Rng;
}

/**
 * A lookup table of learned vectors: y[n] = W[index[n]], W [num, dim]; indices [...] → y [..., dim].
 * The same as a Linear layer without bias on one-hot inputs, at the cost of a copy. Initialised N(0, 1).
 * @example const embed = new Embedding(65, 16); const x = embed.forward([1, 2, 3], { shape: [3, 1] }); // [T=3, B=1, 16]
 * @throws {LstmError} for sizes that are not integers ≥ 1 or an unknown option.
 */
export class Embedding implements Module {
  /** W [num, dim], state-dict name 'weight'. */
  readonly weight: Tensor;
  /** The table's dtype. */
  readonly dtype: DType;

  constructor(
    /** num: how many vectors (indices run 0 … num − 1), e.g. the vocabulary size. */
    readonly numEmbeddings: number,
    /** dim: the length of each vector. */
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    checkKeys('Embedding', options, ['dtype', 'rng']);
    checkInt('Embedding: numEmbeddings', numEmbeddings, 1);
    checkInt('Embedding: embeddingDim', embeddingDim, 1);
    this.dtype = options.dtype ?? getDefaultDType();
    this.weight = parameter([numEmbeddings, embeddingDim], this.dtype);
    // N(0, 1), as torch.nn.Embedding.
    const rng = options.rng ?? globalRng;
    for (let k = 0; k < this.weight.size; k++) this.weight.data[k] = rng.normal();
  }

  /** The one parameter, ['weight', W]. */
  namedParameters(): Array<[string, Tensor]> {
    return [['weight', this.weight]];
  }

  /**
   * indices: integer indices, as a Tensor of any shape (values must be integers) or an array;
   * `shape` gives the leading shape for a flat array (default [indices.length]). Returns
   * [...shape, dim]; recorded on `tape` when given (the gradient scatters into W's rows).
   * @throws {LstmError} for an index that is not an integer in [0, num − 1], or a shape that does not hold the indices.
   */
  forward(indices: Tensor | ArrayLike<number>, options: { tape?: Tape; shape?: readonly number[] } = {}): Tensor {
    const V = this.numEmbeddings;
    const E = this.embeddingDim;
    const flat: ArrayLike<number> = indices instanceof Tensor ? indices.data : indices;
    if (flat === null || typeof flat !== 'object' || typeof flat.length !== 'number')
      throw new LstmError(`Embedding.forward: expected integer indices (array or Tensor), got ${describe(indices)}`);
    const lead = indices instanceof Tensor ? indices.shape : (options.shape ?? [flat.length]);
    if (!Array.isArray(lead))
      throw new LstmError(`Embedding.forward: shape expected an array of sizes, got ${describe(lead)}`);
    if (shapeSize(lead) !== flat.length)
      throw new LstmError(
        `Embedding.forward: shape ${formatShape(lead)} holds ${shapeSize(lead)} indices, got ${flat.length}`,
      );
    const idx = new Int32Array(flat.length);
    for (let n = 0; n < flat.length; n++) {
      const v = flat[n];
      if (!Number.isInteger(v) || v < 0 || v >= V)
        throw new LstmError(
          `Embedding.forward: indices[${unravel(n, lead).join(', ')}] expected an integer in [0, ${V - 1}] (numEmbeddings ${V}), got ${describe(v)}`,
        );
      idx[n] = v;
    }
    const y = Tensor.zeros([...lead, E], this.dtype);
    for (let n = 0; n < idx.length; n++) y.data.set(this.weight.data.subarray(idx[n] * E, idx[n] * E + E), n * E);
    if (options.tape) {
      options.tape.track(y);
      options.tape.record(() => {
        const dW = this.weight.grad;
        const dY = y.grad!;
        if (!dW) return;
        for (let n = 0; n < idx.length; n++) {
          const w = idx[n] * E;
          for (let e = 0; e < E; e++) dW[w + e] += dY[n * E + e];
        }
      });
    }
    return y;
  }

  /** A short description: `Embedding(65, 16)`. */
  toString(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`;
  }

  /** What the debugger shows for the model: its toString(). */
  [DEBUG_DESCRIPTION](): string {
    return this.toString();
  }
}

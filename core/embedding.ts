/**
 * Embedding: a lookup table, y[n] = W[index[n]].    W: [num, dim]   y: [..., dim]
 * Backward scatters: ∂L/∂W[index[n]] += ∂L/∂y[n]. Equivalent to a Linear layer without bias
 * on one-hot inputs, at the cost of a copy instead of a matrix product.
 */
import { DType, getDefaultDType } from './dtype';
import { LstmError, checkInt, checkKeys, describe } from './errors';
import { Module, parameter } from './module';
import { Rng, globalRng } from './random';
import type { Tape } from './tape';
import { Tensor, formatShape, shapeSize, unravel } from './tensor';

export interface EmbeddingOptions {
  dtype?: DType;
  rng?: Rng;
}

export class Embedding implements Module {
  readonly weight: Tensor;
  readonly dtype: DType;

  constructor(
    readonly numEmbeddings: number,
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

  namedParameters(): Array<[string, Tensor]> {
    return [['weight', this.weight]];
  }

  /**
   * indices: integer indices, as a Tensor of any shape (values must be integers) or an array;
   * `shape` gives the leading shape for a flat array (default [indices.length]).
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

  toString(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`;
  }
}

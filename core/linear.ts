/**
 * Linear layer: y = x·Wᵀ + b over the last axis.
 *   x: [..., in]   W: [out, in] (PyTorch layout)   b: [out]   y: [..., out]
 * Backward (with N = product of the leading axes):
 *   ∂L/∂x = ∂L/∂y · W        ∂L/∂W += (∂L/∂y)ᵀ · x        ∂L/∂b += Σ_rows ∂L/∂y
 */
import { DType, getDefaultDType } from './dtype';
import { LstmError, checkInt, checkKeys, describe } from './errors';
import { checkInit, fillGlorot, fillUniform, WeightInit } from './init';
import { matmulAB, matmulABt, matmulAtB } from './kernels/products';
import { Module, parameter } from './module';
import { exportStateDict, importStateDict, Layout, StateDictJSON } from './statedict';
import { Rng, globalRng } from './random';
import type { Tape } from './tape';
import { Tensor, checkSameDType, formatShape } from './tensor';

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
  /** 'pytorch' (default): U(±1/√in) for W and b, as nn.Linear; 'glorot': Glorot W, zero b. */
  init?: Exclude<WeightInit, 'orthogonal'>;
  rng?: Rng;
}

export class Linear implements Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly dtype: DType;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    checkKeys('Linear', options, ['bias', 'dtype', 'init', 'rng']);
    checkInt('Linear: inFeatures', inFeatures, 1);
    checkInt('Linear: outFeatures', outFeatures, 1);
    this.dtype = options.dtype ?? getDefaultDType();
    const init = checkInit('Linear: init', options.init ?? 'pytorch');
    if (init === 'orthogonal') throw new LstmError('Linear: init expected "pytorch" or "glorot", got "orthogonal"');
    const rng = options.rng ?? globalRng;
    this.weight = parameter([outFeatures, inFeatures], this.dtype);
    this.bias = options.bias === false ? null : parameter([outFeatures], this.dtype);
    if (init === 'glorot') {
      fillGlorot(this.weight.data, outFeatures, inFeatures, rng);
    } else {
      const k = 1 / Math.sqrt(inFeatures);
      fillUniform(this.weight.data, -k, k, rng);
      if (this.bias) fillUniform(this.bias.data, -k, k, rng);
    }
  }

  namedParameters(): Array<[string, Tensor]> {
    return this.bias
      ? [
          ['weight', this.weight],
          ['bias', this.bias],
        ]
      : [['weight', this.weight]];
  }

  stateDict(options: { layout?: Layout } = {}): StateDictJSON {
    return exportStateDict(this, options);
  }

  loadStateDict(dict: unknown, options: { layout?: Layout; strict?: boolean } = {}): this {
    importStateDict(this, dict, options);
    return this;
  }

  forward(x: Tensor, options: { tape?: Tape } = {}): Tensor {
    return linear(x, this.weight, this.bias, options.tape);
  }

  toString(): string {
    return `Linear(${this.inFeatures} → ${this.outFeatures}${this.bias ? '' : ', no bias'})`;
  }
}

/** y = x·Wᵀ + b, recorded on `tape` when given. */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null, tape?: Tape): Tensor {
  if (!(x instanceof Tensor))
    throw new LstmError(`Linear: expected an input Tensor of shape [..., ${weight.shape[1]}], got ${describe(x)}`);
  const [O, I] = weight.shape;
  if (x.shape.length < 1 || x.shape[x.shape.length - 1] !== I) {
    throw new LstmError(`Linear: expected input of shape [..., ${I}], got ${formatShape(x.shape)}`);
  }
  checkSameDType('Linear', x, weight);
  const N = x.size / I;
  const y = Tensor.zeros([...x.shape.slice(0, -1), O], weight.dtype);
  const Y = y.data;
  if (bias) for (let n = 0; n < N; n++) Y.set(bias.data, n * O);
  matmulABt(N, O, I, x.data, 0, I, weight.data, 0, I, Y, 0, O);
  if (tape) {
    tape.track(y);
    tape.record(() => {
      const dY = y.grad!;
      if (x.grad) matmulAB(N, I, O, dY, 0, O, weight.data, 0, I, x.grad, 0, I);
      if (weight.grad) matmulAtB(O, I, N, dY, 0, O, x.data, 0, I, weight.grad, 0, I);
      if (bias?.grad) {
        const dB = bias.grad;
        for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) dB[o] += dY[n * O + o];
      }
    });
  }
  return y;
}

/**
 * Adagrad (Duchi, Hazan & Singer 2011), torch.optim.Adagrad (torch 1.13, dense gradients).
 * Per step t of a parameter θ with gradient g:
 *
 *   g ← −g if maximize
 *   g ← g + λ θ                                  (weightDecay λ ≠ 0)
 *   γ̃ ← γ / (1 + (t − 1) η)                      (lrDecay η)
 *   s ← s + g²                                   (s starts at initialAccumulatorValue)
 *   θ ← θ − γ̃ g / (√s + ε)
 */
import type { FloatArray } from '../dtype';
import { Optimizer, ParamState, describeOptimizer, flag, nonNegative, optionsOf } from './optimizer';

/** Options of `new Adagrad(…)`; a plain number is the learning rate. */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Learning-rate decay η ≥ 0: step t uses γ / (1 + (t − 1) η). Default 0. */
  lrDecay?: number;
  /** L2 penalty λ ≥ 0 added to the gradient. Default 0. */
  weightDecay?: number;
  /** The starting value of the sum of squares s. Default 0. */
  initialAccumulatorValue?: number;
  /** Default 1e-10. */
  eps?: number;
  /** Ascend instead of descend (g ← −g). Default false. */
  maximize?: boolean;
}

interface AdagradState extends ParamState {
  /** Σ g² so far, s. */
  sum: Float64Array;
}

const KEYS = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize'];

/**
 * Adagrad (Duchi et al. 2011), torch.optim.Adagrad: s ← s + g², θ ← θ − γ̃ g / (√s + ε).
 * Defaults: lr 1e-2, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10.
 * @example const opt = new Adagrad(0.05);
 * @throws {LstmError} for a negative or non-finite number, or an unknown option.
 */
export class Adagrad extends Optimizer<AdagradState> {
  /** Learning-rate decay η. */
  readonly lrDecay: number;
  /** L2 penalty λ added to the gradient. */
  readonly weightDecay: number;
  /** The starting value of s. */
  readonly initialAccumulatorValue: number;
  /** ε added to the denominator, for stability. */
  readonly eps: number;
  /** Whether it ascends the objective. */
  readonly maximize: boolean;

  constructor(options?: number | AdagradOptions) {
    const o = optionsOf<AdagradOptions>('Adagrad', options, KEYS);
    super('Adagrad', o.lr ?? 1e-2);
    this.lrDecay = nonNegative('Adagrad: lrDecay', o.lrDecay, 0);
    this.weightDecay = nonNegative('Adagrad: weightDecay', o.weightDecay, 0);
    this.initialAccumulatorValue = nonNegative('Adagrad: initialAccumulatorValue', o.initialAccumulatorValue, 0);
    this.eps = nonNegative('Adagrad: eps', o.eps, 1e-10);
    this.maximize = flag('Adagrad: maximize', o.maximize, false);
  }

  protected init(size: number): AdagradState {
    return { step: 0, sum: new Float64Array(size).fill(this.initialAccumulatorValue) };
  }

  protected update(p: FloatArray, g: FloatArray, s: AdagradState, lr: number): void {
    const { eps, weightDecay: wd } = this;
    const sign = this.maximize ? -1 : 1;
    const clr = lr / (1 + (s.step - 1) * this.lrDecay);
    const sum = s.sum;
    for (let k = 0; k < p.length; k++) {
      const theta = p[k];
      let gk = sign * g[k];
      if (wd !== 0) gk += wd * theta;
      const sk = (sum[k] += gk * gk);
      p[k] = theta - clr * (gk / (Math.sqrt(sk) + eps));
    }
  }

  /** The optimizer and its settings, as a cell shows it: `Adagrad(lr=0.01, lrDecay=0, weightDecay=0, initialAccumulatorValue=0, eps=1e-10)`. */
  override toString(): string {
    return describeOptimizer('Adagrad', [
      ['lr', this.lr],
      ['lrDecay', this.lrDecay],
      ['weightDecay', this.weightDecay],
      ['initialAccumulatorValue', this.initialAccumulatorValue],
      ['eps', this.eps],
      ['maximize', this.maximize],
    ]);
  }
}

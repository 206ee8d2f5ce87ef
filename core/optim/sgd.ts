/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
 * torch.optim.SGD (torch 1.13). Per step, for each parameter θ with gradient g:
 *
 *   g ← −g if maximize
 *   g ← g + λ θ                                   (weightDecay λ ≠ 0)
 *   if μ ≠ 0:                                      (momentum μ)
 *     b ← g                     on the first step  (no dampening then, as torch)
 *     b ← μ b + (1 − τ) g       afterwards         (dampening τ)
 *     g ← g + μ b  if nesterov,  else g ← b
 *   θ ← θ − γ g                                   (lr γ)
 */
import type { FloatArray } from '../dtype';
import { LstmError } from '../errors';
import { Optimizer, ParamState, describeOptimizer, flag, nonNegative, optionsOf } from './optimizer';

/** Options of `new SGD(…)`; a plain number is the learning rate. */
export interface SgdOptions {
  /** Learning rate (required, as in torch). */
  lr?: number;
  /** Momentum μ ≥ 0: b ← μ b + (1 − τ) g, and the step follows b. Default 0 (none). */
  momentum?: number;
  /** Dampening τ ≥ 0 of the momentum's new gradient term. Default 0. */
  dampening?: number;
  /** Nesterov momentum, g ← g + μ b (needs momentum > 0 and dampening 0). Default false. */
  nesterov?: boolean;
  /** L2 penalty λ ≥ 0 added to the gradient, g ← g + λ θ. Default 0. */
  weightDecay?: number;
  /** Ascend instead of descend (g ← −g). Default false. */
  maximize?: boolean;
}

interface SgdState extends ParamState {
  /** Momentum buffer b (empty when momentum is 0). */
  buf: Float64Array;
}

const KEYS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize'];

/**
 * Stochastic gradient descent, torch.optim.SGD: θ ← θ − γ g, with optional momentum, dampening,
 * Nesterov momentum and L2 weight decay. The learning rate is required.
 * @example const opt = new SGD({ lr: 0.1, momentum: 0.9 });
 * @throws {LstmError} without a learning rate; for a negative or non-finite number, an unknown
 * option, or nesterov without momentum > 0 and dampening 0.
 */
export class SGD extends Optimizer<SgdState> {
  /** Momentum μ (0: none). */
  readonly momentum: number;
  /** Dampening τ of the momentum. */
  readonly dampening: number;
  /** Whether the momentum is Nesterov's. */
  readonly nesterov: boolean;
  /** L2 penalty λ added to the gradient. */
  readonly weightDecay: number;
  /** Whether it ascends the objective. */
  readonly maximize: boolean;

  constructor(options: number | SgdOptions) {
    const o = optionsOf<SgdOptions>('SGD', options, KEYS);
    if (o.lr === undefined)
      throw new LstmError(
        'SGD: expected a learning rate, e.g. new SGD(0.1) or new SGD({ lr: 0.1, momentum: 0.9 }), got none',
      );
    super('SGD', o.lr);
    this.momentum = nonNegative('SGD: momentum', o.momentum, 0);
    this.dampening = nonNegative('SGD: dampening', o.dampening, 0);
    this.nesterov = flag('SGD: nesterov', o.nesterov, false);
    this.weightDecay = nonNegative('SGD: weightDecay', o.weightDecay, 0);
    this.maximize = flag('SGD: maximize', o.maximize, false);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new LstmError(
        `SGD: nesterov expected momentum > 0 and dampening 0, got momentum ${this.momentum} and dampening ${this.dampening}`,
      );
    }
  }

  protected init(size: number): SgdState {
    return { step: 0, buf: new Float64Array(this.momentum !== 0 ? size : 0) };
  }

  protected update(p: FloatArray, g: FloatArray, s: SgdState, lr: number): void {
    const { momentum: mu, dampening, nesterov, weightDecay: wd } = this;
    const sign = this.maximize ? -1 : 1;
    const b = s.buf;
    const first = s.step === 1;
    for (let k = 0; k < p.length; k++) {
      const theta = p[k];
      let d = sign * g[k];
      if (wd !== 0) d += wd * theta;
      if (mu !== 0) {
        b[k] = first ? d : mu * b[k] + (1 - dampening) * d;
        d = nesterov ? d + mu * b[k] : b[k];
      }
      p[k] = theta - lr * d;
    }
  }

  /** The optimizer and its settings, as a cell shows it: `SGD(lr=0.1, momentum=0.9, dampening=0, weightDecay=0)`. */
  override toString(): string {
    return describeOptimizer('SGD', [
      ['lr', this.lr],
      ['momentum', this.momentum],
      ['dampening', this.dampening],
      ['nesterov', this.nesterov],
      ['weightDecay', this.weightDecay],
      ['maximize', this.maximize],
    ]);
  }
}

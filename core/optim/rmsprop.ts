/**
 * RMSprop (Hinton, Coursera lecture 6e; centered form of Graves 2013), torch.optim.RMSprop
 * (torch 1.13). Per step, for each parameter θ with gradient g:
 *
 *   g ← −g if maximize
 *   g ← g + λ θ                                  (weightDecay λ ≠ 0)
 *   v ← α v + (1 − α) g²
 *   centered:  ḡ ← α ḡ + (1 − α) g,   a ← √(v − ḡ²) + ε
 *   otherwise: a ← √v + ε
 *   momentum μ > 0:  b ← μ b + g / a,  θ ← θ − γ b
 *   otherwise:       θ ← θ − γ g / a
 *
 * One guard beyond torch: in the centered form v − ḡ² is clamped at 0, so that rounding
 * (possible when α = 0 or the gradient is constant) gives √0 instead of NaN.
 */
import type { FloatArray } from '../dtype';
import { Optimizer, ParamState, describeOptimizer, flag, nonNegative, optionsOf } from './optimizer';

/** Options of `new RMSprop(…)`; a plain number is the learning rate. */
export interface RmspropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant α (default 0.99). */
  alpha?: number;
  /** Default 1e-8. */
  eps?: number;
  /** L2 penalty λ ≥ 0 added to the gradient. Default 0. */
  weightDecay?: number;
  /** Momentum μ ≥ 0 on the scaled step: b ← μ b + g / a. Default 0. */
  momentum?: number;
  /** Divide by an estimate of the gradient's variance, √(v − ḡ²), rather than √v (Graves 2013). Default false. */
  centered?: boolean;
  /** Ascend instead of descend (g ← −g). Default false. */
  maximize?: boolean;
}

interface RmspropState extends ParamState {
  /** Running mean of g², v. */
  squareAvg: Float64Array;
  /** Running mean of g, ḡ (empty unless centered). */
  gradAvg: Float64Array;
  /** Momentum buffer b (empty unless momentum > 0). */
  momentumBuffer: Float64Array;
}

const KEYS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'];

/**
 * RMSprop, torch.optim.RMSprop: v ← α v + (1 − α) g², θ ← θ − γ g / (√v + ε); centered and
 * momentum forms optional. Defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay, no momentum.
 * @example const opt = new RMSprop({ lr: 1e-3 });
 * @throws {LstmError} for a negative or non-finite number, or an unknown option.
 */
export class RMSprop extends Optimizer<RmspropState> {
  /** Smoothing constant α of the running mean of g². */
  readonly alpha: number;
  /** ε added to the denominator, for stability. */
  readonly eps: number;
  /** L2 penalty λ added to the gradient. */
  readonly weightDecay: number;
  /** Momentum μ (0: none). */
  readonly momentum: number;
  /** Whether the centered form (√(v − ḡ²)) is used. */
  readonly centered: boolean;
  /** Whether it ascends the objective. */
  readonly maximize: boolean;

  constructor(options?: number | RmspropOptions) {
    const o = optionsOf<RmspropOptions>('RMSprop', options, KEYS);
    super('RMSprop', o.lr ?? 1e-2);
    this.alpha = nonNegative('RMSprop: alpha', o.alpha, 0.99);
    this.eps = nonNegative('RMSprop: eps', o.eps, 1e-8);
    this.weightDecay = nonNegative('RMSprop: weightDecay', o.weightDecay, 0);
    this.momentum = nonNegative('RMSprop: momentum', o.momentum, 0);
    this.centered = flag('RMSprop: centered', o.centered, false);
    this.maximize = flag('RMSprop: maximize', o.maximize, false);
  }

  protected init(size: number): RmspropState {
    return {
      step: 0,
      squareAvg: new Float64Array(size),
      gradAvg: new Float64Array(this.centered ? size : 0),
      momentumBuffer: new Float64Array(this.momentum > 0 ? size : 0),
    };
  }

  protected update(p: FloatArray, g: FloatArray, s: RmspropState, lr: number): void {
    const { alpha, eps, weightDecay: wd, momentum: mu, centered } = this;
    const sign = this.maximize ? -1 : 1;
    const v = s.squareAvg;
    const gbar = s.gradAvg;
    const b = s.momentumBuffer;
    for (let k = 0; k < p.length; k++) {
      const theta = p[k];
      let gk = sign * g[k];
      if (wd !== 0) gk += wd * theta;
      const vk = (v[k] = v[k] * alpha + (1 - alpha) * (gk * gk));
      let a: number;
      if (centered) {
        const gb = (gbar[k] = gbar[k] * alpha + (1 - alpha) * gk);
        a = Math.sqrt(Math.max(vk - gb * gb, 0)) + eps;
      } else {
        a = Math.sqrt(vk) + eps;
      }
      if (mu > 0) {
        b[k] = b[k] * mu + gk / a;
        p[k] = theta - lr * b[k];
      } else {
        p[k] = theta - lr * (gk / a);
      }
    }
  }

  /** The optimizer and its settings, as a cell shows it: `RMSprop(lr=0.01, alpha=0.99, eps=1e-8, weightDecay=0, momentum=0)`. */
  override toString(): string {
    return describeOptimizer('RMSprop', [
      ['lr', this.lr],
      ['alpha', this.alpha],
      ['eps', this.eps],
      ['weightDecay', this.weightDecay],
      ['momentum', this.momentum],
      ['centered', this.centered],
      ['maximize', this.maximize],
    ]);
  }
}

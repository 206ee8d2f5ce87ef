/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), torch.optim.Adam / AdamW
 * (torch 1.13, the single-tensor path). Per step t of a parameter θ with gradient g:
 *
 *   g ← −g if maximize
 *   Adam:  g ← g + λ θ                 (L2 weight decay, coupled to the gradient)
 *   AdamW: θ ← θ (1 − γ λ)             (decoupled weight decay)
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   amsgrad: v_max ← max(v_max, v), and v_max replaces v below
 *   θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 *
 * (torch's docs write the amsgrad maximum over bias-corrected v̂; its code, which these
 * semantics follow, takes it over the raw v, as above.)
 */
import type { FloatArray } from '../dtype';
import { LstmError, describe } from '../errors';
import { Optimizer, ParamState, describeOptimizer, flag, nonNegative, optionsOf } from './optimizer';

/** Options of `new Adam(…)` and `new AdamW(…)`; a plain number is the learning rate. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** [β₁, β₂], each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** AMSGrad: divide by the running maximum of v instead of v. Default false. */
  amsgrad?: boolean;
  /** Ascend instead of descend (g ← −g). Default false. */
  maximize?: boolean;
}

interface AdamState extends ParamState {
  /** First moment m. */
  expAvg: Float64Array;
  /** Second moment v. */
  expAvgSq: Float64Array;
  /** max over steps of v (empty unless amsgrad). */
  maxExpAvgSq: Float64Array;
}

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'];

/** What Adam and AdamW share; `decoupled` picks where the weight decay goes. */
abstract class AdamBase extends Optimizer<AdamState> {
  /** [β₁, β₂]: decay rates of the first and second moment estimates. */
  readonly betas: readonly [number, number];
  /** ε added to √v̂ in the denominator, for stability. */
  readonly eps: number;
  /** Adam: L2 penalty λ added to the gradient. AdamW: decoupled decay, θ ← θ (1 − γ λ). */
  readonly weightDecay: number;
  /** Whether the AMSGrad maximum of v is used. */
  readonly amsgrad: boolean;
  /** Whether it ascends the objective. */
  readonly maximize: boolean;

  protected constructor(
    name: string,
    options: number | AdamOptions | undefined,
    /** true for AdamW (weight decay applied to θ directly), false for Adam (added to the gradient). */
    readonly decoupled: boolean,
  ) {
    const o = optionsOf<AdamOptions>(name, options, KEYS);
    super(name, o.lr ?? 1e-3);
    this.betas = checkBetas(name, o.betas);
    this.eps = nonNegative(`${name}: eps`, o.eps, 1e-8);
    this.weightDecay = nonNegative(`${name}: weightDecay`, o.weightDecay, decoupled ? 1e-2 : 0);
    this.amsgrad = flag(`${name}: amsgrad`, o.amsgrad, false);
    this.maximize = flag(`${name}: maximize`, o.maximize, false);
  }

  protected init(size: number): AdamState {
    return {
      step: 0,
      expAvg: new Float64Array(size),
      expAvgSq: new Float64Array(size),
      maxExpAvgSq: new Float64Array(this.amsgrad ? size : 0),
    };
  }

  protected update(p: FloatArray, g: FloatArray, s: AdamState, lr: number): void {
    const b1 = this.betas[0];
    const b2 = this.betas[1];
    const { eps, weightDecay: wd, amsgrad, decoupled } = this;
    const sign = this.maximize ? -1 : 1;
    const m = s.expAvg;
    const v = s.expAvgSq;
    const vmax = s.maxExpAvgSq;
    const stepSize = lr / (1 - b1 ** s.step);
    const bc2Sqrt = Math.sqrt(1 - b2 ** s.step);
    const shrink = decoupled ? 1 - lr * wd : 1; // AdamW: θ ← θ (1 − γλ) first
    const l2 = decoupled ? 0 : wd; //               Adam:  g ← g + λθ
    for (let k = 0; k < p.length; k++) {
      const theta = p[k] * shrink;
      let gk = sign * g[k];
      if (l2 !== 0) gk += l2 * theta;
      const mk = (m[k] = m[k] * b1 + (1 - b1) * gk);
      let vk = (v[k] = v[k] * b2 + (1 - b2) * (gk * gk));
      if (amsgrad) {
        if (vk < vmax[k]) vk = vmax[k];
        vmax[k] = vk;
      }
      // θ ← θ − (γ / bc₁) · m / (√v / √bc₂ + ε)
      p[k] = theta - stepSize * (mk / (Math.sqrt(vk) / bc2Sqrt + eps));
    }
  }

  /** The optimizer and its settings, as a cell shows it: `Adam(lr=0.001, betas=[0.9, 0.999], eps=1e-8, weightDecay=0)`. */
  override toString(): string {
    return describeOptimizer(this.name, [
      ['lr', this.lr],
      ['betas', `[${this.betas.join(', ')}]`],
      ['eps', this.eps],
      ['weightDecay', this.weightDecay],
      ['amsgrad', this.amsgrad],
      ['maximize', this.maximize],
    ]);
  }
}

/**
 * Adam (Kingma & Ba 2015), torch.optim.Adam: `new Adam(1e-3)` or `new Adam({ lr, betas, eps, weightDecay, amsgrad })`.
 * weightDecay is an L2 term in the gradient. Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.
 *   m ← β₁ m + (1 − β₁) g    v ← β₂ v + (1 − β₂) g²    θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * @example const opt = new Adam({ lr: 3e-3 });
 * @throws {LstmError} for a negative or non-finite lr, eps or weightDecay, betas outside [0, 1), or an unknown option.
 */
export class Adam extends AdamBase {
  constructor(options?: number | AdamOptions) {
    super('Adam', options, false);
  }
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter 2019, torch.optim.AdamW; weightDecay
 * defaults to 1e-2 as there): θ ← θ (1 − γ λ) before the Adam step. Other defaults as Adam.
 * @example const opt = new AdamW({ lr: 1e-3, weightDecay: 0.01 });
 * @throws {LstmError} for a negative or non-finite lr, eps or weightDecay, betas outside [0, 1), or an unknown option.
 */
export class AdamW extends AdamBase {
  constructor(options?: number | AdamOptions) {
    super('AdamW', options, true);
  }
}

function checkBetas(name: string, betas: unknown): readonly [number, number] {
  if (betas === undefined) return [0.9, 0.999];
  const ok = (b: unknown): boolean => typeof b === 'number' && b >= 0 && b < 1;
  if (!Array.isArray(betas) || betas.length !== 2 || !ok(betas[0]) || !ok(betas[1])) {
    throw new LstmError(`${name}: betas expected two numbers in [0, 1), such as [0.9, 0.999], got ${describe(betas)}`);
  }
  return Object.freeze([betas[0], betas[1]]) as readonly [number, number];
}

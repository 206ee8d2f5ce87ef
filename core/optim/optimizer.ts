/**
 * Optimizers update parameters in place from their gradients, as torch.optim does (torch 1.13:
 * same algorithms, same defaults, same order of operations). What they share lives here:
 *
 *  - `step(params)` updates every parameter that has a gradient buffer (a null grad is skipped,
 *    as torch skips `p.grad is None`) and counts the call in `stepCount`.
 *  - State (moments, accumulators, per-parameter step counts) is kept per Tensor in a WeakMap
 *    and allocated once, the first time a parameter is stepped, in float64 whatever the
 *    parameter's dtype. The update is computed in doubles and rounded once into the
 *    parameter's own array. step() itself allocates nothing.
 *  - `lr` is a public number: a schedule (or the user) may change it between steps.
 */
import type { FloatArray } from '../dtype';
import { LstmError, checkKeys, describe } from '../errors';
import { Tensor, formatShape } from '../tensor';

/** What every optimizer keeps per parameter; subclasses add their buffers. */
export interface ParamState {
  /** How many updates this parameter has had (torch's state['step']). */
  step: number;
}

/**
 * What every optimizer (SGD, Adam, AdamW, RMSprop, Adagrad) shares: `step(params)` updates
 * parameters in place from their gradients, as torch.optim does (torch 1.13); `lr` may be changed
 * between steps. State is kept per parameter Tensor, in float64.
 * @example const opt = new Adam(1e-3); opt.step(parametersOf(model));
 */
export abstract class Optimizer<S extends ParamState = ParamState> {
  /** Learning rate of the next step; schedules set it. */
  lr: number;
  /** How many times step() has run. */
  stepCount = 0;
  private states = new WeakMap<Tensor, S & { pass: number }>();
  private pass = 0;

  protected constructor(
    /** The algorithm's name: 'SGD', 'Adam', 'AdamW', 'RMSprop' or 'Adagrad'. */
    readonly name: string,
    lr: number,
  ) {
    this.lr = checkLr(name, lr);
  }

  /**
   * Updates each parameter in place from its `.grad`; parameters without a gradient buffer are
   * skipped. Everything is checked before anything changes. Does not zero the gradients.
   * @example opt.step(parametersOf(model)); zeroGrad(model);
   * @throws {LstmError} when params is not an array of Tensors, a parameter appears twice, a
   * gradient's size differs from its parameter's, or lr is not a finite number ≥ 0.
   */
  step(params: readonly Tensor[]): void {
    const name = this.name;
    if (!Array.isArray(params))
      throw new LstmError(
        `${name}.step: expected an array of parameter Tensors (e.g. parametersOf(model)), got ${describe(params)}`,
      );
    const lr = checkLr(name, this.lr);
    // Validate everything first, so a bad entry leaves every parameter untouched.
    const pass = ++this.pass;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (!(p instanceof Tensor))
        throw new LstmError(`${name}.step: expected an array of parameter Tensors, got ${describe(p)} at index ${i}`);
      if (p.grad === null) continue;
      if (p.grad.length !== p.data.length) {
        throw new LstmError(
          `${name}.step: the gradient of the parameter at index ${i} (shape ${formatShape(p.shape)}) has ${p.grad.length} values, expected ${p.data.length}`,
        );
      }
      let s = this.states.get(p);
      if (s === undefined) {
        s = Object.assign(this.init(p.size), { pass: 0 });
        this.states.set(p, s);
      }
      if (s.pass === pass)
        throw new LstmError(
          `${name}.step: the parameter at index ${i} (shape ${formatShape(p.shape)}) appears more than once; expected each parameter once`,
        );
      s.pass = pass;
    }
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (p.grad === null) continue;
      const s = this.states.get(p)!;
      s.step++;
      this.update(p.data, p.grad, s, lr);
    }
    this.stepCount++;
  }

  /**
   * Sets every parameter's gradient to zero (torch's zero_grad(set_to_none=False)).
   * @throws {LstmError} when params is not an array of Tensors.
   */
  zeroGrad(params: readonly Tensor[]): void {
    if (!Array.isArray(params))
      throw new LstmError(`${this.name}.zeroGrad: expected an array of parameter Tensors, got ${describe(params)}`);
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (!(p instanceof Tensor))
        throw new LstmError(
          `${this.name}.zeroGrad: expected an array of parameter Tensors, got ${describe(p)} at index ${i}`,
        );
      p.grad?.fill(0);
    }
  }

  /** The state kept for a parameter (undefined before its first step). For inspection: do not modify. */
  stateOf(param: Tensor): Readonly<S> | undefined {
    return this.states.get(param);
  }

  /** Forgets all state and sets stepCount to 0 (lr is kept). */
  reset(): void {
    this.states = new WeakMap();
    this.stepCount = 0;
  }

  /** Fresh state for a parameter of `size` values. */
  protected abstract init(size: number): S;

  /** One update of `p` from `g`; `s.step` has already been incremented. */
  protected abstract update(p: FloatArray, g: FloatArray, s: S, lr: number): void;
}

function checkLr(name: string, lr: unknown): number {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0)
    throw new LstmError(`${name}: lr expected a finite number ≥ 0, got ${describe(lr)}`);
  return lr;
}

/** Options as given to a constructor: a number is the learning rate. */
export function optionsOf<T extends { lr?: number }>(
  name: string,
  given: number | T | undefined,
  known: readonly string[],
): T {
  if (given === undefined) return {} as T;
  if (typeof given === 'number') return { lr: given } as T;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new LstmError(`${name}: expected a learning rate or an options object, got ${describe(given)}`);
  }
  checkKeys(name, given, known);
  return given;
}

/** A finite number ≥ 0 (the default when undefined). */
export function nonNegative(what: string, x: unknown, fallback: number): number {
  if (x === undefined) return fallback;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
    throw new LstmError(`${what}: expected a finite number ≥ 0, got ${describe(x)}`);
  return x;
}

export function flag(what: string, x: unknown, fallback: boolean): boolean {
  if (x === undefined) return fallback;
  if (typeof x !== 'boolean') throw new LstmError(`${what}: expected true or false, got ${describe(x)}`);
  return x;
}

/** "name(k=v, …)" for toString(). */
export function describeOptimizer(name: string, fields: Array<[string, number | boolean | string]>): string {
  const shown = fields.filter(([, v]) => v !== false).map(([k, v]) => (v === true ? k : `${k}=${v}`));
  return `${name}(${shown.join(', ')})`;
}

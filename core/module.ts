/**
 * What every layer and model shares: named parameters (under their state-dict names, in
 * PyTorch's layout) and a training flag (dropout is on only while training).
 */
import type { DType } from './dtype';
import { LstmError } from './errors';
import { Tensor } from './tensor';

/**
 * Anything with named parameters: every model and layer (LSTM, GRU, RNN, Linear, Embedding).
 * What optimizers, train(), parametersOf() and the state-dict functions take.
 */
export interface Module {
  /** Parameters under their state-dict names, in a stable order. Each has a gradient buffer. */
  namedParameters(): Array<[string, Tensor]>;
  /** The dtype of every parameter. */
  readonly dtype: DType;
}

/** A parameter: a tensor that always carries a gradient buffer. */
export function parameter(shape: readonly number[], dtype: DType): Tensor {
  return Tensor.zeros(shape, dtype).requireGrad();
}

/**
 * All parameters of several modules, de-duplicated (a module may be listed twice).
 * @example const params = parametersOf([model, head]);
 * @throws {LstmError} for something that is not a model or layer (no namedParameters()).
 */
export function parametersOf(modules: Module | readonly Module[]): Tensor[] {
  const list = Array.isArray(modules) ? modules : [modules as Module];
  const seen = new Set<Tensor>();
  const out: Tensor[] = [];
  for (const m of list) {
    if (m === null || typeof m !== 'object' || typeof (m as Module).namedParameters !== 'function') {
      throw new LstmError(
        `expected a model or layer (something with namedParameters()), got ${m === null ? 'null' : typeof m}`,
      );
    }
    for (const [, p] of (m as Module).namedParameters()) {
      if (!seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
    }
  }
  return out;
}

/**
 * Sets every parameter's gradient to zero: gradients accumulate, so do it before each backward.
 * @throws {LstmError} for something that is not a model or layer.
 */
export function zeroGrad(modules: Module | readonly Module[]): void {
  for (const p of parametersOf(modules)) p.zeroGrad();
}

/**
 * The number of trainable values (shared parameters counted once).
 * @example countParameters(new LSTM({ inputSize: 1, hiddenSize: 8 })); // 4·8·(1 + 8) + 2·4·8 = 352
 * @throws {LstmError} for something that is not a model or layer.
 */
export function countParameters(modules: Module | readonly Module[]): number {
  return parametersOf(modules).reduce((n, p) => n + p.size, 0);
}

/**
 * ∂L/∂θ of every parameter after a backward pass, under its state-dict name (copies, so the
 * next step does not overwrite what a cell keeps).
 */
export function namedGradients(module: Module): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, p] of module.namedParameters()) out[name] = p.gradTensor() ?? Tensor.zeros(p.shape, p.dtype);
  return out;
}

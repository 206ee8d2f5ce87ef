/**
 * What every task generator shares: the options for randomness and dtype, and one-hot writing.
 */
import { LstmError, checkKeys, describe } from '../../errors';
import { DType, checkDType, getDefaultDType } from '../../dtype';
import { Rng, globalRng } from '../../random';

/** Where a task's randomness comes from: `rng`, or `seed` for a fresh generator (not both). Default the global one. */
export interface RandomOptions {
  /** The generator to draw from (default: the global one). */
  rng?: Rng;
  /** Or a seed: draws from `new Rng(seed)`, so the same seed gives the same data. */
  seed?: number;
}

/** Options every task generator takes: count, dtype, and rng or seed. */
export interface TaskOptions extends RandomOptions {
  /** Number of sequences N. */
  count: number;
  /** dtype of the tensors (default: the global default dtype). */
  dtype?: DType;
}

/** Checks the option keys and resolves `rng` / `seed` to one generator. */
export function taskSetup(what: string, options: unknown, known: readonly string[]): { rng: Rng; dtype: DType } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new LstmError(
      `${what}: expected an options object such as { count: 1000, ${known.includes('length') ? 'length: 50, ' : ''}seed: 1 }, got ${describe(options)}`,
    );
  }
  checkKeys(what, options, [...known, 'count', 'rng', 'seed', 'dtype']);
  const o = options as TaskOptions;
  return { rng: resolveRng(what, o), dtype: o.dtype === undefined ? getDefaultDType() : checkDType(o.dtype) };
}

export function resolveRng(what: string, o: RandomOptions): Rng {
  if (o.rng !== undefined && o.seed !== undefined)
    throw new LstmError(`${what}: expected rng or seed, not both; got rng and seed ${describe(o.seed)}`);
  if (o.seed !== undefined) return new Rng(o.seed);
  if (o.rng !== undefined) {
    if (!(o.rng instanceof Rng))
      throw new LstmError(`${what}: rng expected an Rng (new Rng(seed)), got ${describe(o.rng)}`);
    return o.rng;
  }
  return globalRng;
}

/**
 * A slot is one entry of a state dict in some layout: its key, its shape, how to compute it
 * from the module's parameters and how to write it back. Import validates every slot's value
 * before it calls any `write`, so a failed import leaves the module untouched.
 */
import type { FloatArray } from '../dtype';
import { LstmError, describe } from '../errors';
import type { Module } from '../module';
import type { RecurrentSpec } from '../recurrent-spec';
import { Tensor } from '../tensor';

/** What the state-dict functions convert: any module; recurrent models also carry a spec. */
export interface StateDictModule extends Module {
  /** A recurrent model's shape; layers without one (Linear, Embedding) are read by their parameter names. */
  readonly spec?: RecurrentSpec;
}

export interface Slot {
  readonly key: string;
  readonly shape: readonly number[];
  /** The entry's values, flat and row-major, in the module's dtype. Read-only. */
  read(): FloatArray;
  /** Writes validated values (flat, row-major, of `shape`) into the module's parameters. */
  write(values: Float64Array): void;
  /** Extra advice when a value of shape `got` was given instead. */
  shapeHint?(got: readonly number[]): string | null;
}

/** The module's parameters by name, checking that it is a module at all. */
export function parametersByName(what: string, module: unknown): Map<string, Tensor> {
  if (module === null || typeof module !== 'object' || typeof (module as Module).namedParameters !== 'function') {
    throw new LstmError(
      `${what}: expected a model or layer (something with namedParameters()), got ${describe(module)}`,
    );
  }
  const out = new Map<string, Tensor>();
  for (const entry of (module as Module).namedParameters()) {
    const [name, p] = Array.isArray(entry) ? entry : [undefined, undefined];
    if (typeof name !== 'string' || !(p instanceof Tensor)) {
      throw new LstmError(`${what}: namedParameters() should give [name, Tensor] pairs, got ${describe(entry)}`);
    }
    if (!out.has(name)) out.set(name, p);
  }
  return out;
}

/** Torch layout: one slot per parameter, under its own name and shape. */
export function torchSlots(params: Map<string, Tensor>): Slot[] {
  return [...params].map(([key, p]) => ({
    key,
    shape: p.shape,
    read: () => p.data,
    write: (values: Float64Array) => p.data.set(values),
  }));
}

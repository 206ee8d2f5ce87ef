/**
 * Which kernels run the float32 hot loops: 'wasm' (WebAssembly SIMD, core/kernels/wasm/; the
 * default wherever it runs) or 'js' (the plain TypeScript reference, core/kernels/gemm.ts and
 * core/recurrent/*-cell.ts, the fallback). float64 always runs on 'js' — it is there for
 * gradient checks and exact comparisons.
 *
 * The two engines agree to float32 rounding, not bit for bit: 'js' computes in doubles and
 * rounds each stored value, 'wasm' computes in float32 (as PyTorch's CPU kernels do). Each is
 * deterministic on its own, on every host.
 */
import type { DType } from '../dtype';
import { LstmError, describe } from '../errors';
import { wasmUnavailableReason } from './wasm/runtime';

/**
 * Which kernels run float32 work: 'wasm' (WebAssembly SIMD, the default wherever it runs) or
 * 'js' (the plain TypeScript reference). float64 always runs on 'js'. The two agree to float32
 * rounding, not bit for bit.
 */
export type Engine = 'wasm' | 'js';

/** null until first asked: then 'wasm' where WebAssembly SIMD runs (everywhere Node ≥ 16.4 does), else 'js'. */
let engine: Engine | null = null;

/**
 * Selects the engine for float32 work from now on. 'wasm' throws, naming why, where WebAssembly SIMD is missing.
 * @example setEngine('js'); // the plain TypeScript reference kernels
 * @throws {LstmError} for anything but 'wasm' or 'js', and for 'wasm' where it cannot run.
 */
export function setEngine(e: Engine): void {
  if (e !== 'wasm' && e !== 'js') throw new LstmError(`setEngine: expected "wasm" or "js", got ${describe(e)}`);
  if (e === 'wasm') {
    const reason = wasmUnavailableReason();
    if (reason !== null) throw new LstmError(`setEngine("wasm"): the WebAssembly engine cannot run here: ${reason}`);
  }
  engine = e;
}

/** The engine float32 work runs on now: what setEngine chose, else 'wasm' where WebAssembly SIMD runs, else 'js'. */
export function getEngine(): Engine {
  if (engine === null) engine = wasmUnavailableReason() === null ? 'wasm' : 'js';
  return engine;
}

/** True when work on arrays of this dtype goes to the WebAssembly kernels. */
export function usesWasm(dtype: DType): boolean {
  return dtype === 'float32' && getEngine() === 'wasm';
}

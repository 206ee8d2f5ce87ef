/**
 * Number formats. float32 is the default (what PyTorch and the charts use); float64 is there
 * for gradient checks and exact comparisons. Arithmetic happens in JS doubles either way; a
 * float32 tensor rounds each stored value, as a float32 kernel that accumulates in a wider
 * register would.
 */
import { LstmError, describe } from './errors';

/**
 * A number format for tensors and models: 'float32' (the default: what PyTorch and the charts
 * use, and what the WebAssembly engine runs) or 'float64' (for gradient checks and exact comparisons).
 */
export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

let defaultDType: DType = 'float32';

/**
 * Sets the dtype used by constructors that are not told one (Tensor.zeros, models, datasets, …),
 * from now on. Already built tensors and models keep theirs.
 * @example setDefaultDType('float64'); // before a gradCheck
 * @throws {LstmError} for anything but 'float32' or 'float64'.
 */
export function setDefaultDType(dtype: DType): void {
  defaultDType = checkDType(dtype);
}

/** The dtype used by constructors that are not told one: 'float32' unless setDefaultDType changed it. */
export function getDefaultDType(): DType {
  return defaultDType;
}

export function checkDType(dtype: unknown): DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new LstmError(`dtype: expected "float32" or "float64", got ${describe(dtype)}`);
  }
  return dtype;
}

/**
 * A zeroed array of `size` values. When the runtime cannot make one that large the error says
 * what it was for (`what`), how many values and bytes it needed — not "Invalid typed array
 * length".
 */
export function allocate(dtype: DType, size: number, what = 'an array'): FloatArray {
  return sized(dtype, size, what, () => (dtype === 'float64' ? new Float64Array(size) : new Float32Array(size)));
}

/**
 * A new array holding a copy of src's values, in `dtype` (default: src's) — instead of allocate
 * then set, for an array filled whole at once (a trace's blocks, a clone). Made from src in one
 * pass: the runtime skips zeroing what it fills anyway (8 arrays of 1 MiB: 1.00 → 0.77 ms
 * here). Fails as allocate does.
 */
export function copyOf(src: FloatArray, what = 'an array', dtype: DType = dtypeOf(src)): FloatArray {
  return sized(dtype, src.length, what, () => (dtype === 'float64' ? new Float64Array(src) : new Float32Array(src)));
}

/** make(), with a RangeError for a size the runtime refuses turned into an LstmError that says what it was for. */
function sized(dtype: DType, size: number, what: string, make: () => FloatArray): FloatArray {
  try {
    return make();
  } catch (error) {
    // A subclass is a host's refusal (the kernel's memory limit), which says its own reason.
    if (!(error instanceof RangeError) || error.constructor !== RangeError) throw error;
    const bytes = size * (dtype === 'float64' ? 8 : 4);
    throw new LstmError(
      `${what} needs ${size.toLocaleString('en-US')} ${dtype} values (${formatBytes(bytes)}); expected a size this process can allocate — make it smaller`,
    );
  }
}

/** 1536 → "1.5 KiB", 4e12 → "3.6 TiB". */
function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

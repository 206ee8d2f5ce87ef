/**
 * Number formats. float32 is the default (what PyTorch and the charts use); float64 is there
 * for gradient checks and exact comparisons. Arithmetic happens in JS doubles either way; a
 * float32 tensor rounds each stored value, as a float32 kernel that accumulates in a wider
 * register would.
 */
import { LstmError, describe } from './errors';

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

let defaultDType: DType = 'float32';

/** Sets the dtype used by constructors that are not told one. */
export function setDefaultDType(dtype: DType): void {
  defaultDType = checkDType(dtype);
}

export function getDefaultDType(): DType {
  return defaultDType;
}

export function checkDType(dtype: unknown): DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new LstmError(`dtype: expected "float32" or "float64", got ${describe(dtype)}`);
  }
  return dtype;
}

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

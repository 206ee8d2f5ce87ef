/**
 * Reference values written by the scripts in test/fixtures/ (PyTorch 1.13, float64), read from
 * the repository whatever directory the compiled tests run from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DType } from '../../core/dtype';
import { Tensor } from '../../core/tensor';

/** A tensor as the fixture scripts write it. */
export interface EncodedTensor {
  shape: number[];
  data: number[];
}

let root: string | null = null;

/** The directory holding package.json, found by walking up from this file. */
export function repoRoot(): string {
  if (root !== null) return root;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
}

/** Parsed test/fixtures/torch/<name>. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadFixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'torch', name), 'utf8'));
}

export function toTensor(enc: EncodedTensor, dtype: DType = 'float64'): Tensor {
  return Tensor.from(enc.data, enc.shape, dtype);
}

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| entrywise, naming the worst entry.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol: number,
  what = 'values',
): void {
  if (actual.length !== expected.length)
    throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let k = 0; k < expected.length; k++) {
    const err = Math.abs(actual[k] - expected[k]);
    const excess = err - (atol + rtol * Math.abs(expected[k]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = k;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}: entry ${worst} is ${actual[worst]}, expected ${expected[worst]} (|diff| ${Math.abs(actual[worst] - expected[worst])}, allowed ${atol} + ${rtol}·|expected|)`,
    );
  }
}

/** Tolerances for comparing with float64 references: float64 runs to 1e-9, float32 runs to 1e-4 relative. */
export const TOLERANCE: Record<DType, { rtol: number; atol: number }> = {
  float64: { rtol: 1e-9, atol: 1e-9 },
  float32: { rtol: 1e-4, atol: 1e-6 },
};

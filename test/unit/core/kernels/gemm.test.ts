/**
 * The JS gemm (core/kernels/gemm.ts) against the naive triple loops of
 * test/helpers/gemm-reference.ts, in float32 and float64: sizes that are not multiples of its
 * register tiles (2 rows × 4 columns in ABt, 2 rows × 4 k in AB, 32×32 in the transposes of
 * AtB), zero-sized dimensions, offsets and leading dimensions wider than the rows, into a
 * random C (accumulate) and a zero C (plain product). Error allowed: the dot-product bound of
 * assertWithinDotBound, (K + 2)·(u + 2⁻⁵³)·Σ|terms|, u the dtype's unit roundoff.
 *
 * Then IEEE special values: a NaN or ∞ in B multiplied by a zero of A is NaN (0·NaN = NaN,
 * 0·∞ = NaN), and must reach every row of C alike, as in the naive product.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, type DType, type FloatArray } from '../../../../core/dtype';
import { gemmAB, gemmABt, gemmAtB, transpose } from '../../../../core/kernels/gemm';
import { Rng } from '../../../../core/random';
import {
  assertOutsideWindowUntouched,
  assertWithinDotBound,
  LAYOUT,
  NAIVE,
  referenceProduct,
  unitRoundoff,
  type GemmForm,
} from '../../../helpers/gemm-reference';

const FORMS: GemmForm[] = ['ABt', 'AB', 'AtB'];
const KERNEL = { ABt: gemmABt, AB: gemmAB, AtB: gemmAtB };
const DTYPES: DType[] = ['float32', 'float64'];

/** [M, N, K]: below, at and past the tiles, odd everywhere, and each dimension zero in turn. */
const SIZES: Array<[number, number, number]> = [
  [1, 1, 1],
  [2, 4, 4],
  [3, 5, 7],
  [5, 3, 9],
  [7, 9, 5],
  [6, 8, 1],
  [1, 13, 2],
  [33, 37, 35],
  [0, 5, 3],
  [4, 0, 3],
  [4, 5, 0],
  [0, 0, 0],
];

function filled(dtype: DType, n: number, rng: Rng): FloatArray {
  const a = allocate(dtype, n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

/** Operands for `form` with offsets and padded leading dimensions; C random or zero. */
function operands(form: GemmForm, dtype: DType, M: number, N: number, K: number, rng: Rng, zeroC: boolean) {
  const [aRows, aCols] = LAYOUT[form].aShape(M, K);
  const [bRows, bCols] = LAYOUT[form].bShape(K, N);
  const aOff = 3,
    lda = aCols + 2;
  const bOff = 1,
    ldb = bCols + 3;
  const cOff = 2,
    ldc = N + 3;
  const A = filled(dtype, aOff + aRows * lda + 1, rng);
  const B = filled(dtype, bOff + bRows * ldb + 2, rng);
  const C = filled(dtype, cOff + M * ldc + 5, rng);
  // Zero only the window: the padding keeps its random values, to show it is not written.
  if (zeroC) for (let m = 0; m < M; m++) C.fill(0, cOff + m * ldc, cOff + m * ldc + N);
  return { A, aOff, lda, B, bOff, ldb, C, cOff, ldc };
}

for (const form of FORMS) {
  for (const dtype of DTYPES) {
    for (const zeroC of [false, true]) {
      const into = zeroC ? 'into a zero C (plain product)' : 'accumulated into a random C';
      test(`gemm${form} ${dtype} ${into} matches the naive product within the dot-product bound`, () => {
        const rng = new Rng(11);
        for (const [M, N, K] of SIZES) {
          const { A, aOff, lda, B, bOff, ldb, C, cOff, ldc } = operands(form, dtype, M, N, K, rng, zeroC);
          const before = C.slice();
          const ref = referenceProduct(form, M, N, K, A, aOff, lda, B, bOff, ldb, before, cOff, ldc);
          KERNEL[form](M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
          const label = `gemm${form} ${dtype} M=${M} N=${N} K=${K}`;
          assertWithinDotBound(label, M, N, K, unitRoundoff(C), (m, n) => C[cOff + m * ldc + n], ref);
          assertOutsideWindowUntouched(label, C, before, M, N, cOff, ldc);
        }
      });
    }
  }

  test(`gemm${form} with K = 0 leaves C exactly as it was (an empty sum adds 0)`, () => {
    const rng = new Rng(5);
    for (const dtype of DTYPES) {
      const { A, aOff, lda, B, bOff, ldb, C, cOff, ldc } = operands(form, dtype, 3, 6, 0, rng, false);
      const before = C.slice();
      KERNEL[form](3, 6, 0, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
      assert.deepEqual(C, before);
    }
  });

  test(`gemm${form} accumulates: two calls add the product twice`, () => {
    const rng = new Rng(9);
    const [M, N, K] = [5, 7, 6];
    const { A, aOff, lda, B, bOff, ldb, C, cOff, ldc } = operands(form, 'float64', M, N, K, rng, false);
    const before = C.slice();
    KERNEL[form](M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
    KERNEL[form](M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
    // The reference of the same call made twice (its C0 is the result of the first).
    const twice = before.slice();
    NAIVE[form](M, N, K, A, aOff, lda, B, bOff, ldb, twice, cOff, ldc);
    NAIVE[form](M, N, K, A, aOff, lda, B, bOff, ldb, twice, cOff, ldc);
    // float64, |a|, |b|, |c0| ≤ 1: 2K + 1 = 13 terms, so the bound is (13 + 1)·2·2⁻⁵³·13 < 5e-14.
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const i = cOff + m * ldc + n;
        assert.ok(Math.abs(C[i] - twice[i]) <= 5e-14, `(${m}, ${n}): ${C[i]} vs ${twice[i]}`);
        assert.ok(Math.abs(C[i] - before[i]) > 1e-6, `(${m}, ${n}) did not change`);
      }
    }
  });

  for (const dtype of DTYPES) {
    test(`gemm${form} ${dtype}: 0·NaN and 0·∞ in B give NaN in every row of C, as the naive product`, () => {
      // M = 5: two row pairs and a last single row (each kernel's tail path); N, K not multiples of 4.
      const [M, N, K] = [5, 6, 7];
      const rng = new Rng(3);
      const { A, aOff, lda, B, bOff, ldb, C, cOff, ldc } = operands(form, dtype, M, N, K, rng, true);
      const at = LAYOUT[form];
      // Column k = 2 of A is zero in every row, and the last row of A is zero throughout (a
      // one-hot row that missed, a ReLU that is off): the zeros that a skip would jump over.
      for (let m = 0; m < M; m++) A[aOff + at.a(m, 2, lda)] = 0;
      for (let k = 0; k < K; k++) A[aOff + at.a(M - 1, k, lda)] = 0;
      B[bOff + at.b(2, 1, ldb)] = NaN; // behind the zero column of A: NaN in column 1
      B[bOff + at.b(2, 4, ldb)] = Infinity; // 0·∞ = NaN: column 4
      B[bOff + at.b(5, 3, ldb)] = -Infinity; // behind non-zeros: ±∞ in column 3, except 0·∞ in the last row
      const before = C.slice();
      const ref = referenceProduct(form, M, N, K, A, aOff, lda, B, bOff, ldb, before, cOff, ldc);
      KERNEL[form](M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          const got = C[cOff + m * ldc + n];
          const want = ref.value[m * N + n];
          // What IEEE arithmetic says, independent of either implementation:
          const expectNaN = n === 1 || n === 4 || (n === 3 && m === M - 1);
          assert.equal(Number.isNaN(want), expectNaN, `reference at (${m}, ${n}) is ${want}`);
          assert.equal(Number.isNaN(got), expectNaN, `kernel at (${m}, ${n}) is ${got}, the naive product ${want}`);
          if (n === 3 && m < M - 1) assert.equal(got, want, `(${m}, ${n}): ±∞ as the naive product`);
        }
      }
      assertOutsideWindowUntouched(`gemm${form} ${dtype} with NaN`, C, before, M, N, cOff, ldc);
    });
  }
}

test('transpose copies a (rows, cols) block at an offset and leading dimension into a (cols, rows) array of the same type', () => {
  const rng = new Rng(2);
  for (const dtype of DTYPES) {
    // 33 × 70: past one 32×32 tile in each direction.
    for (const [rows, cols] of [
      [0, 3],
      [1, 1],
      [3, 5],
      [33, 70],
    ]) {
      const off = 4,
        ld = cols + 3;
      const src = filled(dtype, off + rows * ld, rng);
      const out = transpose(src, off, ld, rows, cols);
      assert.equal(out.constructor, src.constructor);
      assert.equal(out.length, rows * cols);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) assert.equal(out[c * rows + r], src[off + r * ld + c], `(${r}, ${c})`);
    }
  }
});

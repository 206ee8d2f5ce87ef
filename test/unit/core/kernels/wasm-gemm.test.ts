/**
 * The WebAssembly gemm (core/kernels/wasm/assembly/gemm.ts) against the naive float64 products
 * of test/helpers/gemm-reference.ts, over sizes that are not multiples of its 4×8 tile, in all
 * three forms the layers use, with offsets and leading dimensions wider than the rows. The
 * error allowed is the classical bound for a float32 dot product of length K plus the one
 * addition into C, (K + 2)·u·Σ|terms| (u = 2⁻²⁴), widened by the float64 reference's own error
 * (see assertWithinDotBound).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmABt } from '../../../../core/kernels/gemm';
import { gemmPtr, wasmAB, wasmABt, wasmAtB } from '../../../../core/kernels/wasm/products';
import {
  instantiateBuild,
  relaxedSimdSupported,
  wasmKernels,
  type KernelBuild,
} from '../../../../core/kernels/wasm/runtime';
import { Rng } from '../../../../core/random';
import {
  assertOutsideWindowUntouched,
  assertWithinDotBound,
  LAYOUT,
  referenceProduct,
  type GemmForm,
} from '../../../helpers/gemm-reference';

const U = 2 ** -24;
const SIZES: Array<[number, number, number]> = [
  [1, 1, 1],
  [1, 8, 3],
  [3, 5, 7],
  [4, 8, 1],
  [5, 9, 13],
  [7, 1, 17],
  [17, 31, 3],
  [33, 65, 129],
  [64, 128, 32],
];

const wasm = { ABt: wasmABt, AB: wasmAB, AtB: wasmAtB };

function filled(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

for (const form of ['ABt', 'AB', 'AtB'] as GemmForm[]) {
  test(`wasm gemm ${form} matches a float64 product within the float32 dot-product bound, odd sizes included`, () => {
    const rng = new Rng(7);
    for (const [M, N, K] of SIZES) {
      const [aRows, aCols] = LAYOUT[form].aShape(M, K);
      const [bRows, bCols] = LAYOUT[form].bShape(K, N);
      const lda = aCols + 3,
        ldb = bCols + 1,
        ldc = N + 2;
      const aOff = 5,
        bOff = 2,
        cOff = 3;
      const A = filled(aOff + aRows * lda, rng);
      const B = filled(bOff + bRows * ldb, rng);
      const C = filled(cOff + M * ldc + 4, rng);
      const before = C.slice();
      const ref = referenceProduct(form, M, N, K, A, aOff, lda, B, bOff, ldb, before, cOff, ldc);
      wasm[form](M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
      const label = `${form} M=${M} N=${N} K=${K}`;
      assertWithinDotBound(label, M, N, K, U, (m, n) => C[cOff + m * ldc + n], ref);
      assertOutsideWindowUntouched(label, C, before, M, N, cOff, ldc);
    }
  });
}

test('the engine runs the relaxed-SIMD build where the runtime accepts it (npm test runs Node with the flag)', () => {
  assert.equal(wasmKernels().build, relaxedSimdSupported() ? 'relaxed' : 'simd128');
  assert.ok(relaxedSimdSupported(), 'npm test passes --experimental-wasm-relaxed-simd, so both builds are tested');
});

for (const build of ['simd128', 'relaxed'] as KernelBuild[]) {
  test(`the ${build} build's gemm (its own instance) meets the same bound on odd sizes`, (t) => {
    if (build === 'relaxed' && !relaxedSimdSupported()) return t.skip('runtime without relaxed SIMD');
    const kw = instantiateBuild(build);
    assert.equal(kw.build, build);
    const rng = new Rng(17);
    for (const [M, N, K] of SIZES) {
      const { arena } = kw;
      const mark = arena.mark();
      const A = filled(M * K, rng),
        B = filled(K * N, rng),
        C = filled(M * N, rng);
      const a = arena.put(A),
        b = arena.put(B),
        c = arena.put(C);
      gemmPtr(kw, M, N, K, a, K, 1, b, N, 1, c, N);
      const got = arena.f32(c, M * N).slice();
      arena.release(mark);
      const ref = referenceProduct('AB', M, N, K, A, 0, K, B, 0, N, C, 0, N);
      assertWithinDotBound(`${build} M=${M} N=${N} K=${K}`, M, N, K, U, (m, n) => got[m * N + n], ref);
    }
  });
}

test('wasm gemm agrees with the JS reference kernels and is bit-identical run to run', () => {
  const rng = new Rng(3);
  const [M, N, K] = [37, 70, 45];
  const A = filled(M * K, rng);
  const B = filled(N * K, rng);
  const c1 = new Float32Array(M * N);
  const c2 = new Float32Array(M * N);
  const cj = new Float32Array(M * N);
  wasmABt(M, N, K, A, 0, K, B, 0, K, c1, 0, N);
  wasmABt(M, N, K, A, 0, K, B, 0, K, c2, 0, N);
  gemmABt(M, N, K, A, 0, K, B, 0, K, cj, 0, N);
  assert.deepEqual(c1, c2);
  let worst = 0;
  for (let i = 0; i < c1.length; i++) worst = Math.max(worst, Math.abs(c1[i] - cj[i]));
  assert.ok(worst < 1e-5, `wasm vs js: worst difference ${worst}`);
});

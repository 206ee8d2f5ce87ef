/**
 * The WebAssembly gemm (core/kernels/wasm/assembly/gemm.ts) against a naive float64 product,
 * over sizes that are not multiples of its 4×8 tile, in all three forms the layers use, with
 * offsets and leading dimensions wider than the rows. The error allowed is the classical bound
 * for a float32 dot product of length K: |ĉ − c| ≤ K·u·Σ_k |a_k b_k| (u = 2⁻²⁴), plus the
 * rounding of the one addition into C.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmAB, gemmABt, gemmAtB } from '../../../../core/kernels/gemm';
import { gemmPtr, wasmAB, wasmABt, wasmAtB } from '../../../../core/kernels/wasm/products';
import {
  instantiateBuild,
  relaxedSimdSupported,
  wasmKernels,
  type KernelBuild,
} from '../../../../core/kernels/wasm/runtime';
import { Rng } from '../../../../core/random';

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

type Form = 'ABt' | 'AB' | 'AtB';
/** Element (m, k) of A and (k, n) of B in each form, as the JS kernels read them. */
const index = {
  ABt: {
    a: (m: number, k: number, ld: number) => m * ld + k,
    b: (k: number, n: number, ld: number) => n * ld + k,
    aRows: (M: number, K: number) => [M, K],
    bRows: (K: number, N: number) => [N, K],
  },
  AB: {
    a: (m: number, k: number, ld: number) => m * ld + k,
    b: (k: number, n: number, ld: number) => k * ld + n,
    aRows: (M: number, K: number) => [M, K],
    bRows: (K: number, N: number) => [K, N],
  },
  AtB: {
    a: (m: number, k: number, ld: number) => k * ld + m,
    b: (k: number, n: number, ld: number) => k * ld + n,
    aRows: (M: number, K: number) => [K, M],
    bRows: (K: number, N: number) => [K, N],
  },
};
const wasm = { ABt: wasmABt, AB: wasmAB, AtB: wasmAtB };
const js = { ABt: gemmABt, AB: gemmAB, AtB: gemmAtB };

/**
 * got(m, n) = c0(m, n) + Σ_k a(m, k)·b(k, n) within the float32 bound (K + 2)·u·Σ|terms|, the
 * exact value computed in float64.
 */
function assertWithinBound(
  label: string,
  M: number,
  N: number,
  K: number,
  got: (m: number, n: number) => number,
  c0: (m: number, n: number) => number,
  a: (m: number, k: number) => number,
  b: (k: number, n: number) => number,
): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let exact = c0(m, n);
      let mag = Math.abs(exact);
      for (let k = 0; k < K; k++) {
        const p = a(m, k) * b(k, n);
        exact += p;
        mag += Math.abs(p);
      }
      const bound = (K + 2) * U * mag + 1e-30;
      assert.ok(
        Math.abs(got(m, n) - exact) <= bound,
        `${label} at (${m}, ${n}): ${got(m, n)} vs ${exact}, bound ${bound}`,
      );
    }
  }
}

function filled(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

for (const form of ['ABt', 'AB', 'AtB'] as Form[]) {
  test(`wasm gemm ${form} matches a float64 product within the float32 dot-product bound, odd sizes included`, () => {
    const rng = new Rng(7);
    const f = index[form];
    for (const [M, N, K] of SIZES) {
      const [ar, ac] = f.aRows(M, K);
      const [br, bc] = f.bRows(K, N);
      const lda = ac + 3,
        ldb = bc + 1,
        ldc = N + 2;
      const aOff = 5,
        bOff = 2,
        cOff = 3;
      const A = filled(aOff + ar * lda, rng);
      const B = filled(bOff + br * ldb, rng);
      const C = filled(cOff + M * ldc + 4, rng);
      const before = C.slice();
      wasm[form](M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
      assertWithinBound(
        `${form} M=${M} N=${N} K=${K}`,
        M,
        N,
        K,
        (m, n) => C[cOff + m * ldc + n],
        (m, n) => before[cOff + m * ldc + n],
        (m, k) => A[aOff + f.a(m, k, lda)],
        (k, n) => B[bOff + f.b(k, n, ldb)],
      );
      // Everything outside C's M×N block (the offset, the row gaps, the tail) is untouched.
      for (let i = 0; i < C.length; i++) {
        const r = Math.floor((i - cOff) / ldc);
        const col = (i - cOff) % ldc;
        const inside = i >= cOff && r < M && col < N;
        if (!inside) assert.equal(C[i], before[i], `${form} M=${M} N=${N} K=${K}: element ${i} outside C changed`);
      }
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
      assertWithinBound(
        `${build} M=${M} N=${N} K=${K}`,
        M,
        N,
        K,
        (m, n) => got[m * N + n],
        (m, n) => C[m * N + n],
        (m, k) => A[m * K + k],
        (k, n) => B[k * N + n],
      );
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
  js.ABt(M, N, K, A, 0, K, B, 0, K, cj, 0, N);
  assert.deepEqual(c1, c2);
  let worst = 0;
  for (let i = 0; i < c1.length; i++) worst = Math.max(worst, Math.abs(c1[i] - cj[i]));
  assert.ok(worst < 1e-5, `wasm vs js: worst difference ${worst}`);
});

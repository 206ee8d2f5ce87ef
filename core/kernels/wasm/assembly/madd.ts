/**
 * acc + x·b on four f32 lanes. The relaxed-SIMD build (see scripts/build-wasm.mjs) fuses it
 * into one multiply-add where the CPU has one (every x86-64 since 2013, every ARM64): one
 * instruction instead of two and one rounding instead of two. The SIMD128 build, for runtimes
 * without relaxed SIMD, multiplies then adds.
 *
 * Users: the gemm's inner loop (~35 % more throughput) and the activations' polynomials and
 * range reduction (25–29 % less time per value, no larger error: activations.ts).
 */
@inline export function madd(x: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, b, acc);
  return f32x4.add(acc, f32x4.mul(x, b));
}

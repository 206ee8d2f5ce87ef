/**
 * exp, the logistic sigmoid and tanh on four f32 lanes. WebAssembly has no transcendental
 * instructions, so these are polynomials; each is within a few float32 ulps of the exact
 * function (test/unit/core/kernels/wasm-activations.test.ts measures it against Math.*).
 * JS twins: Math.exp, 1 / (1 + Math.exp(−x)), Math.tanh (core/recurrent/*-cell.ts).
 *
 * exp(x): Cody–Waite range reduction x = n·ln 2 + r, |r| ≤ ln 2 / 2, n an integer;
 *   exp(x) = 2ⁿ · exp(r), exp(r) by its Taylor series to r⁷ (the next term is < 6·10⁻⁹ of
 *   exp(r), below half an ulp), 2ⁿ built in the exponent bits. x is clamped to [−87, 88],
 *   where exp stays a normal float; gates saturate long before.
 * σ(x) = 1 / (1 + exp(−x)).
 * tanh(x) = sign(x) · e / (e + 2) with e = expm1(2|x|), one division for every argument:
 *   expm1(u) = 2ⁿ · (expm1(r) + 1) − 1 = 2ⁿ · expm1(r) + (2ⁿ − 1), with u = n·ln 2 + r as for
 *   exp and expm1(r) by its Taylor series to r⁸ (the next term is < 6·10⁻¹⁰ of it). For
 *   u < ln 2 / 2, n = 0 and e = expm1(r) itself: no cancellation, so small arguments keep their
 *   relative precision. 2|x| is clamped to 40, where tanh is 1 in float32 and 2ⁿ stays finite.
 *
 * The Horner steps and the two-step reduction are multiply-adds (madd.ts): fused on relaxed
 * SIMD, which took exp from 1.09 to 0.78 ns a value, σ from 1.48 to 1.08 and tanh from 1.83 to
 * 1.37 here, and left the worst errors over 8.4 M points at 0.91 ulps (exp, was 1.19), 2.48 (σ)
 * and 2.95 (tanh, was 2.92). A fused n·LN2_HI step is the same exact product as before.
 */
import { madd } from './madd';

const LOG2E: f32 = 1.44269504088896341;
// ln 2 split so that n·LN2_HI is exact for |n| < 2¹¹ (Cody & Waite 1980).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** n = the integer nearest x / ln 2, per lane (as a float). */
@inline function nearestLog2(x: v128): v128 {
  return f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
}

/** r = x − n·ln 2, in two steps (LN2_HI, then LN2_LO) so that it stays exact: |r| ≤ ln 2 / 2. */
@inline function reduceLn2(x: v128, n: v128): v128 {
  const m = f32x4.neg(n);
  return madd(m, f32x4.splat(LN2_LO), madd(m, f32x4.splat(LN2_HI), x));
}

/** 2ⁿ for an integer-valued n: n + 127 in the exponent field. */
@inline function pow2(n: v128): v128 {
  return i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
}

@inline export function vexp(x: v128): v128 {
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.0)), f32x4.splat(-87.0));
  const n = nearestLog2(x);
  const r = reduceLn2(x, n);
  // 1 + r + r²/2! + … + r⁷/7!  (Horner)
  let p = f32x4.splat(1.0 / 5040.0);
  p = madd(p, r, f32x4.splat(1.0 / 720.0));
  p = madd(p, r, f32x4.splat(1.0 / 120.0));
  p = madd(p, r, f32x4.splat(1.0 / 24.0));
  p = madd(p, r, f32x4.splat(1.0 / 6.0));
  p = madd(p, r, f32x4.splat(0.5));
  p = madd(p, r, f32x4.splat(1.0));
  p = madd(p, r, f32x4.splat(1.0));
  return f32x4.mul(p, pow2(n));
}

@inline export function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

@inline export function vtanh(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const u = f32x4.pmin(f32x4.add(f32x4.abs(x), f32x4.abs(x)), f32x4.splat(40.0));
  const n = nearestLog2(u);
  const r = reduceLn2(u, n);
  // expm1(r) = r · (1 + r/2! + r²/3! + … + r⁷/8!)  (Horner)
  let q = f32x4.splat(1.0 / 40320.0);
  q = madd(q, r, f32x4.splat(1.0 / 5040.0));
  q = madd(q, r, f32x4.splat(1.0 / 720.0));
  q = madd(q, r, f32x4.splat(1.0 / 120.0));
  q = madd(q, r, f32x4.splat(1.0 / 24.0));
  q = madd(q, r, f32x4.splat(1.0 / 6.0));
  q = madd(q, r, f32x4.splat(0.5));
  q = madd(q, r, one);
  const em1r = f32x4.mul(q, r);
  // e = 2ⁿ·expm1(r) + (2ⁿ − 1), with 2ⁿ − 1 exact for n ≤ 24.
  const scale = pow2(n);
  const e = madd(scale, em1r, f32x4.sub(scale, one));
  const t = f32x4.div(e, f32x4.add(e, f32x4.splat(2.0)));
  // t ≥ 0: give it the sign bit of x.
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

/** Loads 4 lanes, or (tail) one value splatted; stores 4 lanes or lane 0. */
@inline export function ld(p: usize, full: bool): v128 {
  return full ? v128.load(p) : f32x4.splat(load<f32>(p));
}

@inline export function st(p: usize, v: v128, full: bool): void {
  if (full) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

/** y[k] = σ(x[k]) for k < n (for tests of the approximation). */
export function sigmoidArray(x: usize, y: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(y + (<usize>k << 2), vsigmoid(v128.load(x + (<usize>k << 2))));
  for (; k < n; k++) st(y + (<usize>k << 2), vsigmoid(ld(x + (<usize>k << 2), false)), false);
}

/** y[k] = tanh(x[k]) for k < n. */
export function tanhArray(x: usize, y: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(y + (<usize>k << 2), vtanh(v128.load(x + (<usize>k << 2))));
  for (; k < n; k++) st(y + (<usize>k << 2), vtanh(ld(x + (<usize>k << 2), false)), false);
}

/** y[k] = exp(x[k]) for k < n. */
export function expArray(x: usize, y: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(y + (<usize>k << 2), vexp(v128.load(x + (<usize>k << 2))));
  for (; k < n; k++) st(y + (<usize>k << 2), vexp(ld(x + (<usize>k << 2), false)), false);
}

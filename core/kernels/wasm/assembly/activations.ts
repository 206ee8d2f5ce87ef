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
 * tanh(x) = sign(x) · t(|x|):
 *   |x| < ln 2 / 2:  t = e / (e + 2) with e = expm1(2|x|) by its Taylor series to u⁹ — no
 *                    cancellation, so small arguments keep their relative precision;
 *   otherwise:       t = 1 − 2 / (exp(2|x|) + 1).
 */

const LOG2E: f32 = 1.44269504088896341;
// ln 2 split so that n·LN2_HI is exact for |n| < 2¹¹ (Cody & Waite 1980).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const SMALL_TANH: f32 = 0.34657359; // ln 2 / 2

@inline export function vexp(x: v128): v128 {
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.0)), f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  // 1 + r + r²/2! + … + r⁷/7!  (Horner)
  let p = f32x4.splat(1.0 / 5040.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 720.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // 2ⁿ: n + 127 in the exponent field.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline export function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

@inline export function vtanh(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const two = f32x4.splat(2.0);
  const a = f32x4.abs(x);
  const u = f32x4.add(a, a);
  // expm1(u) = u · (1 + u/2! + u²/3! + … + u⁸/9!)
  let q = f32x4.splat(1.0 / 362880.0);
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(1.0 / 40320.0));
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(1.0 / 5040.0));
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(1.0 / 720.0));
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(1.0 / 120.0));
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(1.0 / 24.0));
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(1.0 / 6.0));
  q = f32x4.add(f32x4.mul(q, u), f32x4.splat(0.5));
  q = f32x4.add(f32x4.mul(q, u), one);
  const em1 = f32x4.mul(q, u);
  const small = f32x4.div(em1, f32x4.add(em1, two));
  const large = f32x4.sub(one, f32x4.div(two, f32x4.add(vexp(u), one)));
  const t = v128.bitselect(small, large, f32x4.lt(a, f32x4.splat(SMALL_TANH)));
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

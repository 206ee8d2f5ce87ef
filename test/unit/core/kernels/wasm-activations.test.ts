/**
 * The polynomial exp, σ and tanh of the WebAssembly kernels (activations.ts) against Math.*,
 * measured in float32 ulps of the exact value, over the range gates see and beyond, and at
 * the places approximations go wrong: 0, tiny arguments, the branch point of tanh, saturation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wasmKernels } from '../../../../core/kernels/wasm/runtime';

/** The float32 ulp at x: the gap between fround(|x|) and the next float32 above. */
function ulp(x: number): number {
  const a = Math.fround(Math.abs(x));
  if (a === 0) return 2 ** -149;
  const e = Math.floor(Math.log2(a));
  return 2 ** Math.max(e - 23, -149);
}

function run(name: 'expArray' | 'sigmoidArray' | 'tanhArray', xs: number[]): Float32Array {
  const { k, arena } = wasmKernels();
  const mark = arena.mark();
  const x = arena.put(xs);
  const y = arena.alloc(xs.length);
  k[name](x, y, xs.length);
  const out = arena.f32(y, xs.length).slice();
  arena.release(mark);
  return out;
}

function inputs(lo: number, hi: number, n: number): number[] {
  const xs: number[] = [];
  for (let i = 0; i <= n; i++) xs.push(Math.fround(lo + ((hi - lo) * i) / n));
  // Tiny arguments of both signs, zero, and the points either side of tanh's branch (ln 2 / 2).
  for (const t of [0, -0, 1e-30, -1e-30, 1e-8, -1e-8, 1e-4, -1e-4, 0.34657356, 0.34657362, -0.3465736])
    xs.push(Math.fround(t));
  return xs;
}

function worstUlps(got: Float32Array, xs: number[], exact: (x: number) => number): { ulps: number; at: number } {
  let worst = { ulps: 0, at: NaN };
  xs.forEach((x, i) => {
    const e = exact(x);
    const err = Math.abs(got[i] - e) / ulp(e);
    if (err > worst.ulps) worst = { ulps: err, at: x };
  });
  return worst;
}

test('wasm exp is within 2 float32 ulps of Math.exp on [−87, 88]', () => {
  const xs = inputs(-87, 88, 20011);
  const w = worstUlps(run('expArray', xs), xs, Math.exp);
  assert.ok(w.ulps <= 2, `worst ${w.ulps.toFixed(2)} ulps at x = ${w.at}`);
});

test('wasm sigmoid is within 3 float32 ulps of 1 / (1 + e^−x) on [−30, 30], exactly 0.5 at 0', () => {
  const xs = inputs(-30, 30, 20011);
  const got = run('sigmoidArray', xs);
  const w = worstUlps(got, xs, (x) => 1 / (1 + Math.exp(-x)));
  assert.ok(w.ulps <= 3, `worst ${w.ulps.toFixed(2)} ulps at x = ${w.at}`);
  assert.equal(run('sigmoidArray', [0])[0], 0.5);
  const [lo, hi] = run('sigmoidArray', [-200, 200]);
  assert.ok(lo >= 0 && lo < 1e-37, `σ(−200) = ${lo}`);
  assert.equal(hi, 1);
});

test('wasm tanh is within 4 float32 ulps of Math.tanh, keeps tiny arguments exact and its sign, saturates at ±1', () => {
  const xs = inputs(-12, 12, 24007);
  const got = run('tanhArray', xs);
  const w = worstUlps(got, xs, Math.tanh);
  assert.ok(w.ulps <= 4, `worst ${w.ulps.toFixed(2)} ulps at x = ${w.at}`);
  const small = run('tanhArray', [1e-30, -1e-30, 0, -0]);
  assert.equal(small[0], Math.fround(1e-30));
  assert.equal(small[1], Math.fround(-1e-30));
  assert.ok(Object.is(small[2], 0) && Object.is(small[3], -0));
  assert.deepEqual([...run('tanhArray', [50, -50, 1e30, -1e30])], [1, -1, 1, -1]);
});

test('odd lengths take the scalar tail with the same results as full vectors', () => {
  const xs = [0.3, -1.7, 2.5, 4.1, -0.01];
  const all = run('tanhArray', xs);
  for (let i = 0; i < xs.length; i++) assert.equal(run('tanhArray', [xs[i]])[0], all[i]);
});

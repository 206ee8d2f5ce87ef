/**
 * sineWaves (random sine windows, next value) and windows (sliding windows over a series).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sineWaves, windows } from '../../../../core/data/tasks';

test('sineWaves: shapes, the target continues the wave, frequencies within range', () => {
  const d = sineWaves({ count: 50, length: 12, seed: 1, dtype: 'float64' });
  assert.deepEqual(d.inputs.shape, [50, 12, 1]);
  assert.deepEqual(d.targets.shape, [50, 1]);
  assert.equal(d.meta.baselineMse, 0.5);
  for (let n = 0; n < d.size; n++) {
    const s = Array.from({ length: 12 }, (_, t) => d.inputs.get(n, t, 0));
    for (const v of s) assert.ok(Math.abs(v) <= 1);
    // A sampled sinusoid obeys s_{t+1} = 2 cos(ω) s_t − s_{t−1}; solve ω from the first
    // three values, then check every later value and the target.
    const c = (s[2] + s[0]) / (2 * s[1]);
    if (Math.abs(s[1]) < 0.2) continue; // ill-conditioned
    const f = Math.acos(c) / (2 * Math.PI);
    assert.ok(f >= 1 / 40 - 1e-9 && f <= 1 / 8 + 1e-9, `f = ${f}`);
    for (let t = 2; t < 12; t++) assert.ok(Math.abs(s[t] - (2 * c * s[t - 1] - s[t - 2])) < 1e-9);
    assert.ok(Math.abs(d.targets.get(n, 0) - (2 * c * s[11] - s[10])) < 1e-9);
  }
});

test('sineWaves: noise has the requested standard deviation; determinism', () => {
  const clean = sineWaves({ count: 400, length: 20, seed: 2, dtype: 'float64' });
  assert.deepEqual(clean.inputs.data, sineWaves({ count: 400, length: 20, seed: 2, dtype: 'float64' }).inputs.data);
  assert.deepEqual(clean.targets.data, sineWaves({ count: 400, length: 20, seed: 2, dtype: 'float64' }).targets.data);
  assert.notDeepEqual(clean.inputs.data, sineWaves({ count: 400, length: 20, seed: 3, dtype: 'float64' }).inputs.data);
  // Frequency 0 makes each wave the constant sin φ, so what varies within a sample is noise:
  // the pooled within-sample variance (inputs and target, T + 1 values) estimates σ².
  const sigma = 0.3;
  const d = sineWaves({ count: 2000, length: 9, seed: 5, noise: sigma, frequency: [0, 0], dtype: 'float64' });
  assert.equal(d.meta.baselineMse, 0.5 + sigma * sigma);
  let ss = 0;
  for (let n = 0; n < d.size; n++) {
    const v = [...Array.from({ length: 9 }, (_, t) => d.inputs.get(n, t, 0)), d.targets.get(n, 0)];
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    ss += v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
  }
  const est = ss / d.size; // sd of this estimate ≈ σ² √(2/18000) ≈ 0.001
  assert.ok(Math.abs(est - sigma * sigma) < 0.005, `noise variance ${est}`);
});

test('sineWaves errors', () => {
  assert.throws(
    () => sineWaves({ count: 5, length: 5, noise: -1 }),
    /sineWaves: noise: expected a number in \[0, Infinity\], got -1/,
  );
  assert.throws(
    () => sineWaves({ count: 5, length: 5, frequency: [0.2, 0.1] }),
    /frequency\[1\]: expected a number in \[0.2, 0.5\], got 0.1/,
  );
  assert.throws(() => sineWaves({ count: 5, length: 5, frequency: 0.1 as never }), /frequency expected \[min, max\]/);
});

test('windows: inputs and targets slide along the series', () => {
  const series = Array.from({ length: 10 }, (_, i) => i * i);
  const d = windows(series, { window: 3, horizon: 2, step: 2, dtype: 'float64' });
  // N = ⌊(10 − 3 − 2) / 2⌋ + 1 = 3
  assert.deepEqual(d.inputs.shape, [3, 3, 1]);
  assert.deepEqual(d.targets.shape, [3, 2]);
  assert.deepEqual(d.inputs.toArray(), [
    [[0], [1], [4]],
    [[4], [9], [16]],
    [[16], [25], [36]],
  ]);
  assert.deepEqual(d.targets.toArray(), [
    [9, 16],
    [25, 36],
    [49, 64],
  ]);
  const one = windows(new Float64Array([1, 2, 3]), { window: 2, name: 'tiny' });
  assert.equal(one.name, 'tiny');
  assert.deepEqual(one.targets.toArray(), [[3]]);
  assert.equal(windows(series, { window: 4 }).size, 6);
});

test('windows errors', () => {
  assert.throws(
    () => windows([1, 2, 3], { window: 3 }),
    /a window of 3 plus a horizon of 1 needs a series of at least 4 values, got 3/,
  );
  assert.throws(() => windows([1, NaN, 3], { window: 1 }), /expected finite numbers, got NaN at index 1/);
  assert.throws(() => windows('123' as never, { window: 1 }), /series expected an array of numbers/);
  assert.throws(() => windows([1, 2, 3], { window: 1, stride: 2 } as never), /unknown option "stride"/);
});

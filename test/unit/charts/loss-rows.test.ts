/**
 * The rows a loss chart draws: exact for short series, the lowest and highest point of each
 * bucket for long ones, the debiased moving average at every row, and live appends that,
 * applied as the renderer applies them, leave exactly the rows of the whole series.
 * Expectations are computed here by brute force, not by LossRows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LossRows, MAX_BUCKETS, type LossPoint } from '../../../charts/loss-rows';

/** smooth_k = m_k / (1 − β^(k+1)), m_k = β m_{k−1} + (1 − β) y_k, over the finite points. */
function ema(ys: number[], beta: number): number[] {
  let m = 0;
  let n = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return NaN;
    m = beta * m + (1 - beta) * y;
    n++;
    return beta > 0 ? m / (1 - beta ** n) : y;
  });
}

const noisy = (n: number) => Array.from({ length: n }, (_, k) => 2 * Math.exp(-k / 300) + 0.3 * Math.sin(k * 1.7) ** 3);
const key = (r: LossPoint) => `${r.series}@${r.x}`;

test('a short series is drawn point for point, with the debiased moving average', () => {
  const ys = [4, 2, 3, 1];
  const rows = new LossRows(0.5);
  rows.append('train', [10, 20, 30, 40], ys);
  // By hand: m = 2, 2, 2.5, 1.75; 1 − β^n = 0.5, 0.75, 0.875, 0.9375.
  assert.deepEqual(
    rows.rows().map((r) => [r.x, r.y, r.smooth]),
    [
      [10, 4, 4],
      [20, 2, 2 / 0.75],
      [30, 3, 2.5 / 0.875],
      [40, 1, 1.75 / 0.9375],
    ],
  );
  assert.deepEqual(
    new LossRows(0).append('a', [1, 2], [5, 6]).insert.map((r) => r.smooth),
    [5, 6],
  );
});

test('non-finite losses are skipped but keep their place', () => {
  const rows = new LossRows(0.5);
  rows.append('train', [1, 2, 3], [2, NaN, 4]);
  // The NaN is not in the average: m = 1 after 2, then 0.5 · 1 + 0.5 · 4 = 2.5 over 1 − 0.25.
  assert.deepEqual(
    rows.rows().map((r) => [r.x, r.smooth]),
    [
      [1, 2],
      [3, 2.5 / 0.75],
    ],
  );
  assert.equal(rows.count('train'), 3);
});

test('a long series keeps the lowest and highest point of each bucket, at most 2 per bucket', () => {
  const N = 10_000;
  const xs = Array.from({ length: N }, (_, k) => k + 1);
  const ys = noisy(N);
  const smooth = ema(ys, 0.9);
  const rows = new LossRows(0.9, 8);
  rows.append('train', xs, ys);
  // 10,000 points in at most 8 buckets of a power-of-two width: 2,048 (5 buckets).
  const w = 2048;
  const expected: Array<[number, number, number]> = [];
  for (let start = 0; start < N; start += w) {
    const idx = Array.from({ length: Math.min(w, N - start) }, (_, j) => start + j);
    const lo = idx.reduce((a, b) => (ys[b] < ys[a] ? b : a));
    const hi = idx.reduce((a, b) => (ys[b] > ys[a] ? b : a));
    for (const k of lo < hi ? [lo, hi] : [hi, lo]) expected.push([xs[k], ys[k], smooth[k]]);
  }
  const got = rows.rows();
  assert.deepEqual(
    got.map((r) => [r.x, r.y]),
    expected.map(([x, y]) => [x, y]),
  );
  got.forEach((r, k) => assert.ok(Math.abs(r.smooth - expected[k][2]) < 1e-12, `smooth at x = ${r.x}`));
  // The overall extremes are always drawn.
  assert.equal(Math.min(...got.map((r) => r.y)), Math.min(...ys));
  assert.equal(Math.max(...got.map((r) => r.y)), Math.max(...ys));
});

/** Brute force: the lowest and highest point of each bucket of the first n points, with the smallest power-of-two width that fits. */
function expectedKeys(xs: number[], ys: number[], n: number, maxBuckets: number): Set<string> {
  let w = 1;
  while (Math.ceil(n / w) > maxBuckets) w *= 2;
  const keys = new Set<string>();
  for (let start = 0; start < n; start += w) {
    const idx = Array.from({ length: Math.min(w, n - start) }, (_, j) => start + j);
    keys.add(`train@${xs[idx.reduce((a, b) => (ys[b] < ys[a] ? b : a))]}`);
    keys.add(`train@${xs[idx.reduce((a, b) => (ys[b] > ys[a] ? b : a))]}`);
  }
  return keys;
}

test('live appends, applied as remove-from-bucket + insert, leave the rows of the series so far after every update', () => {
  const N = 5_000;
  const xs = Array.from({ length: N }, (_, k) => k);
  const ys = noisy(N);
  const smooth = ema(ys, 0.6);
  const live = new LossRows(0.6, 64);
  let view: LossPoint[] = [];
  let at = 0;
  for (const chunk of [1, 2, 3, 50, 7, 400, 1, 1000, 36, 3, 3000, 5, 492]) {
    const end = at + chunk;
    const change = live.append('train', xs.slice(0, end), ys.slice(0, end), at);
    view = view.filter((r) => !(r.series === change.series && r.bucket >= change.fromBucket)).concat(change.insert);
    at = end;
    const expected = expectedKeys(xs, ys, at, 64);
    assert.deepEqual(new Set(view.map(key)), expected, `after ${at} points`);
    assert.equal(view.length, expected.size, `after ${at} points: a row is drawn twice`);
    for (const r of view) assert.ok(Math.abs(r.smooth - smooth[r.x]) < 1e-12, `smooth at ${r.x}`);
  }
  assert.equal(at, N);
});

test('series are bucketed independently, and the default budget draws 2,048 points exactly', () => {
  const rows = new LossRows(0);
  rows.append(
    'train',
    Array.from({ length: MAX_BUCKETS }, (_, k) => k),
    noisy(MAX_BUCKETS),
  );
  rows.append('validation', [0, 1000], [3, 2]);
  const all = rows.rows();
  assert.equal(all.filter((r) => r.series === 'train').length, 2048);
  assert.deepEqual(
    all.filter((r) => r.series === 'validation').map((r) => r.y),
    [3, 2],
  );
  assert.throws(() => new LossRows(1), /smoothing must be in \[0, 1\), got 1/);
});

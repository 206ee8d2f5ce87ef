/**
 * The adding problem: shapes, seeding, exactly one marker per half, target = the marked sum,
 * target variance ≈ 1/6 (the baseline MSE), and option errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adding } from '../../../../core/data/tasks';
import { Rng } from '../../../../core/random';

test('shapes, meta and dtype', () => {
  const d = adding({ length: 7, count: 5, seed: 1, dtype: 'float64' });
  assert.deepEqual(d.inputs.shape, [5, 7, 2]);
  assert.deepEqual(d.targets.shape, [5, 1]);
  assert.equal(d.target, 'last');
  assert.equal(d.classes, undefined);
  assert.equal(d.meta.baselineMse, 1 / 6);
  assert.equal(d.inputs.dtype, 'float64');
  assert.equal(adding({ length: 7, count: 5, seed: 1 }).inputs.dtype, 'float32');
});

test('same seed gives identical data, different seeds differ; rng option draws from the stream', () => {
  const a = adding({ length: 20, count: 30, seed: 7 });
  const b = adding({ length: 20, count: 30, seed: 7 });
  const c = adding({ length: 20, count: 30, seed: 8 });
  assert.deepEqual(a.inputs.data, b.inputs.data);
  assert.deepEqual(a.targets.data, b.targets.data);
  assert.notDeepEqual(a.inputs.data, c.inputs.data);
  const viaRng = adding({ length: 20, count: 30, rng: new Rng(7) });
  assert.deepEqual(viaRng.inputs.data, a.inputs.data);
});

test('exactly two markers, one in each half, and the target is their sum', () => {
  for (const T of [2, 3, 10, 51]) {
    const d = adding({ length: T, count: 300, seed: T, dtype: 'float64' });
    const half = Math.floor(T / 2);
    const firstSeen = new Set<number>();
    for (let n = 0; n < d.size; n++) {
      const marks: number[] = [];
      for (let t = 0; t < T; t++) {
        const v = d.inputs.get(n, t, 0);
        assert.ok(v >= 0 && v < 1);
        const m = d.inputs.get(n, t, 1);
        assert.ok(m === 0 || m === 1);
        if (m === 1) marks.push(t);
      }
      assert.equal(marks.length, 2, `sample ${n}: two markers`);
      assert.ok(marks[0] < half && marks[1] >= half, `T=${T}: markers at ${marks}`);
      firstSeen.add(marks[0]);
      assert.equal(d.targets.get(n, 0), d.inputs.get(n, marks[0], 0) + d.inputs.get(n, marks[1], 0));
    }
    if (T === 51) assert.equal(firstSeen.size, half, 'the first marker reaches every step of the first half');
  }
});

test('target mean ≈ 1 and variance ≈ 1/6 (the baseline MSE)', () => {
  const d = adding({ length: 10, count: 20000, seed: 3, dtype: 'float64' });
  const y = Array.from(d.targets.data);
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length;
  // sd of the sample mean ≈ 0.003, of the sample variance ≈ 0.0015
  assert.ok(Math.abs(mean - 1) < 0.015, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 6) < 0.008, `variance ${variance}`);
});

test('errors', () => {
  assert.throws(() => adding({ length: 1, count: 5 }), /adding: length: expected an integer ≥ 2, got 1/);
  assert.throws(() => adding({ length: 10, count: 0 }), /adding: count: expected an integer ≥ 1, got 0/);
  assert.throws(() => adding({ length: 10, count: 5, lenght: 3 } as never), /unknown option "lenght"/);
  assert.throws(() => adding({ length: 10, count: 5, seed: 1, rng: new Rng(1) }), /expected rng or seed, not both/);
  assert.throws(() => adding({ length: 10, count: 5, rng: 3 as never }), /rng expected an Rng/);
  assert.throws(() => adding(undefined as never), /adding: expected an options object/);
});

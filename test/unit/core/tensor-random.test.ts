/** Tensor.randn / Tensor.rand: seeded, with the moments asked for, and strict about options. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seed } from '../../../core/random';
import { Tensor } from '../../../core/tensor';

test('Tensor.randn has the asked mean and standard deviation, and seed() makes it repeat', () => {
  seed(5);
  const a = Tensor.randn([200, 100], { mean: 2, std: 3, dtype: 'float64' });
  const data = Array.from(a.data);
  const n = data.length;
  const mean = data.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(data.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  // 20,000 draws: the standard error of the mean is 3/√20000 ≈ 0.021.
  assert.ok(Math.abs(mean - 2) < 0.1, `mean ${mean}`);
  assert.ok(Math.abs(sd - 3) < 0.1, `sd ${sd}`);
  seed(5);
  assert.deepEqual(Tensor.randn([200, 100], { mean: 2, std: 3, dtype: 'float64' }).data, a.data);
});

test('Tensor.rand stays within [low, high) and fills it evenly', () => {
  seed(6);
  const u = Tensor.rand([10000], { low: -1, high: 3 });
  assert.equal(u.dtype, 'float32');
  assert.ok(Array.from(u.data).every((x) => x >= -1 && x < 3));
  const below1 = Array.from(u.data).filter((x) => x < 1).length / u.data.length;
  assert.ok(Math.abs(below1 - 0.5) < 0.03, `fraction below the midpoint ${below1}`);
});

test('unknown options are named', () => {
  assert.throws(() => Tensor.randn([2], { sd: 1 } as never), /Tensor\.randn.*sd/);
});

/**
 * Copy memory (Arjovsky et al. 2016): layout of inputs and targets, the memoryless baseline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyMemory } from '../../../../core/data/tasks';

function classesOf(d: ReturnType<typeof copyMemory>, n: number): number[] {
  const V = d.inputSize;
  const out: number[] = [];
  for (let t = 0; t < d.length; t++) {
    const hot: number[] = [];
    for (let c = 0; c < V; c++) if (d.inputs.get(n, t, c) === 1) hot.push(c);
    assert.equal(hot.length, 1);
    out.push(hot[0]);
  }
  return out;
}

test("the paper's setting: T + 20 steps, 10 classes, baseline 10 ln 8 / (T + 20)", () => {
  const T = 30;
  const d = copyMemory({ count: 3, delay: T, seed: 1 });
  assert.deepEqual(d.inputs.shape, [3, T + 20, 10]);
  assert.deepEqual(d.targets.shape, [3, T + 20]);
  assert.equal(d.classes, 10);
  assert.equal(d.target, 'sequence');
  assert.ok(Math.abs((d.meta.baselineCrossEntropy as number) - (10 * Math.log(8)) / (T + 20)) < 1e-12);
});

test('input: data, D − 1 blanks, delimiter, C blanks; target: D + C blanks, then the data', () => {
  for (const [K, C, D] of [
    [8, 10, 1],
    [3, 4, 7],
    [1, 2, 5],
  ]) {
    const d = copyMemory({ count: 50, symbols: K, copyLength: C, delay: D, seed: K + C + D });
    const L = D + 2 * C;
    assert.equal(d.length, L);
    assert.equal(d.inputSize, K + 2);
    const seen = new Set<number>();
    for (let n = 0; n < d.size; n++) {
      const x = classesOf(d, n);
      const data = x.slice(0, C);
      for (const v of data) {
        assert.ok(v >= 1 && v <= K);
        seen.add(v);
      }
      assert.deepEqual(x.slice(C, C + D - 1), new Array(D - 1).fill(0));
      assert.equal(x[C + D - 1], K + 1);
      assert.deepEqual(x.slice(C + D), new Array(C).fill(0));
      const y = Array.from({ length: L }, (_, t) => d.targets.get(n, t));
      assert.deepEqual(y, [...new Array(D + C).fill(0), ...data]);
    }
    assert.equal(seen.size, K, 'every data symbol occurs');
  }
});

test('memoryless cross-entropy matches the baseline on the data', () => {
  // Predict blank with probability 1 where the target is blank for every sample (steps < D + C),
  // uniform over the K data symbols afterwards: loss per sequence = C ln K, mean over L steps.
  const d = copyMemory({ count: 20, delay: 12, copyLength: 5, symbols: 4, seed: 9 });
  let loss = 0;
  for (let n = 0; n < d.size; n++)
    for (let t = 0; t < d.length; t++) loss += d.targets.get(n, t) === 0 ? 0 : Math.log(4);
  assert.ok(Math.abs(loss / (d.size * d.length) - (d.meta.baselineCrossEntropy as number)) < 1e-12);
});

test('determinism and errors', () => {
  const a = copyMemory({ count: 10, delay: 5, seed: 3 });
  assert.deepEqual(a.targets.data, copyMemory({ count: 10, delay: 5, seed: 3 }).targets.data);
  assert.notDeepEqual(a.targets.data, copyMemory({ count: 10, delay: 5, seed: 4 }).targets.data);
  assert.throws(() => copyMemory({ count: 10, delay: 0 }), /copyMemory: delay: expected an integer ≥ 1, got 0/);
  assert.throws(() => copyMemory({ count: 10 } as never), /copyMemory: delay: expected an integer ≥ 1, got undefined/);
  assert.throws(() => copyMemory({ count: 10, delay: 3, symbols: 2.5 }), /symbols: expected an integer ≥ 1, got 2.5/);
});

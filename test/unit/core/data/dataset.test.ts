/**
 * SequenceDataset: constructor validation, time-major batches, take / split / shuffled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceDataset } from '../../../../core/data/dataset';
import { Rng } from '../../../../core/random';
import { Tensor } from '../../../../core/tensor';

/** inputs[n, t, i] = 100 n + 10 t + i, so every value names its position. */
function ramp(N: number, T: number, I: number): Tensor {
  const t = Tensor.zeros([N, T, I], 'float64');
  for (let n = 0; n < N; n++)
    for (let s = 0; s < T; s++) for (let i = 0; i < I; i++) t.set([n, s, i], 100 * n + 10 * s + i);
  return t;
}

function regressionLast(N = 5, T = 3, I = 2, O = 2): SequenceDataset {
  const y = Tensor.zeros([N, O], 'float64');
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) y.set([n, o], 10 * n + o);
  return new SequenceDataset({ name: 'toy', inputs: ramp(N, T, I), targets: y, target: 'last' });
}

test('sizes and outputSize', () => {
  const d = regressionLast(5, 3, 2, 4);
  assert.equal(d.size, 5);
  assert.equal(d.length, 3);
  assert.equal(d.inputSize, 2);
  assert.equal(d.outputSize, 4);
  assert.equal(d.classes, undefined);
  assert.deepEqual(d.meta, {});
  assert.match(String(d), /toy.*5 × 3 steps × 2 features/);
});

test('batch is time-major: inputs [T, B, I], last targets [B, O]', () => {
  const d = regressionLast(5, 3, 2, 2);
  const { inputs, targets } = d.batch(1, 4);
  assert.deepEqual(inputs.shape, [3, 3, 2]);
  for (let t = 0; t < 3; t++)
    for (let b = 0; b < 3; b++)
      for (let i = 0; i < 2; i++) assert.equal(inputs.get(t, b, i), 100 * (1 + b) + 10 * t + i);
  assert.deepEqual(targets.shape, [3, 2]);
  assert.deepEqual(targets.toArray(), [
    [10, 11],
    [20, 21],
    [30, 31],
  ]);
  assert.equal(inputs.dtype, 'float64');
});

test('batch of sequence targets: [T, B, O] for real values, [T, B] for classes', () => {
  const N = 4,
    T = 3;
  const yReal = Tensor.zeros([N, T, 2], 'float64');
  const yCls = Tensor.zeros([N, T], 'float64');
  for (let n = 0; n < N; n++)
    for (let t = 0; t < T; t++) {
      yReal.set([n, t, 0], 10 * n + t);
      yReal.set([n, t, 1], -(10 * n + t));
      yCls.set([n, t], (n + t) % 3);
    }
  const real = new SequenceDataset({ name: 'r', inputs: ramp(N, T, 1), targets: yReal, target: 'sequence' });
  const cls = new SequenceDataset({ name: 'c', inputs: ramp(N, T, 1), targets: yCls, target: 'sequence', classes: 3 });
  const br = real.batch(2, 4).targets;
  assert.deepEqual(br.shape, [T, 2, 2]);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < 2; b++) {
      assert.equal(br.get(t, b, 0), 10 * (2 + b) + t);
      assert.equal(br.get(t, b, 1), -(10 * (2 + b) + t));
    }
  const bc = cls.batch(0, 4).targets;
  assert.deepEqual(bc.shape, [T, 4]);
  for (let t = 0; t < T; t++) for (let b = 0; b < 4; b++) assert.equal(bc.get(t, b), (b + t) % 3);
  assert.equal(cls.outputSize, 3);
});

test('take keeps order and repeats, split is first part / rest, shuffled is a permutation', () => {
  const d = regressionLast(5);
  const t = d.take([4, 0, 4]);
  assert.equal(t.size, 3);
  assert.deepEqual(t.targets.toArray(), [
    [40, 41],
    [0, 1],
    [40, 41],
  ]);
  assert.equal(t.inputs.get(0, 2, 1), 421);
  const [a, b] = d.split(0.6);
  assert.equal(a.size, 3);
  assert.equal(b.size, 2);
  assert.deepEqual(b.targets.toArray(), [
    [30, 31],
    [40, 41],
  ]);
  const s1 = d.shuffled(new Rng(3));
  const s2 = d.shuffled(new Rng(3));
  assert.deepEqual(s1.targets.toArray(), s2.targets.toArray());
  const firsts = (s1.targets.toArray() as number[][]).map((r) => r[0]).sort((x, y) => x - y);
  assert.deepEqual(firsts, [0, 10, 20, 30, 40]);
  // inputs move with their targets
  for (let n = 0; n < 5; n++) assert.equal(s1.inputs.get(n, 0, 0), 10 * s1.targets.get(n, 0));
  assert.equal(s1.name, 'toy');
});

test('constructor errors name what was expected and what was given', () => {
  const x = ramp(4, 3, 2);
  assert.throws(
    () =>
      new SequenceDataset({ name: 'd', inputs: Tensor.zeros([4, 3]), targets: Tensor.zeros([4, 1]), target: 'last' }),
    /inputs expected a Tensor of shape \[N, T, I\].*got \[4, 3\]/,
  );
  assert.throws(
    () => new SequenceDataset({ name: 'd', inputs: x, targets: Tensor.zeros([5, 1]), target: 'last' }),
    /targets for target "last" expected shape \[4, O\].*got \[5, 1\]/,
  );
  assert.throws(
    () => new SequenceDataset({ name: 'd', inputs: x, targets: Tensor.zeros([4]), target: 'last' }),
    /got \[4\] — class indices need the option classes/,
  );
  assert.throws(
    () =>
      new SequenceDataset({
        name: 'd',
        inputs: x,
        targets: Tensor.zeros([4, 3]),
        target: 'sequence',
        classes: 2,
      }).batch(0, 5),
    /end: expected an integer in \[1, 4\], got 5/,
  );
  assert.throws(
    () => new SequenceDataset({ name: 'd', inputs: x, targets: Tensor.zeros([4, 2, 1]), target: 'sequence' }),
    /expected shape \[4, 3, O\].*got \[4, 2, 1\]/,
  );
  assert.throws(
    () => new SequenceDataset({ name: 'd', inputs: x, targets: Tensor.from([0, 1, 2, 3]), target: 'last', classes: 3 }),
    /class indices in \[0, 2\], got 3 at flat index 3/,
  );
  assert.throws(
    () => new SequenceDataset({ name: 'd', inputs: x, targets: Tensor.zeros([4, 1]), target: 'all' as 'last' }),
    /target expected "last" or "sequence", got "all"/,
  );
  assert.throws(
    () => new SequenceDataset({ name: '', inputs: x, targets: Tensor.zeros([4, 1]), target: 'last' }),
    /name expected a non-empty string/,
  );
  assert.throws(
    () =>
      new SequenceDataset({ name: 'd', inputs: x, targets: Tensor.zeros([4, 1]), target: 'last', clases: 2 } as never),
    /unknown field "clases"/,
  );
  const bad = ramp(4, 3, 2);
  bad.data[5] = NaN;
  assert.throws(
    () => new SequenceDataset({ name: 'd', inputs: bad, targets: Tensor.zeros([4, 1]), target: 'last' }),
    /inputs: expected finite numbers, got NaN at index \[0, 2, 1\]/,
  );
});

test('method errors', () => {
  const d = regressionLast(5);
  assert.throws(() => d.batch(2, 2), /batch: end: expected an integer in \[3, 5\], got 2/);
  assert.throws(() => d.take([0, 5]), /take: index 1 expected a sample index in \[0, 4\], got 5/);
  assert.throws(() => d.take([]), /at least one index/);
  assert.throws(() => d.split(0.05), /gives parts of 0 and 5/);
  assert.throws(() => d.split(1.5), /fraction: expected a number in \[0, 1\], got 1.5/);
  assert.throws(() => d.shuffled({} as Rng), /expected an Rng/);
});
